"""Search bridges bokmål and nynorsk, finds parts of compounds and prefixes, and still finds
inflections — the same on SQLite and PostgreSQL (the suite runs on both)."""

import pytest

from lokalmaal.arena import words
from lokalmaal.arena.search import highlight, index_document, search
from lokalmaal.arena.tests.test_search import document, keys

BOKMAAL = document(
    1,
    "Klimatilpasning i Bergen",
    "Kommunen har laget skyfallskart og planlagt flomveier. Overvann skal håndteres lokalt.",
)
NYNORSK = document(
    2,
    "Klimatilpassing i Volda",
    "Kommunen har planlagt opne flaumvegar, og overvatnet skal takast hand om lokalt.",
    language="nn",
)


@pytest.fixture
def indexed(member):
    index_document(BOKMAAL)
    index_document(NYNORSK)
    index_document(document(3, "Sykkel til skolen", "Trygg skoleveg for barna."))
    return member


@pytest.fixture
def member(db):
    from conftest import make_user

    return make_user("ord@example.no")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("overvatn", [1, 2]),  # nynorsk finds the bokmål text about overvann
        ("overvann", [1, 2]),
        ("klimatilpasning", [1, 2]),  # bokmål finds the nynorsk text about klimatilpassing
        ("klimatilpassing", [1, 2]),
        ("skyfall", [1]),  # a part of "skyfallskart"
        ("flom", [1]),  # a part of "flomveier"
        ("tilpasning", [1, 2]),  # the last part of klimatilpasning, and its nynorsk form
        ("tilpas*", [1, 2]),  # a prefix finds both written standards
        ("flomvei", [1]),  # inflections still work: flomvei → flomveier
        ("flomveiene", [1]),
        ("skyfall bergen", [1]),  # every word must still match
        ("skyfall volda", []),
    ],
)
def test_search_bridges_written_standards_compounds_and_prefixes(indexed, query, found):
    assert sorted(keys(search(query, person=indexed))) == found


def test_a_hit_says_why_it_matched(indexed):
    (hit,) = search("skyfall", person=indexed)
    assert [(m.query, m.word, m.how) for m in hit.matches] == [("skyfall", "skyfallskart", "part")]
    hits = {hit.key: hit for hit in search("overvatn", person=indexed)}
    assert [(m.word, m.how) for m in hits[1].matches] == [("Overvann", "other_standard")]
    assert [(m.word, m.how) for m in hits[2].matches] == [("overvatnet", "stem")]
    (prefix, _other) = search("tilpas*", person=indexed)
    assert prefix.matches[0].how == "prefix"


def test_highlight_marks_compounds_other_forms_and_prefixes():
    assert str(highlight("Nye skyfallskart", "skyfall")) == "Nye <mark>skyfallskart</mark>"
    assert str(highlight("Overvatn i byen", "overvann")) == "<mark>Overvatn</mark> i byen"
    assert str(highlight("God tilpassing", "tilpas*")) == "God <mark>tilpassing</mark>"


def test_compounds_split_where_the_dictionaries_say_and_common_words_stay_whole(db):
    assert words.compound_parts("skyfallskart")[:2] == ("skyfall", "kart")
    assert words.compound_parts("klimatilpasning")[:2] == ("klima", "tilpasning")
    assert words.compound_parts("flomveier")[:2] == ("flom", "veier")
    assert words.compound_parts("kommunen") == ()
    assert words.compound_parts("tilpasning") == ()  # not "til" + "pasning"


def test_the_other_written_standard_is_found_for_whole_words_and_last_parts():
    assert "overvann" in words.other_forms("overvatn")
    assert words.stem("klimatilpasning") in words.other_forms("klimatilpassing")
    assert words.stem("forurensningsloven") in words.other_forms("forureiningslova")
    assert words.other_forms("kommune") == ()
