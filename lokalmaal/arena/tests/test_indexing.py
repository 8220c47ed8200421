"""The search index follows visibility on every path (indexing.py): what a page hides, the
search does not show either (issue #16)."""

import dataclasses

import pytest
from django.test import Client

from conftest import make_user
from lokalmaal.accounts.models import User
from lokalmaal.arena import actions, indexing
from lokalmaal.arena.models import Example, SearchEntry, Visibility
from lokalmaal.discussion import actions as discussion
from lokalmaal.discussion.models import Question
from lokalmaal.networks import actions as networks
from lokalmaal.networks.models import Event, Network, NetworkMembership, NetworkRole
from lokalmaal.networks.models import Visibility as NetworkVisibility
from lokalmaal.networks.tests.conftest import make_event

from .conftest import new_example, publish, user_of

QUESTION = "Korleis fekk de med foreldra på dugnaden?"


def found(client: Client, words: str = "dugnaden") -> set[tuple[str, str]]:
    """(kind, url) of the hits /api/v1/search/ gives `client` for `words`."""
    response = client.get("/api/v1/search/", {"q": words})
    assert response.status_code == 200
    return {(hit["kind"], hit["url"]) for hit in response.json()}


def logged_in() -> Client:
    client = Client()
    client.force_login(make_user("innlogga@example.no"))
    return client


@pytest.fixture
def asker(db) -> User:
    return make_user("spor@volda.kommune.no")


@pytest.fixture
def question(published: Example, asker: User) -> Question:
    return discussion.do_ask(asker, published, QUESTION, "Vi prøver det same i Volda.")


def question_hit(question: Question) -> tuple[str, str]:
    return ("question", f"/sporsmal/{question.pk}/")


def test_a_question_on_a_public_example_is_found_by_everyone(question):
    assert question_hit(question) in found(Client())
    assert question_hit(question) in found(logged_in())


def test_unpublishing_an_example_takes_its_questions_out_of_search(question, published, moderator):
    actions.do_unpublish_example(published, user_of(moderator), "Feil i teksten")
    assert Client().get(f"/sporsmal/{question.pk}/").status_code == 404
    assert found(Client()) == set()
    assert found(logged_in()) == set()
    assert not SearchEntry.objects.filter(kind="question", key=question.pk).exists()


def test_publishing_again_brings_the_questions_back(question, published, moderator):
    actions.do_unpublish_example(published, user_of(moderator), "Feil i teksten")
    actions.do_submit_example(published, user_of(moderator))
    actions.do_publish_example(published, user_of(moderator))
    assert question_hit(question) in found(Client())


def test_sending_back_an_example_takes_its_questions_out_of_search(question, published, moderator):
    actions.do_send_back_example(published, user_of(moderator), "Skriv meir om kostnader")
    assert found(logged_in()) == set()


def test_hiding_a_reported_example_takes_its_questions_out_of_search(
    question, published, moderator
):
    actions.hide_example(user_of(moderator), published.pk, "Personopplysningar")
    assert found(logged_in()) == set()


def test_an_example_turned_members_only_hides_its_questions_from_anonymous_people(
    question, published
):
    editor = published.author
    assert editor is not None
    data = actions.ExampleInput(
        title=published.title,
        summary=published.summary,
        organisations=list(published.organisations.all()),
        targets=list(published.targets.all()),
        visibility=Visibility.MEMBERS,
    )
    actions.do_update_example(published, editor, data, published.version)
    assert found(Client()) == set()
    assert question_hit(question) in found(logged_in())
    # and back to public
    published.refresh_from_db()
    public = dataclasses.replace(data, visibility=Visibility.PUBLIC)
    actions.do_update_example(published, editor, public, published.version)
    assert question_hit(question) in found(Client())


