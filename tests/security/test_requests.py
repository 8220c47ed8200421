"""Control characters are refused before they reach the database, and a code that is no
municipality has no similar municipalities (issue #16: these were 500s on PostgreSQL)."""

import pytest
from django.conf import settings
from django.test import Client

# The URLs the probe found answering 500 on PostgreSQL (a sample of its 22).
PROBED = [
    "/sok/?q=%00",
    "/kommuner/%00/",
    "/api/v1/regions/?q=%00",
    "/delmal/?q=%00",
    "/fylker/%00/",
    "/kommuner/?q=%00",
    "/erfaringar/?q=%00",
    "/api/v1/search/?q=%00",
    "/api/v1/targets/%00/",
    "/api/v1/organisations/%00/",
    "/indikatorar/%00/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PROBED)
def test_a_nul_byte_is_refused_with_400(url: str):
    response = Client().get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "%00" in response.json()["detail"]  # JSON, in the default language (bokmål)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/sok/?q=a%01b", "/sok/?%1b=1", "/kommuner/%7f/", "/mal/%0a/", "/sok/?q=%C2%85"]
)
def test_other_control_characters_are_refused_too(url: str):
    assert Client().get(url).status_code == (200 if "%C2%85" in url else 400)


@pytest.mark.django_db
def test_tabs_and_line_breaks_in_a_search_are_text():
    assert Client().get("/sok/?q=skole%09barnehage%0d%0a").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [("nb", "kontrolltegn"), ("nn", "kontrollteikn"), ("en", "control character")],
)
def test_the_refusal_says_what_to_do_in_the_visitors_language(language: str, words: str):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/kommuner/%00/")
    assert words in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["46", "0301x", "9999", "0"])
def test_similar_municipalities_of_a_county_or_unknown_code_is_404(code: str):
    assert Client().get(f"/api/v1/regions/{code}/similar/").status_code == 404


@pytest.mark.django_db
def test_similar_municipalities_of_a_municipality_still_answer():
    similar = Client().get("/api/v1/regions/4601/similar/").json()
    assert len(similar) == 10
