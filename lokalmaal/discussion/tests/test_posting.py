"""Posting: bad input, unsafe markup, rate limits, follows, reports and settings."""

from django.test import Client

from conftest import make_user
from lokalmaal.arena.moderation import REPORT_KINDS, find_reportable
from lokalmaal.catalogue.models import Target
from lokalmaal.discussion import actions, notify
from lokalmaal.discussion.models import Follow, Notification, NotificationSettings, Question
from lokalmaal.discussion.tests.conftest import client_for
from lokalmaal.discussion.views import POST_LIMIT


def test_script_and_unsafe_markup_never_reach_the_page(target, asker):
    client = client_for(asker)
    client.post(
        "/sporsmal/ny/target/11.6/",
        {
            "title": "<script>alert('t')</script>Tittel",
            "body": "<script>alert(1)</script>\n\n[klikk](javascript:alert(2)) "
            '<img src=x onerror="alert(3)"> **feit**',
        },
    )
    question = Question.objects.get()
    client.post(f"/sporsmal/{question.pk}/svar/", {"body": "<iframe src=//evil></iframe>svar"})
    page = client.get(f"/sporsmal/{question.pk}/").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;Tittel" in page
    assert 'href="javascript:' not in page
    assert "<img" not in page  # shown as text, never as a tag with its onerror
    assert "<iframe" not in page
    assert "<strong>feit</strong>" in page
    detail = client.get(f"/api/v1/questions/{question.pk}/").json()
    assert "<script" not in detail["body_html"]
    assert "<iframe" not in detail["answers"][0]["body_html"]


def test_a_question_needs_a_title_and_keeps_what_was_typed(target, asker):
    response = client_for(asker).post(
        "/sporsmal/ny/target/11.6/", {"title": "", "body": "Mykje tekst eg ikkje vil miste"}
    )
    assert response.status_code == 400
    assert "Mykje tekst eg ikkje vil miste" in response.text
    assert "ds-validation-message" in response.text
    assert not Question.objects.exists()


def test_an_empty_answer_is_refused(target, asker):
    question = actions.do_ask(asker, target, "Kva?", "")
    response = client_for(asker).post(f"/sporsmal/{question.pk}/svar/", {"body": " "})
    assert response.status_code == 400
    assert not question.answers.exists()


