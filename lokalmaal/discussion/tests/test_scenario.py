"""The done-when scenario: a member of another municipality asks on a practice example, the
author is notified and answers, the asker marks the answer helpful; all through the pages."""

from django.core import mail

from lokalmaal.discussion.models import Answer, Notification, Question
from lokalmaal.discussion.tests.conftest import client_for


def test_question_on_an_example_is_answered_and_marked_helpful(example, author, asker):
    asker_client, author_client = client_for(asker), client_for(author)

    page = asker_client.get(f"/sporsmal/ny/example/{example.pk}/")
    assert page.status_code == 200
    response = asker_client.post(
        f"/sporsmal/ny/example/{example.pk}/",
        {"title": "Kva kosta dei grøne taka?", "body": "Og kven betalte?"},
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sporsmal/{question.pk}/"
    assert (question.example, question.author) == (example, asker)

    # The example's author is told, in the platform (no e-mail until the digest).
    told = Notification.objects.get(recipient=author)
    assert (told.kind, told.title, told.url) == (
        "question_asked",
        "Kva kosta dei grøne taka?",
        f"/sporsmal/{question.pk}/",
    )
    assert mail.outbox == []
    notifications_page = author_client.get("/varsel/?lang=en")
    assert "New question: Kva kosta dei grøne taka?" in notifications_page.text
    assert example.title in author_client.get(f"/sporsmal/{question.pk}/").text

    response = author_client.post(
        f"/sporsmal/{question.pk}/svar/", {"body": "Om lag 2000 kroner per m²."}
    )
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sporsmal/{question.pk}/#svar-{answer.pk}"
    answered = Notification.objects.get(recipient=asker)
    assert answered.kind == "answer_posted"
    assert answered.url.endswith(f"#svar-{answer.pk}")

    page = asker_client.get(f"/sporsmal/{question.pk}/")
    assert "Om lag 2000 kroner per m²." in page.text
    assert "Ola Nordmann, Volda kommune" in page.text
    assert "Kari Nordmann, Bergen kommune" in page.text
    assert f'action="/sporsmal/svar/{answer.pk}/nyttig/"' in page.text

    response = asker_client.post(f"/sporsmal/svar/{answer.pk}/nyttig/", {"helpful": "true"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.helpful
    helpful = Notification.objects.filter(recipient=author, kind="answer_helpful").get()
    assert helpful.title == question.title
    assert asker_client.get(f"/api/v1/questions/{question.pk}/").json()["answers"][0]["helpful"]

    # The author reads the notifications.
    author_client.post("/varsel/lese/")
    assert not Notification.objects.filter(recipient=author, read_at__isnull=True).exists()
