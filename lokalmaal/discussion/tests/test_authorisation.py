"""Every view that changes data: anonymous people go to the login, the wrong person gets 403
(or 404 for what they may not see), and nothing changes."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from conftest import make_user
from lokalmaal.arena.models import ModerationEntry
from lokalmaal.discussion import actions, notify
from lokalmaal.discussion.models import Answer, Follow, Notification, Question
from lokalmaal.discussion.tests.conftest import client_for


@pytest.fixture
def question(example, asker) -> Question:
    return actions.do_ask(asker, example, "Korleis vedlikeheld de taka?", "")


@pytest.fixture
def answer(question, author) -> Answer:
    return actions.do_answer(author, question, "Vi sjekkar dei to gonger i året.")


def assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_anonymous_people_are_sent_to_the_login_for_every_change(question, answer, target):
    anonymous = Client()
    posts = [
        ("/sporsmal/ny/target/11.6/", {"title": "Kva?"}),
        (f"/sporsmal/{question.pk}/svar/", {"body": "Svar"}),
        (f"/sporsmal/svar/{answer.pk}/nyttig/", {"helpful": "true"}),
        (f"/sporsmal/{question.pk}/skjul/", {"reason": "spam"}),
        (f"/sporsmal/svar/{answer.pk}/skjul/", {"reason": "spam"}),
        ("/folg/", {"model": "catalogue.target", "key": target.pk}),
        ("/folg/slutt/", {"model": "catalogue.target", "key": target.pk}),
        ("/varsel/lese/", {}),
        ("/varsel/innstillingar/", {"digest": "daily", "language": "nb"}),
    ]
    for url, data in posts:
        assert_login_redirect(anonymous.post(url, data))
    assert_login_redirect(anonymous.get("/varsel/"))
    assert_login_redirect(anonymous.get("/sporsmal/ny/target/11.6/"))
    assert Question.objects.count() == 1
    assert Answer.objects.count() == 1
    assert not Answer.objects.filter(helpful=True).exists()
    assert not Follow.objects.filter(content_type__model="target").exists()


def test_only_the_asker_marks_an_answer_helpful(question, answer, author, volda):
    from lokalmaal.discussion.tests.conftest import member

    colleague_of_asker = member(volda, "kollega@volda.kommune.no")
    for other in (author, colleague_of_asker, make_user("innbyggar@example.no")):
        response = client_for(other).post(f"/sporsmal/svar/{answer.pk}/nyttig/")
        assert response.status_code == 403
    answer.refresh_from_db()
    assert not answer.helpful
    assert not Notification.objects.filter(kind="answer_helpful").exists()


def test_asking_needs_a_verified_email_address(target):
    unverified = make_user("uverifisert@example.no")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    client = client_for(unverified)
    assert client.get("/sporsmal/ny/target/11.6/").status_code == 403
    assert client.post("/sporsmal/ny/target/11.6/", {"title": "Kva?"}).status_code == 403
    assert not Question.objects.exists()


def test_a_logged_in_person_without_organisation_may_ask_about_a_target(target):
    citizen = make_user("innbyggar@example.no")
    response = client_for(citizen).post("/sporsmal/ny/target/11.6/", {"title": "Kva betyr dette?"})
    assert response.status_code == 302
    assert Question.objects.get().target == target


def test_only_moderators_hide_questions_and_answers(question, answer, asker, author, moderator):
    for person in (asker, author):
        client = client_for(person)
        assert client.post(f"/sporsmal/{question.pk}/skjul/", {"reason": "x"}).status_code == 403
        assert client.post(f"/sporsmal/svar/{answer.pk}/skjul/", {"reason": "x"}).status_code == 403
    question.refresh_from_db()
    assert not question.is_hidden
    assert not ModerationEntry.objects.exists()

    mod = client_for(moderator)
    mod.post(f"/sporsmal/svar/{answer.pk}/skjul/", {"reason": "Personopplysningar"})
    answer.refresh_from_db()
    assert answer.is_hidden
    assert "Vi sjekkar" not in client_for(asker).get(f"/sporsmal/{question.pk}/").text
    assert "Vi sjekkar" in mod.get(f"/sporsmal/{question.pk}/").text

    mod.post(f"/sporsmal/{question.pk}/skjul/", {"reason": "Spam"})
    question.refresh_from_db()
    assert question.is_hidden
    assert client_for(author).get(f"/sporsmal/{question.pk}/").status_code == 404
    assert Client().get(f"/sporsmal/{question.pk}/").status_code == 404
    assert mod.get(f"/sporsmal/{question.pk}/").status_code == 200
    log = list(ModerationEntry.objects.order_by("at").values_list("action", "kind", "reason"))
    assert log == [("hide", "answer", "Personopplysningar"), ("hide", "question", "Spam")]


def test_hiding_needs_a_reason(question, moderator):
    client_for(moderator).post(f"/sporsmal/{question.pk}/skjul/", {"reason": ""})
    question.refresh_from_db()
    assert not question.is_hidden


def test_nobody_answers_a_hidden_question(question, author, moderator):
    actions.do_hide_question(moderator, question, "spam")
    response = client_for(author).post(f"/sporsmal/{question.pk}/svar/", {"body": "Svar"})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_people_mark_only_their_own_notifications_read(author, asker):
    theirs = notify.notify(asker, "network_post", title="Innlegg", url="/x/")
    client_for(author).post("/varsel/lese/", {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client_for(asker).post("/varsel/lese/", {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_the_notification_list_shows_only_ones_own(author, asker):
    notify.notify(asker, "network_post", title="Hemmeleg innlegg", url="/x/")
    assert "Hemmeleg innlegg" not in client_for(author).get("/varsel/").text
    assert "Hemmeleg innlegg" in client_for(asker).get("/varsel/").text


def test_change_views_refuse_get(question, answer, asker):
    client = client_for(asker)
    assert client.get(f"/sporsmal/{question.pk}/svar/").status_code == 405
    assert client.get(f"/sporsmal/svar/{answer.pk}/nyttig/").status_code == 405
    assert client.get("/folg/").status_code == 405
