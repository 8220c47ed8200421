"""How search matches words: stems, bokmål ↔ nynorsk forms, parts of compounds and prefixes.

The same terms are written to the index and looked up at query time on SQLite (FTS5) and
PostgreSQL (a `simple` text-search vector of these terms), so both databases find the same:

- every word is stemmed with Snowball's Norwegian stemmer ("flomveier" → "flomvei");
- a compound also gives its parts ("skyfallskart" → "skyfall", "sky", "fall", "kart";
  "klimatilpasning" → "klima", "tilpasning"), split where the last part is a word of the
  Norwegian dictionaries and the first part is a word too or splits again (a linking s or e
  is dropped). The word list is read from npm's `dictionary-nb` and `dictionary-nn` (hunspell
  dictionaries of the spell-norwegian project, GNU GPL 2.0, installed by scripts/setup into
  node_modules and only read here as data); without them compounds are not split;
- a query word also looks for its form in the other written standard ("overvatn" also finds
  "overvann", "klimatilpasning" also "klimatilpassing"), from BOKMAAL_NYNORSK below: Lokalmål's
  own list of the pairs that planning texts use, applied to whole words and to the last part of
  a compound;
- a query word ending in `*` finds every indexed term that starts with it ("tilpas*").
"""

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer
from django.conf import settings

WORD = re.compile(r"\w+")
QUERY_WORD = re.compile(r"\w+\*?")
MIN_PART = 3  # the shortest part of a compound ("sky", "vei")
MIN_COMPOUND = 6  # shorter words are never split
_local = threading.local()  # a Snowball stemmer keeps state while it works: one per thread

# Bokmål and nynorsk forms of the same word (whole words or the last part of a compound), both
# directions. Inflected forms follow from stemming both sides.
BOKMAAL_NYNORSK: list[tuple[str, str]] = [
    ("tilpasning", "tilpassing"),
    ("vann", "vatn"),
    ("bærekraft", "berekraft"),
    ("bærekraftig", "berekraftig"),
    ("forurensning", "forureining"),
    ("forurensningsloven", "forureiningslova"),
    ("forurense", "forureine"),
    ("tjeneste", "teneste"),
    ("sikkerhet", "tryggleik"),
    ("mangfold", "mangfald"),
    ("utslipp", "utslepp"),
    ("skole", "skule"),
    ("bolig", "bustad"),
    ("bosetting", "busetjing"),
    ("innbygger", "innbyggjar"),
    ("helhetlig", "heilskapleg"),
    ("mulighet", "moglegheit"),
    ("mulig", "mogleg"),
    ("virksomhet", "verksemd"),
    ("medvirkning", "medverknad"),
    ("virkning", "verknad"),
    ("ansatt", "tilsett"),
    ("arbeidsledighet", "arbeidsløyse"),
    ("forebygging", "førebygging"),
    ("forebygge", "førebyggje"),
    ("retningslinje", "retningsline"),
    ("syk", "sjuk"),
    ("sykehjem", "sjukeheim"),
    ("hjem", "heim"),
    ("økning", "auke"),
    ("vei", "veg"),
    ("strøm", "straum"),
    ("lovpålagt", "lovpålagd"),
    ("offentlig", "offentleg"),
    ("statlig", "statleg"),
    ("tilgjengelig", "tilgjengeleg"),
    ("deltakelse", "deltaking"),
    ("gjenvinning", "attvinning"),
    ("gjenbruk", "ombruk"),
    ("overvann", "overvatn"),
    ("drikkevann", "drikkevatn"),
    ("avløpsvann", "avløpsvatn"),
    ("hva", "kva"),
    ("ikke", "ikkje"),
    ("hvordan", "korleis"),
]
# Systematic endings: bokmål -lig/-het/-sning against nynorsk -leg/-heit/-ssing.
ENDINGS: list[tuple[str, str]] = [("lig", "leg"), ("lige", "lege"), ("het", "heit")]
# Inflection endings tried when looking a part up in the dictionaries ("veier" → "vei").
_INFLECTIONS = ("e", "a", "n", "r", "er", "en", "et", "ar", "ane", "ene")


def _stemmer() -> Any:
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("norwegian")
    return _local.stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word.lower()))


# The dictionaries


def _dictionary_files() -> list[Path]:
    root = Path(settings.NODE_MODULES)
    return [root / "dictionary-nb" / "index.dic", root / "dictionary-nn" / "index.dic"]