def test_deleting_an_example_however_removes_it_and_its_questions(question, published):
    assert SearchEntry.objects.filter(key__in=[published.pk, question.pk]).count() == 2
    Example.objects.filter(pk=published.pk).delete()  # not through the workflow: still removed
    assert not SearchEntry.objects.filter(kind__in=["example", "question"]).exists()
    assert found(logged_in()) == set()


def test_hiding_a_question_takes_it_out_of_search(question, moderator):
    discussion.do_hide_question(user_of(moderator), question, "Ikkje relevant")
    assert found(logged_in()) == set()


def test_deleting_a_question_removes_it(question):
    question.delete()
    assert found(logged_in()) == set()


# Networks


@pytest.fixture
def public_network(asker: User) -> Network:
    network = networks.do_create_network(
        asker,
        networks.NetworkInput(
            name="Dugnadsnettverket", description="", region=None, visibility="public"
        ),
    )
    NetworkMembership.objects.create(
        network=network, person=make_user("medlem@example.no"), role=NetworkRole.MEMBER
    )
    return network


def _set_visibility(network: Network, visibility: str) -> None:
    networks.do_update_network(
        network,
        networks.NetworkInput(
            name=network.name,
            description=network.description,
            region=network.region,
            visibility=visibility,
        ),
    )


def test_a_network_made_members_only_takes_its_questions_out_of_search(public_network, asker):
    question = discussion.do_ask(asker, public_network, QUESTION, "")
    assert question_hit(question) in found(Client())
    _set_visibility(public_network, NetworkVisibility.MEMBERS)
    assert found(Client()) == set()
    assert found(logged_in()) == set()  # members only is a smaller circle than logged in
    _set_visibility(public_network, NetworkVisibility.PUBLIC)
    assert question_hit(question) in found(Client())


def test_deleting_a_network_removes_its_questions(public_network, asker):
    discussion.do_ask(asker, public_network, QUESTION, "")
    public_network.delete()
    assert found(logged_in()) == set()


# Events


@pytest.fixture
def event(asker: User) -> Event:
    return make_event(asker, title="Dugnaden i Volda")


def event_hit(event: Event) -> tuple[str, str]:
    return ("event", f"/arrangement/{event.pk}/")


def test_a_cancelled_event_leaves_search(event):
    assert event_hit(event) in found(Client())
    networks.do_cancel_event(event)
    assert found(logged_in()) == set()


def test_an_event_made_members_only_leaves_search(event):
    fields = {f.name for f in dataclasses.fields(networks.EventInput)}
    data = networks.EventInput(**{name: getattr(event, name) for name in fields})
    networks.do_update_event(event, dataclasses.replace(data, visibility="members"))
    assert found(logged_in()) == set()
    networks.do_update_event(event, data)
    assert event_hit(event) in found(Client())


def test_deleting_an_event_removes_it(event):
    Event.objects.filter(pk=event.pk).delete()
    assert found(logged_in()) == set()


# From scratch


def test_rebuilding_gives_what_the_changes_gave(question, published, bergen, public_network, event):
    draft = new_example(bergen, title="Dugnaden som aldri vart publisert")
    members = publish(new_example(bergen, title="Dugnaden for medlemmer", visibility="members"))
    discussion.do_ask(make_user("a@example.no"), public_network, "Dugnaden neste år?", "")
    before = set(SearchEntry.objects.values_list("kind", "key", "public", "url"))
    assert ("example", draft.pk) not in {(kind, key) for kind, key, _p, _u in before}
    assert ("example", members.pk, False, members.get_absolute_url()) in before
    SearchEntry.objects.update(public=True)  # a stale index…
    indexing.rebuild()  # …is put right
    assert set(SearchEntry.objects.values_list("kind", "key", "public", "url")) == before
    anonymous = found(Client())  # the full-text side answers after the rebuild too
    assert {question_hit(question), event_hit(event)} <= anonymous
    assert ("example", members.get_absolute_url()) not in anonymous
    assert ("example", members.get_absolute_url()) in found(logged_in())