def test_posting_is_rate_limited(target, asker):
    client = client_for(asker)
    for number in range(POST_LIMIT):
        response = client.post("/sporsmal/ny/target/11.6/", {"title": f"Spørsmål {number}"})
        assert response.status_code == 302
    response = client.post("/sporsmal/ny/target/11.6/", {"title": "Ein for mykje"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert Question.objects.count() == POST_LIMIT
    question = Question.objects.all()[0]
    assert client.post(f"/sporsmal/{question.pk}/svar/", {"body": "svar"}).status_code == 429


def test_followers_of_a_target_hear_about_questions_and_answers_once(target, asker, author):
    follower = make_user("fylgjar@example.no")
    client = client_for(follower)
    response = client.post(
        "/folg/", {"model": "catalogue.target", "key": target.pk, "next": "/delmal/11.6/"}
    )
    assert response["Location"] == "/delmal/11.6/"
    assert notify.is_following(follower, target)
    question = actions.do_ask(asker, target, "Kva er gode tiltak?", "")
    assert Notification.objects.filter(recipient=follower, kind="question_asked").count() == 1
    client.post("/folg/", {"model": "discussion.question", "key": question.pk})
    actions.do_answer(author, question, "Sykkelvegar.")
    assert Notification.objects.filter(recipient=follower, kind="answer_posted").count() == 1
    # The asker hears about the answer once, though they also follow their own question.
    assert Notification.objects.filter(recipient=asker, kind="answer_posted").count() == 1
    assert not Notification.objects.filter(recipient=author, kind="answer_posted").exists()

    client.post("/folg/slutt/", {"model": "catalogue.target", "key": target.pk})
    assert not notify.is_following(follower, target)


def test_follow_refuses_unknown_models_and_foreign_redirects(asker, target):
    client = client_for(asker)
    assert client.post("/folg/", {"model": "accounts.user", "key": asker.pk}).status_code == 404
    assert client.post("/folg/", {"model": "catalogue.target", "key": "x"}).status_code == 404
    response = client.post(
        "/folg/", {"model": "catalogue.target", "key": target.pk, "next": "https://evil.example"}
    )
    assert response["Location"] == "/varsel/"
    assert Follow.objects.filter(person=asker, content_type__model="target").count() == 1


def test_nobody_follows_what_they_may_not_see(closed_network, asker):
    response = client_for(asker).post(
        "/folg/", {"model": "networks.network", "key": closed_network.pk}
    )
    assert response.status_code == 404
    assert not notify.is_following(asker, closed_network)


def test_the_follow_button_shows_the_state(target, asker):
    client = client_for(asker)
    assert 'action="/folg/"' in client.get("/delmal/11.6/sporsmal/").text
    notify.follow(asker, target)
    page = client.get("/delmal/11.6/sporsmal/").text
    assert 'action="/folg/slutt/"' in page
    assert 'aria-pressed="true"' in page
    assert "/folg/" not in Client().get("/delmal/11.6/sporsmal/").text


def test_questions_and_answers_can_be_reported_through_the_arena(target, asker, author):
    question = actions.do_ask(asker, target, "Kva?", "")
    answer = actions.do_answer(author, question, "Dette.")
    page = client_for(author).get(f"/sporsmal/{question.pk}/").text
    assert f"kind=question&amp;key={question.pk}" in page
    assert f"kind=answer&amp;key={answer.pk}" in page
    assert {"question", "answer"} <= set(REPORT_KINDS)
    found = find_reportable(Client().request().wsgi_request.user, "question", question.pk)
    assert found is not None
    assert found.url == f"/sporsmal/{question.pk}/"
    moderator = make_user("m@ks.no")
    REPORT_KINDS["answer"].hide(moderator, answer.pk, "spam")
    answer.refresh_from_db()
    assert answer.is_hidden


def test_the_header_shows_the_unread_count(asker):
    client = client_for(asker)
    assert "unread-count" not in client.get("/").text
    notify.notify(asker, "network_post", title="Nytt", url="/x/")
    notify.notify(asker, "network_post", title="Nytt 2", url="/x/")
    assert '<span class="unread-count">2<' in client.get("/?lang=en").text


def test_digest_settings_are_saved_per_person(asker):
    client = client_for(asker)
    page = client.get("/varsel/innstillingar/")
    assert page.status_code == 200
    assert 'value="weekly" checked' in page.text
    response = client.post("/varsel/innstillingar/", {"digest": "daily", "language": "nn"})
    assert response.status_code == 302
    chosen = NotificationSettings.objects.get(person=asker)
    assert (chosen.digest, chosen.language) == ("daily", "nn")
    response = client.post("/varsel/innstillingar/", {"digest": "hourly", "language": "nn"})
    assert response.status_code == 400
    chosen.refresh_from_db()
    assert chosen.digest == "daily"


def test_notifications_api_needs_a_session_and_is_in_the_asked_language(asker):
    notify.notify(asker, "event_cancelled", title="Berekraftsdagen", url="/e/1/")
    assert Client().get("/api/v1/notifications/").status_code == 401
    body = client_for(asker).get("/api/v1/notifications/?lang=en").json()
    assert [(n["kind"], n["message"], n["read"]) for n in body] == [
        ("event_cancelled", "Cancelled: “Berekraftsdagen”", False)
    ]


def test_target_questions_page_for_an_unknown_target_is_404(db):
    assert Client().get("/delmal/99.9/sporsmal/").status_code == 404
    assert Target.objects.filter(code="11.6").exists()


def test_the_question_and_notification_endpoints_are_documented(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/questions/", "/api/v1/questions/{question_id}/"):
        assert paths[path]["get"]["summary"]
    assert paths["/api/v1/notifications/"]["get"]["security"]
    assert "/api/v1/notifications/" in Client().get("/api/").text


def test_question_lists_take_a_fixed_number_of_queries(
    target, asker, author, django_assert_max_num_queries
):
    for number in range(15):
        question = actions.do_ask(asker, target, f"Spørsmål {number}", "")
        actions.do_answer(author, question, "Svar")
    with django_assert_max_num_queries(12):
        Client().get("/api/v1/questions/?target=11.6")
    with django_assert_max_num_queries(15):
        Client().get(f"/api/v1/questions/{question.pk}/")