@cache
def dictionary() -> frozenset[str]:
    """Lower-case words of 3–12 letters from the bokmål and nynorsk hunspell dictionaries (about
    280,000; read once per process in about half a second), plus both sides of BOKMAAL_NYNORSK
    (the dictionaries lack some newer words, e.g. "tilpassing")."""
    pattern = re.compile(r"^([a-zæøåéèêóòôü]{3,12})(?:/|\n)", re.M)
    words: set[str] = set()
    for path in _dictionary_files():
        if path.exists():
            words.update(pattern.findall(path.read_text(encoding="utf-8")))
    if words:
        words.update(word for pair in BOKMAAL_NYNORSK for word in pair)
    return frozenset(words)


def known_base(word: str) -> str | None:
    """`word` if the dictionaries know it, else its shortest form without an inflection ending
    that they know ("hagen" → "hage"); None if they know neither."""
    words = dictionary()
    if word in words:
        return word
    bases = [
        word[: len(word) - len(ending)]
        for ending in _INFLECTIONS
        if ending and word.endswith(ending) and len(word) - len(ending) >= MIN_PART
    ]
    known = [base for base in bases if base in words]
    return min(known, key=len) if known else None


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a compound: "skyfallskart" → ("skyfall", "kart", "sky", "fall"); () for a
    word that does not split. The longest last part that the dictionaries know wins, with a first
    part they know too (or one that splits again). A word the dictionaries know as a whole is
    split only into parts of four letters or more, so "kommunen" stays whole and "tilpasning"
    does not give "til"."""
    word = word.lower()
    if len(word) < MIN_COMPOUND or not dictionary():
        return ()
    shortest = MIN_PART + 1 if known_base(word) else MIN_PART
    fallback: tuple[str, ...] = ()
    for cut in range(shortest, len(word) - shortest + 1):
        left, right = word[:cut], word[cut:]
        right_base = known_base(right)
        if right_base is None:
            continue
        # The first part as it stands or without a linking s or e ("skyfalls" → "skyfall").
        firsts = [f for f in (left, left[:-1] if left[-1] in "se" else "") if len(f) >= shortest]
        for first in firsts:
            if first in dictionary():
                return _unique((first, right, right_base))
        for first in reversed(firsts):
            if not fallback and (inner := compound_parts(first)):
                fallback = _unique((first, right, right_base, *inner))
    return fallback


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# Index terms


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[str, ...]:
    """What one word of a text is indexed as: its stem and the stems of its parts."""
    word = word.lower()
    return _unique((stem(word), *(stem(part) for part in compound_parts(word))))


def index_terms(text: str) -> list[str]:
    """The terms a text is indexed under, in text order (parts follow their compound)."""
    return [term for word in WORD.findall(text) for term in word_terms(word)]


# Query terms


@dataclass(frozen=True)
class QueryTerm:
    """One query word: any of `stems` matches (its own and the other written standard's), or
    with `prefix` every term starting with it."""

    word: str
    stems: tuple[str, ...]
    prefix: bool = False


@cache
def _pairs() -> list[tuple[str, str]]:
    pairs = [(stem(nb), stem(nn)) for nb, nn in BOKMAAL_NYNORSK if nb != nn]
    return pairs + [(nn, nb) for nb, nn in pairs]


@lru_cache(maxsize=20_000)
def other_forms(word: str) -> tuple[str, ...]:
    """Stems of `word` in the other written standard: whole word, last part of a compound, or a
    systematic ending ("overvatn" → "overvann", "klimatilpassing" → "klimatilpasning")."""
    word = word.lower()
    own = stem(word)
    found: list[str] = []
    for source, target in _pairs():
        if own == source or (own.endswith(source) and len(own) - len(source) >= MIN_PART):
            found.append(own[: len(own) - len(source)] + target)
    for nb, nn in ENDINGS:
        for source, target in ((nb, nn), (nn, nb)):
            if word.endswith(source) and len(word) > len(source) + MIN_PART:
                found.append(stem(word[: len(word) - len(source)] + target))
    return tuple(form for form in _unique(tuple(found)) if form != own)


def query_terms(query: str, limit: int) -> list[QueryTerm]:
    terms: list[QueryTerm] = []
    for token in QUERY_WORD.findall(query)[:limit]:
        word = token.rstrip("*").lower()
        if token.endswith("*"):
            terms.append(QueryTerm(word=word, stems=(word,), prefix=True))
        else:
            terms.append(QueryTerm(word=word, stems=(stem(word), *other_forms(word))))
    return terms


def term_matches(term: QueryTerm, word: str) -> str | None:
    """Why `word` of a text matches `term`: "stem", "other_standard", "part" or "prefix", or
    None. Used for highlighting and for telling the reader why a hit was found."""
    terms = word_terms(word)
    if term.prefix:
        return "prefix" if any(t.startswith(term.word) for t in terms) else None
    if terms[0] == term.stems[0]:
        return "stem"
    if terms[0] in term.stems[1:]:
        return "other_standard"
    if any(t in term.stems for t in terms[1:]):
        return "part"
    return None
