"""Nynorsk pages name laws in nynorsk, nynorsk texts keep to nynorsk forms, and the bundle's
bokmål global-indicator texts with obvious errors are replaced by Lokalmål's own."""

import glob
import re
import tomllib

import pytest
from django.test import Client

from lokalmaal.catalogue.laws import law_name
from lokalmaal.catalogue.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("bokmaal", "nynorsk"),
    [
        ("forurensningsloven § 30", "forureiningslova § 30"),
        ("plan- og bygningsloven § 11-7", "plan- og bygningslova § 11-7"),
        ("folkehelseloven", "folkehelselova"),
        ("helse- og omsorgstjenesteloven § 3-2", "helse- og omsorgstenestelova § 3-2"),
        ("naturmangfoldloven", "naturmangfaldlova"),
        ("drikkevannsforskriften", "drikkevassforskrifta"),
        (
            "statlige planretningslinjer for klima- og energiplanlegging og klimatilpasning",
            "statlege planretningsliner for klima- og energiplanlegging og klimatilpassing",
        ),
    ],
)
def test_law_names_in_nynorsk(bokmaal, nynorsk):
    assert law_name(bokmaal, "nn") == nynorsk
    assert law_name(bokmaal, "nb") == bokmaal


def test_the_target_page_in_nynorsk_names_its_laws_in_nynorsk(client: Client):
    page = client.get("/delmal/11.6/", {"lang": "nn"}).text
    assert "forureiningslova § 30" in page
    assert "forurensningsloven" not in page
    assert "forurensningsloven § 30" in client.get("/delmal/11.6/", {"lang": "nb"}).text


def test_nynorsk_local_texts_use_no_bokmaal_law_or_guideline_forms():
    bokmaal = re.compile(r"\b\w*(loven|forskriften|retningslinje\w*|statlige)\b")
    slips = []
    for path in sorted(glob.glob("lokalmaal/catalogue/local/*.toml")):
        with open(path, "rb") as stream:
            for target in tomllib.load(stream)["target"]:
                for key in ("reason_nn", "meaning_nn"):
                    slips += [f"{target['id']}: {m}" for m in bokmaal.findall(target.get(key, ""))]
                for measure in target.get("measures_nn", []):
                    slips += [f"{target['id']}: {m}" for m in bokmaal.findall(measure)]
    assert slips == []


def test_the_bokmaal_texts_of_11_6_indicators_are_corrected():
    assert "sluttutslipp" not in Indicator.objects.get(code="11.6.1").title_nb
    assert "fint svevestøv" in Indicator.objects.get(code="11.6.2").title_nb


def test_a_target_nobody_prioritises_says_so_without_a_zero(client: Client):
    page = client.get("/delmal/14.c/", {"lang": "nn"}).text
    assert "Ingen publiserte planar prioriterer dette delmålet enno." in page
    assert "i 0 publiserte" not in page
