"""Events: registration with a waiting list, promotion, cancellation, participant list, calendar
file and reminders, through the pages people use."""

import csv
import io
from datetime import UTC, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import make_user
from lokalmaal.arena.models import SearchEntry
from lokalmaal.discussion.models import Notification
from lokalmaal.networks.actions import do_register, do_send_reminders
from lokalmaal.networks.models import Event, Registration, RegistrationStatus, Visibility
from lokalmaal.networks.tests.conftest import client_for, make_event

pytestmark = pytest.mark.django_db


def _status(event: Event, email: str) -> str:
    return Registration.objects.get(event=event, person__email=email).status


def test_third_registration_waits_and_is_promoted_and_told_when_someone_cancels(
    coordinator, bergen, django_capture_on_commit_callbacks
):
    event = make_event(coordinator, capacity=2, organisation=bergen)
    anna, bjorn, cecilie = (
        make_user(f"{name}@example.no") for name in ("anna", "bjorn", "cecilie")
    )
    clients = {user.email: client_for(user) for user in (anna, bjorn, cecilie)}
    url = f"/arrangement/{event.pk}/meld-pa/"

    for user in (anna, bjorn):
        clients[user.email].post(url)
    response = clients[cecilie.email].post(url, follow=True)

    assert _status(event, anna.email) == RegistrationStatus.REGISTERED
    assert _status(event, bjorn.email) == RegistrationStatus.REGISTERED
    assert _status(event, cecilie.email) == RegistrationStatus.WAITING
    page = response.content.decode()
    assert "waiting list as number 1" in page
    assert "You are number 1 on the waiting list." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = clients[bjorn.email].post(f"/arrangement/{event.pk}/meld-av/")
    assert response.status_code == 302

    assert _status(event, bjorn.email) == RegistrationStatus.CANCELLED
    promoted = Registration.objects.get(event=event, person=cecilie)
    assert promoted.status == RegistrationStatus.REGISTERED
    assert promoted.promoted_at is not None
    note = Notification.objects.get(recipient=cecilie, kind="event_promoted")
    assert note.title == event.title
    assert note.url == f"/arrangement/{event.pk}/"
    assert note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[cecilie.email]]
    assert event.title in mail.outbox[0].subject
    assert f"/arrangement/{event.pk}/" in mail.outbox[0].body
    page = clients[cecilie.email].get(f"/arrangement/{event.pk}/").content.decode()
    assert "You are registered." in page


def test_cancelling_from_the_waiting_list_promotes_nobody(coordinator, bergen):
    event = make_event(coordinator, capacity=1, organisation=bergen)
    first, second, third = (make_user(f"p{i}@example.no") for i in range(3))
    for person in (first, second, third):
        do_register(event, person)
    client_for(second).post(f"/arrangement/{event.pk}/meld-av/")
    assert _status(event, first.email) == RegistrationStatus.REGISTERED
    assert _status(event, third.email) == RegistrationStatus.WAITING
    assert not Notification.objects.filter(kind="event_promoted").exists()
    page = client_for(third).get(f"/arrangement/{event.pk}/").content.decode()
    assert "You are number 1 on the waiting list." in page


def test_registering_twice_keeps_one_place(coordinator, bergen):
    event = make_event(coordinator, capacity=2, organisation=bergen)
    person = make_user("to-gonger@example.no")
    client = client_for(person)
    client.post(f"/arrangement/{event.pk}/meld-pa/")
    client.post(f"/arrangement/{event.pk}/meld-pa/")
    assert Registration.objects.filter(event=event).count() == 1


