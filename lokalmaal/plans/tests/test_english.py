"""The English sentence model run with numpy (english.py): it gives what the reference
implementation gives, refuses weights that are not the published ones, and only English passages
go to it."""

from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from lokalmaal.plans import embed, english, hybrid
from lokalmaal.plans.classify import Classifier

WATER = "The city will expand safe drinking water supply and sanitation for every household."
WATER_TARGET = "Access to safe and affordable drinking water for all."
TRANSPORT = "Reduce greenhouse gas emissions from transport by half by 2030."


def test_vectors_match_the_reference_implementation():
    """Cosines and the first values of the vector as sentence-transformers (PyTorch) computes
    them for the same model and texts (recorded December 2026). The tolerance covers the tanh form
    of GELU (english._gelu); a wrong layer, weight or pooling moves these by far more."""
    vectors = english.embed([WATER, WATER_TARGET, TRANSPORT])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.72538, abs=1e-3)
    assert float(vectors[0] @ vectors[2]) == pytest.approx(0.19987, abs=1e-3)
    assert vectors[0][:4] == pytest.approx([0.02753, -0.00006, 0.02286, -0.04014], abs=5e-4)


def test_order_and_batching_do_not_change_a_vector():
    alone = english.embed([TRANSPORT])[0]
    texts = [WATER * 3, TRANSPORT, "Short.", *(["Another sentence about schools."] * 20)]
    together = english.embed(texts)
    assert float(alone @ together[1]) == pytest.approx(1.0, abs=1e-5)


def test_weights_that_are_not_the_published_ones_are_refused(monkeypatch):
    english.encoder.cache_clear()
    monkeypatch.setattr(english, "WEIGHTS_SHA256", "0" * 64)
    try:
        with pytest.raises(english.EnglishModelError, match="not the published model"):
            english.encoder()
    finally:
        english.encoder.cache_clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The municipality will cut emissions from its own buildings and vehicles.", True),
        ("Kommunen skal kutte utslepp frå eigne bygg og køyretøy innan 2030.", False),
        ("Kommunen skal kutte utslipp fra egne bygg og kjøretøy innen 2030.", False),
        ("Klimaplan 2030", False),  # a heading: no function words of either language
        ("Oslo by har et mål om at by og land skal henge sammen.", False),  # "by" is a city
        ("Rooms per person", False),
        ("Proportion of the population with access to electricity", True),
    ],
)
def test_english_is_told_from_bokmal_and_nynorsk(text, expected):
    assert english.is_english(text) is expected


def test_english_target_vectors_are_in_step_with_the_un_texts():
    """If this fails, the UN texts changed: run `python -m lokalmaal.plans.embed`."""
    stored = embed.english_target_vectors()
    descriptions = embed.english_descriptions(Path(settings.DATA_DIR))
    assert stored.fingerprint == embed.fingerprint(descriptions)
    assert len(set(stored.targets)) == 169
    assert set(stored.kinds) == {"un_en", "indicator_en"}
    assert stored.vectors.shape == (len(descriptions), 384)


def test_an_english_passage_is_explained_by_an_english_target_description():
    english_text = (
        "Many rural households still walk long distances to collect water. The programme "
        "drills wells and builds latrines so that every village has safe drinking water."
    )
    norwegian_text = (
        "Kommunen skal sikre trygt drikkevann med to hygieniske barrierer og fornye "
        "ledningsnettet, slik at alle innbyggere får rent vann i springen."
    )
    english_result, norwegian_result = Classifier(time_budget=None).classify_many(
        [english_text, norwegian_text]
    )
    assert english_result.sdgs[0] == 6
    assert english_result.similar[0].kind in {"un_en", "indicator_en"}
    assert norwegian_result.sdgs[0] == 6
    assert norwegian_result.similar[0].kind not in {"indicator_en"}


def test_without_the_english_model_english_passages_use_the_multilingual_one(monkeypatch):
    monkeypatch.setattr(english, "model_folder", lambda: None)
    assert not english.available()
    text = "The programme drills wells so that every village has safe drinking water."
    space = hybrid.space_for(text)
    assert space.vectors is embed.target_vectors()
    assert space.scale == 1.0
    result = Classifier(time_budget=None).classify_many([text])[0]
    assert 6 in result.sdgs


def test_a_missing_english_model_is_reported_by_the_system_checks(monkeypatch):
    from django.core.checks import run_checks

    assert not [m for m in run_checks() if m.id == "plans.W001"]
    monkeypatch.setattr(english, "model_folder", lambda: None)
    assert [m.id for m in run_checks() if m.id == "plans.W001"] == ["plans.W001"]
