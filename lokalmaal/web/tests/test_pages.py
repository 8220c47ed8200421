"""Every page type serves real content in bokmål, nynorsk and English, and its API twin agrees."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = {
    "home": ("/", "/api/v1/"),
    "goals": ("/mal/", "/api/v1/goals/"),
    "goal": ("/mal/13/", "/api/v1/goals/13/"),
    "target": ("/delmal/11.6/", "/api/v1/targets/11.6/"),
    "municipalities": ("/kommuner/", "/api/v1/regions/?type=municipality"),
    "counties": ("/fylker/", "/api/v1/regions/?type=county"),
    "municipality": ("/kommuner/4601/", "/api/v1/regions/4601/"),
    "county": ("/fylker/46/", "/api/v1/regions/46/"),
    "organisations": ("/organisasjoner/", "/api/v1/organisations/"),
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_and_its_api_twin_answer_in_each_language(client: Client, name, language):
    page, api = PAGES[name]
    response = client.get(page, {"lang": language})
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text
    separator = "&" if "?" in api else "?"
    assert client.get(f"{api}{separator}lang={language}").status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Stoppe klimaendringene"),
        ("nn", "Stoppe klimaendringane"),
        ("en", "Climate action"),
    ],
)
def test_goal_13_is_shown_in_the_chosen_language(client: Client, language, expected):
    assert expected in client.get("/mal/13/", {"lang": language}).text
    assert client.get("/api/v1/goals/13/", {"lang": language}).json()["short"] == expected


def test_target_page_shows_the_text_in_all_three_languages_with_provenance(client: Client):
    text = client.get("/delmal/11.6/", {"lang": "nn"}).text
    assert "Innan 2030" in text
    assert "Innen 2030" in text
    assert "By 2030" in text
    assert "Target 11.6" in client.get("/delmal/11.6/", {"lang": "en"}).text


def test_language_choice_is_remembered_in_a_cookie(client: Client):
    client.get("/", {"lang": "nn"})
    assert '<html lang="nn"' in client.get("/mal/").text


def test_a_nynorsk_municipality_page_defaults_to_nynorsk(client: Client):
    response = client.get("/kommuner/1577/")
    assert '<html lang="nn"' in response.text
    assert "Volda" in response.text


def test_the_visitors_choice_beats_the_municipalitys_written_standard(client: Client):
    client.get("/", {"lang": "en"})
    assert '<html lang="en"' in client.get("/kommuner/1577/").text


def test_a_bokmaal_municipality_page_defaults_to_bokmaal(client: Client):
    # 1101 Eigersund has bokmål as its written standard
    assert '<html lang="nb"' in client.get("/kommuner/1101/").text


def test_municipality_page_has_key_figures_map_and_population_table(client: Client):
    text = client.get("/kommuner/4601/", {"lang": "en"}).text
    assert "Bergen" in text
    assert "Vestland" in text
    assert "291\u00a0940" in text or "291,940" in text  # population 1 January 2024
    assert 'role="img"' in text
    assert "<title" in text
    assert '<caption id="population-table-caption">' in text  # the chart's data table


def test_municipality_search_finds_by_name_and_number(client: Client):
    assert "Bergen" in client.get("/kommuner/", {"q": "berg"}).text
    assert "Volda" in client.get("/kommuner/", {"q": "1577"}).text
    assert "Volda" not in client.get("/kommuner/", {"q": "berg"}).text


def test_county_page_lists_its_municipalities(client: Client):
    text = client.get("/fylker/46/").text
    assert "Bergen" in text
    assert "Voss" in text


def test_a_municipality_code_under_the_county_path_redirects(client: Client):
    assert client.get("/fylker/4601/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/mal/18/", "/delmal/11.99/", "/kommuner/9999/", "/organisasjoner/finst-ikkje/"]
)
def test_unknown_things_are_404(client: Client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/goals/18/", "/api/v1/targets/99.1/", "/api/v1/regions/0000/"]
)
def test_unknown_things_are_404_in_the_api_too(client: Client, path):
    assert client.get(path).status_code == 404


def test_an_unsupported_language_in_the_api_is_a_clear_422(client: Client):
    response = client.get("/api/v1/goals/", {"lang": "sv"})
    assert response.status_code == 422
    assert "lang" in response.text


def test_pages_have_no_inline_script_style_or_event_handlers(client: Client):
    for page, _api in PAGES.values():
        html = client.get(page).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
        assert not re.search(r"\sstyle=", html), page
        assert not re.search(r"\son[a-z]+=", html), page


def test_pages_request_nothing_from_other_hosts(client: Client):
    for page, _api in PAGES.values():
        html = client.get(page).text
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert url.startswith("http://testserver"), (page, url)