def test_a_past_event_cannot_be_registered_for(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2)
    )
    person = make_user("for-seint@example.no")
    response = client_for(person).post(f"/arrangement/{event.pk}/meld-pa/", follow=True)
    assert "The event has already started or is over." in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_registration_closes_at_the_deadline(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen)
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - timedelta(minutes=1)
    )
    response = client_for(make_user("frist@example.no")).post(
        f"/arrangement/{event.pk}/meld-pa/", follow=True
    )
    assert "The registration deadline has passed." in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_anonymous_visitors_are_sent_to_log_in_to_register(coordinator, bergen, client):
    event = make_event(coordinator, organisation=bergen)
    response = client.post(f"/arrangement/{event.pk}/meld-pa/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_more_places_move_the_waiting_list_up(coordinator, bergen):
    event = make_event(coordinator, capacity=1, organisation=bergen)
    first, second = make_user("a1@example.no"), make_user("a2@example.no")
    do_register(event, first)
    do_register(event, second)
    form = _event_form_data(event, capacity=2)
    response = client_for(coordinator).post(f"/arrangement/{event.pk}/endre/", form)
    assert response.status_code == 302
    assert _status(event, second.email) == RegistrationStatus.REGISTERED


def _event_form_data(event: Event, **changes: object) -> dict[str, object]:
    local = timezone.localtime
    data: dict[str, object] = {
        "title": event.title,
        "description": event.description,
        "programme": event.programme,
        "start": local(event.start).strftime("%Y-%m-%dT%H:%M"),
        "end": local(event.end).strftime("%Y-%m-%dT%H:%M"),
        "place": event.place,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "registration_deadline": "",
        "network": event.network_id or "",
        "organisation": event.organisation_id or "",
        "visibility": event.visibility,
    }
    data.update(changes)
    return data


def test_an_editor_creates_an_event_in_norwegian_time(coordinator, bergen):
    start = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Webinar om indikatorar",
        "description": "",
        "programme": "",
        "start": start.strftime("%Y-%m-%dT10:00"),
        "end": start.strftime("%Y-%m-%dT11:30"),
        "place": "",
        "online_url": "https://meet.example.no/webinar",
        "capacity": "100",
        "registration_deadline": "",
        "network": "",
        "organisation": bergen.pk,
        "visibility": "public",
    }
    response = client_for(coordinator).post("/arrangement/nytt/", data)
    assert response.status_code == 302
    event = Event.objects.get(title="Webinar om indikatorar")
    assert timezone.localtime(event.start).hour == 10
    assert event.organiser == coordinator
    assert SearchEntry.objects.filter(kind="event", key=event.pk, public=True).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"online_url": "javascript:alert(1)", "place": ""}, "Enter a valid URL."),
        ({"online_url": "ftp://example.no/x"}, "Enter a valid URL."),
        ({"end": "2020-01-01T10:00"}, "The event ends before it starts."),
        ({"place": "", "online_url": ""}, "Give a place, an online link or both."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"organisation": ""}, "Choose a network you coordinate or an organisation"),
        (
            {"visibility": "members", "organisation": ""},
            "A members-only event needs a network or an organisation",
        ),
    ],
)
def test_the_event_form_refuses_bad_input_with_a_message(coordinator, bergen, changes, message):
    event = make_event(coordinator, organisation=bergen)
    data = _event_form_data(event, **changes)
    response = client_for(coordinator).post("/arrangement/nytt/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Event.objects.count() == 1


def test_an_event_cannot_be_held_in_the_name_of_another_organisation(coordinator, bergen, volda):
    data = _event_form_data(make_event(coordinator, organisation=bergen), organisation=volda.pk)
    response = client_for(coordinator).post("/arrangement/nytt/", data)
    assert response.status_code == 400
    assert Event.objects.count() == 1


def test_people_who_may_not_organise_get_403_on_the_new_event_page(member, client):
    assert client_for(member).get("/arrangement/nytt/").status_code == 403
    assert client.get("/arrangement/nytt/").status_code == 302  # to the login


def test_the_organiser_cancels_the_event_and_everyone_is_told(
    coordinator, bergen, django_capture_on_commit_callbacks
):
    event = make_event(coordinator, capacity=1, organisation=bergen)
    registered, waiting = make_user("r@example.no"), make_user("w@example.no")
    do_register(event, registered)
    do_register(event, waiting)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(f"/arrangement/{event.pk}/avlys/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    told = set(
        Notification.objects.filter(kind="event_cancelled").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {"r@example.no", "w@example.no"}
    assert sorted(m.to[0] for m in mail.outbox) == ["r@example.no", "w@example.no"]
    assert not SearchEntry.objects.filter(kind="event", key=event.pk).exists()


@pytest.mark.parametrize("who", ["participant", "outsider", "bergen_reader"])
def test_only_organisers_may_cancel_or_edit_an_event(coordinator, bergen, who, bergen_reader):
    event = make_event(coordinator, organisation=bergen)
    participant = make_user("deltakar@example.no")
    do_register(event, participant)
    client = {
        "participant": client_for(participant),
        "outsider": client_for(make_user("x@example.no")),
        "bergen_reader": bergen_reader,
    }[who]
    assert client.post(f"/arrangement/{event.pk}/avlys/").status_code == 403
    assert client.get(f"/arrangement/{event.pk}/endre/").status_code == 403
    assert (
        client.post(f"/arrangement/{event.pk}/endre/", _event_form_data(event)).status_code == 403
    )
    event.refresh_from_db()
    assert not event.is_cancelled


def test_anonymous_visitors_cannot_cancel_an_event(coordinator, bergen, client):
    event = make_event(coordinator, organisation=bergen)
    response = client.post(f"/arrangement/{event.pk}/avlys/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    event.refresh_from_db()
    assert not event.is_cancelled


# The participant list


def _register_three(event: Event) -> None:
    for name in ("anna", "bjorn", "cecilie"):
        person = make_user(f"{name}@example.no")
        person.first_name, person.last_name = name.title(), "Nordmann"
        person.save()
        do_register(event, person)


def test_the_organiser_downloads_the_participant_list_as_csv(coordinator, bergen):
    event = make_event(coordinator, capacity=2, organisation=bergen)
    _register_three(event)
    response = client_for(coordinator).get(f"/arrangement/{event.pk}/deltakarar.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-mail address", "Organisation", "Status", "Registered at"]
    assert [row[1] for row in rows[1:]] == [
        "anna@example.no",
        "bjorn@example.no",
        "cecilie@example.no",
    ]
    assert [row[3] for row in rows[1:]] == ["Registered", "Registered", "On the waiting list"]
    assert rows[1][0] == "Anna Nordmann"


def test_the_participant_page_shows_names_to_the_organiser(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen)
    _register_three(event)
    page = client_for(coordinator).get(f"/arrangement/{event.pk}/deltakarar/").content.decode()
    assert "Cecilie Nordmann" in page
    assert "cecilie@example.no" in page


def test_the_network_coordinator_sees_the_participants_of_the_networks_event(
    coordinator, member, public_network
):
    other = make_user("annan-koordinator@example.no")
    public_network.memberships.filter(person=member).update(role="coordinator")
    event = make_event(coordinator, network=public_network)
    assert client_for(member).get(f"/arrangement/{event.pk}/deltakarar/").status_code == 200
    assert client_for(other).get(f"/arrangement/{event.pk}/deltakarar/").status_code == 403


@pytest.mark.parametrize("path", ["deltakarar/", "deltakarar.csv"])
def test_others_get_403_for_the_participant_list(coordinator, bergen, bergen_reader, path, client):
    event = make_event(coordinator, organisation=bergen)
    participant = make_user("deltakar@example.no")
    do_register(event, participant)
    url = f"/arrangement/{event.pk}/{path}"
    assert client_for(participant).get(url).status_code == 403
    assert bergen_reader.get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the login
    assert "deltakar@example.no" not in client.get(f"/arrangement/{event.pk}/").content.decode()


# The calendar file


def test_the_calendar_file_imports_with_the_events_facts(coordinator, bergen, client):
    event = make_event(coordinator, organisation=bergen)
    response = client.get(f"/arrangement/{event.pk}/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
    assert start == event.start.replace(microsecond=0)
    assert end == event.end.replace(microsecond=0)
    assert start.utcoffset() == timedelta(0)
    assert start.tzinfo is not None
    assert "DTSTART:" in response.content.decode()
    assert "Z\r\n" in response.content.decode()
    assert str(entry["LOCATION"]) == "Scandic Bergen City"
    assert str(entry["URL"]).endswith(f"/arrangement/{event.pk}/")
    assert "berekraftsmåla" in str(entry["DESCRIPTION"])
    assert "meet.example.no" not in response.content.decode()  # the link is for participants
    again = icalendar.Calendar.from_ical(
        client.get(f"/arrangement/{event.pk}/kalender.ics").content
    )
    assert str(again.walk("VEVENT")[0]["UID"]) == str(entry["UID"])
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_registered_participants_get_the_online_link_in_the_calendar(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen)
    participant = make_user("deltakar@example.no")
    do_register(event, participant)
    body = client_for(participant).get(f"/arrangement/{event.pk}/kalender.ics").content
    (entry,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert "https://meet.example.no/konferanse" in str(entry["LOCATION"])


# Reminders


def test_reminders_go_once_to_registered_participants_of_events_starting_soon(
    coordinator, bergen, django_capture_on_commit_callbacks
):
    soon = make_event(coordinator, starts_in=timedelta(hours=5), organisation=bergen, capacity=1)
    later = make_event(coordinator, starts_in=timedelta(days=3), organisation=bergen)
    registered, waiting = make_user("kjem@example.no"), make_user("ventar@example.no")
    do_register(soon, registered)
    do_register(soon, waiting)
    do_register(later, registered)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("networks", "remind", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        assert do_send_reminders() == 0

    notes = Notification.objects.filter(kind="event_reminder")
    assert [(n.recipient.email, n.title) for n in notes] == [("kjem@example.no", soon.title)]
    assert [m.to for m in mail.outbox] == [["kjem@example.no"]]
    assert Registration.objects.get(event=soon, person=registered).reminded_at is not None


def test_a_cancelled_event_sends_no_reminder(coordinator, bergen):
    event = make_event(coordinator, starts_in=timedelta(hours=2), organisation=bergen)
    do_register(event, make_user("kjem@example.no"))
    Event.objects.filter(pk=event.pk).update(status="cancelled")
    assert do_send_reminders() == 0


def test_the_reminder_lead_time_is_a_setting(coordinator, bergen, settings):
    event = make_event(coordinator, starts_in=timedelta(hours=30), organisation=bergen)
    do_register(event, make_user("kjem@example.no"))
    assert do_send_reminders() == 0
    settings.EVENT_REMINDER_HOURS = 48
    assert do_send_reminders() == 1


# Time zones


def test_times_are_shown_in_norwegian_time(coordinator, bergen, client):
    event = make_event(coordinator, organisation=bergen)
    start = timezone.now().astimezone(UTC).replace(
        month=1, day=15, hour=8, minute=0, second=0, microsecond=0
    ) + timedelta(days=400)
    Event.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=1))
    page = client.get(f"/arrangement/{event.pk}/").content.decode()
    assert "09:00" in page  # 08:00 UTC is 09:00 in Oslo in winter


def test_members_only_events_are_left_out_of_the_search(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen, visibility=Visibility.MEMBERS)
    assert not SearchEntry.objects.filter(kind="event", key=event.pk).exists()


def test_moving_an_event_brings_a_new_reminder(coordinator, bergen):
    event = make_event(coordinator, starts_in=timedelta(hours=3), organisation=bergen)
    do_register(event, make_user("kjem@example.no"))
    assert do_send_reminders() == 1
    later = timezone.localtime(event.start + timedelta(hours=2))
    data = _event_form_data(
        event,
        start=later.strftime("%Y-%m-%dT%H:%M"),
        end=(later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert client_for(coordinator).post(f"/arrangement/{event.pk}/endre/", data).status_code == 302
    assert do_send_reminders() == 1


def test_someone_who_cancelled_and_comes_back_joins_the_end_of_the_queue(coordinator, bergen):
    event = make_event(coordinator, capacity=1, organisation=bergen)
    first, second, third = (make_user(f"k{i}@example.no") for i in range(3))
    for person in (first, second, third):
        do_register(event, person)
    client = client_for(second)
    client.post(f"/arrangement/{event.pk}/meld-av/")
    response = client.post(f"/arrangement/{event.pk}/meld-pa/", follow=True)
    assert "waiting list as number 2" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 3
