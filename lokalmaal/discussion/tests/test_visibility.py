"""Questions inherit who may see them from their example or network, on every page and in the
API and search."""

from django.test import Client

from conftest import make_user
from lokalmaal.arena.models import SearchEntry
from lokalmaal.discussion import actions
from lokalmaal.discussion.models import Notification, Question
from lokalmaal.discussion.tests.conftest import client_for


def test_questions_on_a_members_only_example_are_hidden_from_anonymous_visitors(
    members_example, author, asker
):
    question = actions.do_ask(asker, members_example, "Kva med vedlikehald?", "")
    anonymous = Client()
    assert anonymous.get(f"/sporsmal/{question.pk}/").status_code == 404
    assert anonymous.get(f"/api/v1/questions/{question.pk}/").status_code == 404
    assert anonymous.get("/api/v1/questions/").json() == []
    assert "Kva med vedlikehald?" not in anonymous.get("/sporsmal/").text
    assert anonymous.get(f"/api/v1/questions/?example={members_example.pk}").status_code == 404
    logged_in = client_for(make_user("nokon@example.no"))
    assert logged_in.get(f"/sporsmal/{question.pk}/").status_code == 200
    assert [q["id"] for q in logged_in.get("/api/v1/questions/").json()] == [question.pk]
    entry = SearchEntry.objects.get(kind="question", key=question.pk)
    assert entry.public is False


def test_questions_on_a_public_example_are_public_and_searchable(example, asker):
    question = actions.do_ask(asker, example, "Kva med vedlikehald?", "Detaljar")
    assert Client().get(f"/sporsmal/{question.pk}/").status_code == 200
    entry = SearchEntry.objects.get(kind="question", key=question.pk)
    assert entry.public is True
    assert entry.url == f"/sporsmal/{question.pk}/"
    assert set(entry.tags.filter(facet="target").values_list("value", flat=True)) == {
        "11.6",
        "13.1",
    }


def test_questions_in_a_members_only_network_are_for_its_members(closed_network, author, asker):
    question = actions.do_ask(author, closed_network, "Kven kjem på møtet?", "")
    for outsider in (Client(), client_for(asker)):
        assert outsider.get(f"/sporsmal/{question.pk}/").status_code == 404
        assert outsider.get("/api/v1/questions/").json() == []
    assert client_for(author).get(f"/sporsmal/{question.pk}/").status_code == 200
    # Search shows non-public entries to every logged-in person, so these stay out.
    assert not SearchEntry.objects.filter(kind="question", key=question.pk).exists()


def test_only_network_members_ask_and_answer_in_a_network(open_network, author, asker):
    outsider = client_for(asker)
    url = f"/sporsmal/ny/network/{open_network.slug}/"
    assert outsider.post(url, {"title": "Kan eg vere med?"}).status_code == 403
    assert client_for(author).post(url, {"title": "Kven kjem?"}).status_code == 302
    question = Question.objects.get()
    assert Client().get(f"/sporsmal/{question.pk}/").status_code == 200  # a public network
    assert outsider.post(f"/sporsmal/{question.pk}/svar/", {"body": "Eg"}).status_code == 403


def test_nobody_asks_about_an_unpublished_example(example, asker):
    example.status = "draft"
    example.save()
    response = client_for(asker).post(f"/sporsmal/ny/example/{example.pk}/", {"title": "Kva?"})
    assert response.status_code == 404
    assert not Question.objects.exists()


def test_followers_who_may_not_see_the_subject_are_not_told(closed_network, author, asker):
    from lokalmaal.discussion import notify

    notify.follow(asker, closed_network)  # followed before, not a member
    actions.do_ask(author, closed_network, "Intern sak", "")
    assert not Notification.objects.filter(recipient=asker).exists()


def test_questions_on_a_target_are_listed_on_its_page(target, asker):
    actions.do_ask(asker, target, "Korleis måler de luftkvalitet?", "")
    assert "Korleis måler de luftkvalitet?" in Client().get("/delmal/11.6/sporsmal/").text
    assert "Korleis måler de luftkvalitet?" in Client().get("/delmal/11.6/").text
    api = Client().get("/api/v1/questions/?target=11.6").json()
    assert [q["title"] for q in api] == ["Korleis måler de luftkvalitet?"]
    assert Client().get("/api/v1/questions/?target=99.9").status_code == 404


def test_network_members_hear_about_questions_in_their_network(closed_network, author, volda):
    from lokalmaal.discussion.tests.conftest import member
    from lokalmaal.networks.models import NetworkMembership

    colleague = member(volda, "kollega@volda.kommune.no")
    NetworkMembership.objects.create(network=closed_network, person=colleague)
    question = actions.do_ask(author, closed_network, "Kven kjem på møtet?", "")
    assert list(Notification.objects.values_list("recipient", "kind", "url")) == [
        (colleague.pk, "question_asked", f"/sporsmal/{question.pk}/")
    ]
