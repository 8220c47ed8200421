"""Passage vectors kept between analyses: a plan analysed again embeds only new text, gets the
same answer, and an organisation's vectors go with its plans."""

import numpy as np
import pytest

from lokalmaal.plans import actions, hybrid
from lokalmaal.plans.classify import Classifier
from lokalmaal.plans.models import Passage, PassageVector, PlanDocument
from lokalmaal.plans.tasks import run_analysis
from lokalmaal.plans.vectors import DatabaseVectorStore, prune

TEXTS = [
    "Kommunen skal redusere klimagassutslippene med 60 prosent innen 2030 og satse på fornybar "
    "energi i egne bygg og kjøretøy.",
    "Fleire born og unge fell frå i vidaregåande skule, og kommunen vil styrkje oppfølginga.",
    "The municipality will protect wetlands and restore rivers so that species can return.",
]
PLAN_TEXT = "\n\n".join(["# Klima og oppvekst", *TEXTS])


class DictStore:
    def __init__(self) -> None:
        self.vectors: dict[str, np.ndarray] = {}

    def get_many(self, keys):
        return {key: self.vectors[key] for key in keys if key in self.vectors}

    def put_many(self, vectors):
        self.vectors.update(vectors)


@pytest.fixture
def embedded_texts(monkeypatch):
    """Counts the texts that reach a model."""
    seen: list[str] = []
    real = hybrid.passage_vectors

    def counting(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(hybrid, "passage_vectors", counting)
    return seen


def test_a_second_classification_reuses_the_vectors_and_gives_the_same_answer(embedded_texts):
    store = DictStore()
    classifier = Classifier(time_budget=None)
    first = classifier.classify_many(TEXTS, store=store)
    assert len(embedded_texts) == 3
    assert len(store.vectors) == 3
    again = classifier.classify_many([*TEXTS, "Ny tekst om drikkevann og avløp."], store=store)
    assert embedded_texts[3:] == ["Ny tekst om drikkevann og avløp."]
    assert [r.sdgs for r in again[:3]] == [r.sdgs for r in first]
    assert [r.scores for r in again[:3]] == [r.scores for r in first]


def test_the_key_depends_on_the_text_the_model_reads_and_the_model():
    assert hybrid.vector_key(TEXTS[0]) == hybrid.vector_key("  " + TEXTS[0].replace(" ", "\n"))
    assert hybrid.vector_key(TEXTS[0]) != hybrid.vector_key(TEXTS[1])
    # the e5 model reads the first 400 characters: what comes after does not change the vector
    long = "Kommunen skal satse på fornybar energi. " * 20
    assert hybrid.vector_key(long) == hybrid.vector_key(long + " Og mer.")


def test_the_database_store_keeps_vectors_per_organisation(bergen, volda):
    vector = np.linspace(-1, 1, 384, dtype=np.float32)
    DatabaseVectorStore(bergen).put_many({"a" * 64: vector})
    DatabaseVectorStore(bergen).put_many({"a" * 64: vector * 2})  # the first one stands
    found = DatabaseVectorStore(bergen).get_many(["a" * 64, "b" * 64])
    assert list(found) == ["a" * 64]
    assert np.array_equal(found["a" * 64], vector)
    assert DatabaseVectorStore(volda).get_many(["a" * 64]) == {}


def test_analysing_a_plan_again_embeds_nothing_new(bergen, embedded_texts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = PlanDocument.objects.create(
        organisation=bergen, title="X", plan_type="other", pasted_text=PLAN_TEXT
    )
    run_analysis(plan.pk)
    first = list(Passage.objects.filter(document=plan).values_list("goals", "closest"))
    count = len(embedded_texts)
    assert count >= 3
    assert PassageVector.objects.filter(organisation=bergen).count() == count
    run_analysis(plan.pk)
    assert len(embedded_texts) == count
    assert list(Passage.objects.filter(document=plan).values_list("goals", "closest")) == first


def test_vectors_go_when_no_plan_of_the_organisation_has_the_text(
    bergen, embedded_texts, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    plans = [
        PlanDocument.objects.create(
            organisation=bergen, title=title, plan_type="other", pasted_text=text
        )
        for title, text in [("A", PLAN_TEXT), ("B", TEXTS[0])]
    ]
    for plan in plans:
        run_analysis(plan.pk)
    kept = PassageVector.objects.filter(organisation=bergen)
    assert kept.count() == len(set(embedded_texts))
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_plan(plans[0])
    # plan B still has the first text
    assert list(kept.values_list("key", flat=True)) == [hybrid.vector_key(TEXTS[0])]
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_plan(plans[1])
    assert not kept.exists()
    assert prune(bergen) == 0
