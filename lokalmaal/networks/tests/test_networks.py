"""Networks: who may create, join, post, upload and manage, and what stays hidden from whom."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from lokalmaal.discussion.models import Notification
from lokalmaal.networks.actions import do_post
from lokalmaal.networks.models import (
    Document,
    Network,
    NetworkMembership,
    NetworkRole,
    Post,
    Visibility,
)
from lokalmaal.networks.tests.conftest import client_for, make_event

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _role(network: Network, email: str) -> str | None:
    membership = NetworkMembership.objects.filter(network=network, person__email=email).first()
    return membership.role if membership else None


# Creating a network


def test_a_member_of_an_organisation_starts_a_network_and_coordinates_it(bergen_admin, bergen):
    response = bergen_admin.post(
        "/nettverk/nytt/",
        {"name": "Nytt", "description": "Vi deler **erfaringar**.", "visibility": "public"},
    )
    assert response.status_code == 302
    network = Network.objects.get(name="Nytt")
    assert network.slug == "nytt-2"  # /nettverk/nytt/ is the form itself
    assert response["Location"] == "/nettverk/nytt-2/"
    assert _role(network, "admin@bergen.kommune.no") == NetworkRole.COORDINATOR


def test_ks_staff_start_networks(client):
    staff = make_user("stab@ks.no")
    staff.is_platform_admin = True
    staff.save()
    response = client_for(staff).post(
        "/nettverk/nytt/", {"name": "KS-nettverket", "visibility": "members"}
    )
    assert response.status_code == 302
    assert Network.objects.get(name="KS-nettverket").visibility == Visibility.MEMBERS


def test_people_outside_any_organisation_may_not_start_a_network(outsider, client):
    assert client_for(outsider).get("/nettverk/nytt/").status_code == 403
    assert client_for(outsider).post("/nettverk/nytt/", {"name": "X"}).status_code == 403
    response = client.post("/nettverk/nytt/", {"name": "X", "visibility": "public"})
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert not Network.objects.exists()


def test_a_network_needs_a_name(bergen_admin):
    response = bergen_admin.post("/nettverk/nytt/", {"name": "", "visibility": "public"})
    assert response.status_code == 400
    assert not Network.objects.exists()


# Joining and leaving


def test_anyone_logged_in_joins_a_public_network_directly(public_network, outsider):
    response = client_for(outsider).post(f"/nettverk/{public_network.slug}/bli-med/")
    assert response.status_code == 302
    assert _role(public_network, outsider.email) == NetworkRole.MEMBER


def test_nobody_can_join_a_members_only_network_on_their_own(closed_network, outsider):
    response = client_for(outsider).post(f"/nettverk/{closed_network.slug}/bli-med/")
    assert response.status_code == 404
    assert _role(closed_network, outsider.email) is None


def test_anonymous_visitors_are_sent_to_log_in_to_join(public_network, client):
    response = client.post(f"/nettverk/{public_network.slug}/bli-med/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_the_last_coordinator_cannot_leave(public_network, coordinator, member):
    response = client_for(coordinator).post(f"/nettverk/{public_network.slug}/forlat/", follow=True)
    assert "A network needs a coordinator" in response.content.decode()
    assert _role(public_network, coordinator.email) == NetworkRole.COORDINATOR
    client_for(member).post(f"/nettverk/{public_network.slug}/forlat/")
    assert _role(public_network, member.email) is None


# Managing members


def test_a_coordinator_adds_a_member_who_is_told(closed_network, coordinator, outsider):
    response = client_for(coordinator).post(
        f"/nettverk/{closed_network.slug}/medlemmer/",
        {"email": "UTANFOR@example.no", "role": "member"},
    )
    assert response.status_code == 302
    assert _role(closed_network, outsider.email) == NetworkRole.MEMBER
    note = Notification.objects.get(recipient=outsider, kind="network_joined")
    assert note.title == closed_network.name


def test_adding_someone_without_an_account_says_so(closed_network, coordinator):
    response = client_for(coordinator).post(
        f"/nettverk/{closed_network.slug}/medlemmer/",
        {"email": "ukjend@example.no", "role": "member"},
        follow=True,
    )
    assert "has an account on Lokalmål yet" in response.content.decode()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_coordinators_manage_members(public_network, coordinator, member, outsider, who):
    client = client_for(member if who == "member" else outsider)
    target = NetworkMembership.objects.get(network=public_network, person=member)
    slug = public_network.slug
    assert client.post(f"/nettverk/{slug}/medlemmer/", {"email": outsider.email, "role": "coordinator"}).status_code == 403  # fmt: skip
    assert client.post(f"/nettverk/{slug}/medlemmer/{target.pk}/rolle/", {"role": "coordinator"}).status_code == 403  # fmt: skip
    assert client.post(f"/nettverk/{slug}/medlemmer/{target.pk}/fjern/").status_code == 403
    assert client.get(f"/nettverk/{slug}/endre/").status_code == 403
    assert _role(public_network, member.email) == NetworkRole.MEMBER
    assert _role(public_network, outsider.email) is None


def test_anonymous_visitors_cannot_manage_members(public_network, member, client):
    target = NetworkMembership.objects.get(network=public_network, person=member)
    slug = public_network.slug
    for url in (
        f"/nettverk/{slug}/medlemmer/",
        f"/nettverk/{slug}/medlemmer/{target.pk}/rolle/",
        f"/nettverk/{slug}/medlemmer/{target.pk}/fjern/",
        f"/nettverk/{slug}/endre/",
    ):
        response = client.post(url, {"role": "coordinator", "email": "x@example.no"})
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]
    assert _role(public_network, member.email) == NetworkRole.MEMBER


def test_a_coordinator_promotes_and_removes_members(public_network, coordinator, member):
    client = client_for(coordinator)
    target = NetworkMembership.objects.get(network=public_network, person=member)
    client.post(
        f"/nettverk/{public_network.slug}/medlemmer/{target.pk}/rolle/", {"role": "coordinator"}
    )
    assert _role(public_network, member.email) == NetworkRole.COORDINATOR
    client.post(f"/nettverk/{public_network.slug}/medlemmer/{target.pk}/fjern/")
    assert _role(public_network, member.email) is None


def test_the_last_coordinator_cannot_be_demoted(public_network, coordinator):
    own = NetworkMembership.objects.get(network=public_network, person=coordinator)
    response = client_for(coordinator).post(
        f"/nettverk/{public_network.slug}/medlemmer/{own.pk}/rolle/",
        {"role": "member"},
        follow=True,
    )
    assert "A network needs a coordinator" in response.content.decode()
    assert _role(public_network, coordinator.email) == NetworkRole.COORDINATOR


def test_a_coordinator_edits_the_network(public_network, coordinator):
    response = client_for(coordinator).post(
        f"/nettverk/{public_network.slug}/endre/",
        {"name": "Nytt namn", "description": "", "visibility": "members"},
    )
    assert response.status_code == 302
    public_network.refresh_from_db()
    assert (public_network.name, public_network.visibility) == ("Nytt namn", Visibility.MEMBERS)


# Posts


def test_a_member_posts_and_the_other_members_are_told(public_network, coordinator, member):
    response = client_for(member).post(
        f"/nettverk/{public_network.slug}/innlegg/nytt/", {"body": "Hei alle!"}
    )
    assert response.status_code == 302
    post = Post.objects.get(network=public_network)
    assert response["Location"] == f"/nettverk/{public_network.slug}/#innlegg-{post.pk}"
    told = Notification.objects.filter(kind="network_post")
    assert [n.recipient for n in told] == [coordinator]
    assert told[0].url == f"/nettverk/{public_network.slug}/#innlegg-{post.pk}"


def test_script_in_a_post_is_neutralised(public_network, member):
    body = (
        'Hei <script>alert("x")</script> [klikk](javascript:alert(1)) '
        '<img src=x onerror="alert(2)">'
    )
    client = client_for(member)
    client.post(f"/nettverk/{public_network.slug}/innlegg/nytt/", {"body": body})
    page = client.get(f"/nettverk/{public_network.slug}/").content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "<img src=x" not in page
    assert "Hei" in page


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_non_members_cannot_post(public_network, outsider, client, who):
    poster = client_for(outsider) if who == "outsider" else client
    for form in ("innlegg/nytt/", "dokument/nytt/"):
        status = poster.get(f"/nettverk/{public_network.slug}/{form}").status_code
        assert status == (403 if who == "outsider" else 302)
    response = poster.post(f"/nettverk/{public_network.slug}/innlegg/nytt/", {"body": "Spam"})
    assert response.status_code in (302, 403)
    if who == "outsider":
        assert response.status_code == 403
    assert not Post.objects.exists()


def test_posting_is_rate_limited(public_network, member):
    client = client_for(member)
    url = f"/nettverk/{public_network.slug}/innlegg/nytt/"
    codes = [client.post(url, {"body": f"Innlegg {i}"}).status_code for i in range(11)]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429
    assert Post.objects.count() == 10


def test_a_coordinator_removes_anyones_post_but_members_only_their_own(
    public_network, coordinator, member, outsider
):
    own = do_post(public_network, member, "Mitt")
    theirs = do_post(public_network, coordinator, "Koordinatoren sitt")
    slug = public_network.slug
    assert (
        client_for(member).post(f"/nettverk/{slug}/innlegg/{theirs.pk}/slett/").status_code == 403
    )
    assert client_for(outsider).post(f"/nettverk/{slug}/innlegg/{own.pk}/slett/").status_code == 403
    assert client_for(member).post(f"/nettverk/{slug}/innlegg/{own.pk}/slett/").status_code == 302
    assert client_for(coordinator).post(f"/nettverk/{slug}/innlegg/{theirs.pk}/slett/").status_code == 302  # fmt: skip
    assert not Post.objects.exists()


# Documents


def _upload(client, network: Network, content: bytes, name: str, title: str = "Rapport"):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        f"/nettverk/{network.slug}/dokument/nytt/", {"title": title, "file": file}, follow=True
    )


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused_with_a_message(
    public_network, member
):
    response = _upload(
        client_for(member), public_network, b"MZ\x90\x00\x03" + bytes(200), "rapport.pdf"
    )
    assert response.status_code == 400
    assert "is not a type we accept" in response.content.decode()
    assert not Document.objects.exists()


def test_a_real_pdf_is_shared_and_served_as_an_attachment(public_network, coordinator, member):
    _upload(client_for(member), public_network, MINIMAL_PDF, "../../rapport 2025.pdf")
    document = Document.objects.get()
    assert (document.kind, document.filename) == ("pdf", "rapport 2025.pdf")
    assert Notification.objects.get(kind="network_document").recipient == coordinator
    response = client_for(coordinator).get(
        f"/nettverk/{public_network.slug}/dokument/{document.pk}/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "rapport" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == MINIMAL_PDF


def test_html_claiming_to_be_a_pdf_is_served_as_html_attachment_never_inline(
    public_network, member
):
    html = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    _upload(client_for(member), public_network, html, "rapport.pdf")
    document = Document.objects.get()
    response = client_for(member).get(f"/nettverk/{public_network.slug}/dokument/{document.pk}/")
    assert response["Content-Type"] == "text/html"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_document_over_the_size_limit_is_refused(public_network, member, settings):
    settings.NETWORK_DOCUMENT_MAX_BYTES = 100
    response = _upload(client_for(member), public_network, MINIMAL_PDF + b"x" * 200, "stor.pdf")
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Document.objects.exists()


def test_non_members_cannot_upload_or_remove_documents(public_network, member, outsider, client):
    _upload(client_for(member), public_network, MINIMAL_PDF, "a.pdf")
    document = Document.objects.get()
    slug = public_network.slug
    assert _upload(client_for(outsider), public_network, MINIMAL_PDF, "b.pdf").status_code == 403
    assert client_for(outsider).post(f"/nettverk/{slug}/dokument/{document.pk}/slett/").status_code == 403  # fmt: skip
    response = client.post(f"/nettverk/{slug}/dokument/{document.pk}/slett/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert Document.objects.count() == 1


def test_a_member_cannot_remove_someone_elses_document_but_a_coordinator_can(
    public_network, coordinator, member
):
    _upload(client_for(coordinator), public_network, MINIMAL_PDF, "a.pdf")
    document = Document.objects.get()
    url = f"/nettverk/{public_network.slug}/dokument/{document.pk}/slett/"
    assert client_for(member).post(url).status_code == 403
    _upload(client_for(member), public_network, MINIMAL_PDF, "b.pdf", title="Min")
    mine = Document.objects.get(title="Min")
    assert client_for(coordinator).post(url).status_code == 302
    assert (
        client_for(coordinator).post(url.replace(str(document.pk), str(mine.pk))).status_code == 302
    )
    assert not Document.objects.exists()


# What non-members see


def test_posts_documents_and_members_of_a_public_network_are_for_members_only(
    public_network, coordinator, member, outsider, client
):
    do_post(public_network, member, "Hemmeleg innlegg")
    _upload(client_for(member), public_network, MINIMAL_PDF, "a.pdf", title="Hemmeleg rapport")
    document = Document.objects.get()
    url = f"/nettverk/{public_network.slug}/"
    for viewer in (client, client_for(outsider)):
        page = viewer.get(url).content.decode()
        assert public_network.name in page
        assert "Hemmeleg innlegg" not in page
        assert "Hemmeleg rapport" not in page
        assert member.email not in page
        assert "for the network&#x27;s members only" in page or "members only" in page
        assert viewer.get(f"{url}dokument/{document.pk}/").status_code in (403, 302)
        data = viewer.get(f"/api/v1/networks/{public_network.slug}/").json()
        assert data["posts"] is None
        assert data["documents"] is None
        assert data["members"] is None
    page = client_for(member).get(url).content.decode()
    assert "Hemmeleg innlegg" in page
    assert "Hemmeleg rapport" in page


def test_a_members_only_network_is_invisible_to_non_members_on_every_page_and_api(
    closed_network, coordinator, member, outsider, client
):
    do_post(closed_network, member, "Innlegg")
    _upload(client_for(member), closed_network, MINIMAL_PDF, "a.pdf")
    document = Document.objects.get()
    post = Post.objects.get()
    event = make_event(coordinator, network=closed_network, visibility=Visibility.MEMBERS)
    slug = closed_network.slug
    hidden_gets = [
        f"/nettverk/{slug}/",
        f"/nettverk/{slug}/dokument/{document.pk}/",
        f"/arrangement/{event.pk}/",
        f"/arrangement/{event.pk}/kalender.ics",
        f"/api/v1/networks/{slug}/",
        f"/api/v1/events/{event.pk}/",
    ]
    hidden_posts = [
        f"/nettverk/{slug}/bli-med/",
        f"/nettverk/{slug}/innlegg/{post.pk}/slett/",
        f"/arrangement/{event.pk}/meld-pa/",
    ]
    for viewer in (client, client_for(outsider)):
        for url in hidden_gets:
            assert viewer.get(url).status_code == 404, url
        for url in hidden_posts:
            assert viewer.post(url).status_code in (302, 404), url
        for url in ("/nettverk/", "/arrangement/", "/api/v1/networks/", "/api/v1/events/"):
            body = viewer.get(url).content.decode()
            assert closed_network.name not in body, url
            assert event.title not in body, url
    member_client = client_for(member)
    for url in hidden_gets:
        assert member_client.get(url).status_code == 200, url
    assert closed_network.name in member_client.get("/nettverk/").content.decode()
    assert event.title in member_client.get("/arrangement/").content.decode()
    assert not event.registrations.exists()


def test_members_only_events_of_an_organisation_are_for_its_members(
    coordinator, bergen, bergen_reader, volda_admin, client
):
    event = make_event(coordinator, organisation=bergen, visibility=Visibility.MEMBERS)
    assert bergen_reader.get(f"/arrangement/{event.pk}/").status_code == 200
    assert volda_admin.get(f"/arrangement/{event.pk}/").status_code == 404
    assert client.get(f"/arrangement/{event.pk}/").status_code == 404
    assert volda_admin.post(f"/arrangement/{event.pk}/meld-pa/").status_code == 404


def test_the_public_api_never_names_participants(coordinator, bergen, client):
    event = make_event(coordinator, organisation=bergen)
    participant = make_user("deltakar@example.no")
    participant.first_name = "Synnøve"
    participant.save()
    from lokalmaal.networks.actions import do_register

    do_register(event, participant)
    for viewer in (client, client_for(participant)):
        body = viewer.get(f"/api/v1/events/{event.pk}/").content.decode()
        assert "Synnøve" not in body
        assert "deltakar@example.no" not in body
    data = client.get(f"/api/v1/events/{event.pk}/").json()
    assert data["places_left"] == 1
    assert data["online_url"] is None  # the link is for participants
    assert client_for(participant).get(f"/api/v1/events/{event.pk}/").json()["online_url"]


def test_the_network_list_and_api_agree(public_network, closed_network, client):
    listed = [n["slug"] for n in client.get("/api/v1/networks/").json()]
    assert listed == [public_network.slug]
    page = client.get("/nettverk/").content.decode()
    assert public_network.name in page
    assert closed_network.name not in page
    assert "2 members" in page
