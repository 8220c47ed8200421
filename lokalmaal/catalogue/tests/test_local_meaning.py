"""Every target says what it means for a Norwegian municipality and county, in bokmål and nynorsk."""

from pathlib import Path

import pytest
from django.test import Client

from lokalmaal.catalogue.local import read_local_meanings
from lokalmaal.catalogue.models import LocalMeaning, Target
from lokalmaal.lib.datafiles import DataFileError

pytestmark = pytest.mark.django_db


def test_all_169_targets_have_their_local_meaning_with_every_field_filled():
    assert LocalMeaning.objects.count() == 169
    for local in LocalMeaning.objects.select_related("target"):
        for field in ("roles", "service_areas", "plan_levels"):
            assert getattr(local, field), (local.target, field)
        for field in ("reason_nb", "reason_nn", "meaning_nb", "meaning_nn"):
            assert getattr(local, field).strip(), (local.target, field)
        assert local.measures_nb
        assert len(local.measures_nb) == len(local.measures_nn)


def test_a_target_that_is_not_local_says_why():
    not_local = LocalMeaning.objects.filter(relevance_municipality="not_local")
    assert not_local.exists()
    for local in not_local:
        assert len(local.reason_nb) > 20


@pytest.mark.parametrize(
    "bokmaal_form", [" ikke ", " hvordan ", " hvilke ", " hele ", " mellom annet "]
)
def test_nynorsk_meanings_have_no_common_bokmaal_forms(bokmaal_form):
    text = " ".join(LocalMeaning.objects.values_list("meaning_nn", flat=True))
    assert bokmaal_form not in text


@pytest.mark.parametrize(("language", "shown"), [("nb", "nb"), ("nn", "nn"), ("en", "nb")])
def test_the_api_gives_the_local_meaning_in_the_requested_language(client: Client, language, shown):
    local = client.get("/api/v1/targets/11.6/", {"lang": language}).json()["local"]
    assert local["language"] == shown
    assert local["relevance_municipality"] in {"high", "medium", "low", "not_local"}
    assert {"relevance_county", "roles", "service_areas", "plan_levels", "meaning"} <= set(local)
    stored = LocalMeaning.objects.get(target__code="11.6")
    assert local["meaning"] == getattr(stored, f"meaning_{shown}")


def test_target_page_shows_what_it_means_locally(client: Client):
    text = client.get("/delmal/11.6/", {"lang": "nn"}).text
    assert LocalMeaning.objects.get(target__code="11.6").meaning_nn[:40] in text


def test_targets_can_be_searched_in_the_local_meaning_and_filtered(client: Client):
    found = client.get("/api/v1/targets/", {"q": "avfall"}).json()
    assert "11.6" in {t["id"] for t in found}
    assert len(found) < 169
    high = client.get("/api/v1/targets/", {"relevance": "high"}).json()
    assert all(t["relevance_municipality"] == "high" for t in high)
    schools = client.get("/api/v1/targets/", {"service_area": "grunnskole"}).json()
    assert "4.1" in {t["id"] for t in schools}
    page = client.get("/delmal/", {"q": "avfall", "lang": "nb"}).text
    assert "/delmal/11.6/" in page


def test_a_local_meaning_file_with_an_unknown_role_is_refused(tmp_path: Path):
    (tmp_path / "11.toml").write_text(
        '[[target]]\nid = "11.6"\nrelevance_municipality = "high"\nrelevance_county = "low"\n'
        'reason_nb = "a"\nreason_nn = "a"\nroles = ["konge"]\nservice_areas = ["naering"]\n'
        'plan_levels = ["samfunnsdel"]\nmeaning_nb = "m"\nmeaning_nn = "m"\n'
        'measures_nb = ["x"]\nmeasures_nn = ["x"]\nlegal_basis = []\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="roles has unknown value"):
        read_local_meanings({t.code for t in Target.objects.all()}, tmp_path)
