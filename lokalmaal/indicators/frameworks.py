"""Reader for KS's SDG indicator vocabularies ("bærekraftsindikatorer", SKOS Turtle).

KS and Arkitektum publish indicator frameworks as SKOS concept schemes, one Turtle file per
framework (De norske målepunktene, U4SSC, the UN SDG indicators, OECD, Ungdata, …) plus five
helper code lists (evaluation stage, level of geography, development sector, quality class and
triple bottom line). Each indicator is an ``sdgo:Indicator`` / ``skos:Concept`` linked to UN SDG
goals (``sdgo:hasGoal``) and targets (``sdgo:isIndicatorOf``).

This module turns those files into plain, frozen dataclasses. It has no Django imports, so it can
be used from a management command, a test or a notebook alike. :func:`read_frameworks` either
reads every file or raises :class:`FrameworkError`; it never returns a partial reading, so a
caller can stop an import and keep the data it already has.

Predicates used (namespaces as declared in the files; note ``dct:`` is ``http://purl.org/dc/``,
not ``…/dc/terms/``; both prefixes occur):

* ``skos:inScheme``, ``skos:notation``, ``skos:prefLabel``, ``skos:related``,
  ``skos:relatedMatch``, ``skos:closeMatch``, ``skos:exactMatch``
* ``dct:title`` (``http://purl.org/dc/title``), ``dct:publisher`` → ``vcard:hasOrganizationName``
* ``dcterms:source``, ``dcterms:accrualPeriodicity``, ``dcterms:coverage``, ``dcterms:subject``
* ``sdgo:hasGoal``, ``sdgo:isIndicatorOf`` (``http://metadata.un.org/sdg/ontology#``)
* ``dqv:hasQualityMeasurement``
* ``my:hasEvaluation``, ``my:hasImpact`` (``https://metadata.ks.no/sdg-taxonomi/#``)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

__all__ = [
    "COVERAGE_LEVELS",
    "EVALUATION_STAGES",
    "HELPER_VOCABULARIES",
    "STOP_WORDS",
    "TARGET_BONUS",
    "Concept",
    "FrameworkError",
    "Scheme",
    "concepts_for_target",
    "detect_language",
    "match_candidates",
    "normalise_target",
    "read_frameworks",
    "sdg_goal",
    "title_tokens",
]

DCT = Namespace("http://purl.org/dc/")  # sic: the files bind dct: to this, not to /dc/terms/
DCTERMS = Namespace("http://purl.org/dc/terms/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
KS = Namespace("https://metadata.ks.no/sdg-taxonomi/#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

#: Local names of the helper code lists' scheme URIs. Their concepts give labels to the
#: indicators' evaluation, coverage, subject, quality and impact; they are not indicators.
#: "developmetsector" is KS's own spelling of the scheme URI; the indicators point to
#: ".../developmentsector/..." (see :func:`_label_aliases`).
HELPER_VOCABULARIES = frozenset(
    {
        "Evaluation",
        "Levelofgeography",
        "developmentsector",
        "developmetsector",
        "quality",
        "triplebottomline",
    }
)

#: The logic-model stages, in order. KS calls the second one "2-Process".
EVALUATION_STAGES = ("input", "activity", "output", "outcome", "impact")

#: The normalised values of :attr:`Concept.coverage` ("" when the concept has none).
COVERAGE_LEVELS = ("national", "county", "municipal", "city", "district")

#: How much a shared SDG target adds to a candidate's score in :func:`match_candidates`:
#: ``TARGET_BONUS × (targets shared / targets of the Lokalmål indicator)``.
TARGET_BONUS = 0.1


class FrameworkError(Exception):
    """A vocabulary file could not be read; the whole import should stop."""

    def __init__(self, file: Path | str, reason: str) -> None:
        self.file = Path(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


@dataclass(frozen=True)
class Scheme:
    """One indicator framework (a ``skos:ConceptScheme``), e.g. "U4SSC"."""

    uri: str
    title: str
    file: str  # the file name inside the folder, e.g. "U4SSC.ttl"
    publisher: str  # the organisation's name ("KS"), else the publisher URI, else ""
    concept_count: int


@dataclass(frozen=True)
class Concept:
    """One indicator of a framework.

    ``language`` is the real language of ``title``, "nb" or "en". The files tag every title of
    De norske målepunktene ``@en`` although the text is Norwegian ("Antall bostedsløse"), so the
    tag is only a tie-breaker: see :func:`detect_language`. Nynorsk titles (some in "Barnevern
    SSB") are reported as "nb" too.

    ``sdg_targets`` are normalised codes ("11.1", "11.a") from ``sdgo:isIndicatorOf``;
    ``sdg_goals`` joins ``sdgo:hasGoal`` with the goals of those targets, because 76 indicators
    link a target whose goal their ``hasGoal`` omits (and six link a bare goal as "target").
    ``periodicity`` is KS's text as given ("Yearly", "Other", "12" …).

    Multi-valued fields are sorted tuples. ``evaluation`` holds codes from
    :data:`EVALUATION_STAGES` in logic-model order (a concept can have several: 2262 in De norske
    målepunktene is both "output" and "impact"); ``subjects``, ``quality`` and ``impact`` hold the
    English labels of the helper code lists ("Water and waste", "Class 1", "People").
    ``related`` joins ``skos:related`` and ``skos:relatedMatch``; ``close_matches`` joins
    ``skos:closeMatch`` and ``skos:exactMatch``. ``source_url`` is the first http(s) URL in
    ``dcterms:source`` ("" if there is none); the raw text is in ``source_text``.
    """

    uri: str
    scheme_uri: str
    notation: str
    title: str
    language: str
    sdg_goals: tuple[int, ...]
    sdg_targets: tuple[str, ...]
    periodicity: str
    coverage: str
    source_url: str
    subjects: tuple[str, ...]
    quality: str
    evaluation: tuple[str, ...]
    impact: tuple[str, ...]
    related: tuple[str, ...]
    close_matches: tuple[str, ...]
    source_text: str = ""


# --- SDG goals and targets ------------------------------------------------------------------

_SDG_REF = re.compile(
    r"(?<![\w.])(?P<goal>\d{1,2})(?:\.(?P<target>\d{1,2}|[a-z]))?(?:\.\d{1,2})?\s*$",
    re.IGNORECASE,
)


def _parse_sdg_reference(value: str) -> tuple[int | None, str | None]:
    match = _SDG_REF.search(value.strip())
    if match is None:
        return None, None
    goal = int(match["goal"])
    if not 1 <= goal <= 17:
        return None, None
    sub = match["target"]
    if sub is None:
        return goal, None
    sub = str(int(sub)) if sub.isdigit() else sub.lower()
    if sub == "0":
        return goal, None
    return goal, f"{goal}.{sub}"


def normalise_target(value: str) -> str | None:
    """The SDG target a URI or code refers to ("11.1", "11.a"), or None.

    Accepts UN target URIs (``http://metadata.un.org/sdg/11.1``), indicator-level references
    (``…/11.1.1`` → "11.1"), bare codes ("11.A", "11.01", "Target 3.d"). A goal-level reference
    (``…/11``) or anything else (``…/C010201``, a UN series code) gives None.
    """
    return _parse_sdg_reference(value)[1]


def sdg_goal(value: str) -> int | None:
    """The SDG goal (1–17) a goal, target or indicator URI or code refers to, or None."""
    return _parse_sdg_reference(value)[0]


def _target_sort_key(target: str) -> tuple[int, int, int, str]:
    goal, _, sub = target.partition(".")
    return (int(goal), 0 if sub.isdigit() else 1, int(sub) if sub.isdigit() else 0, sub)


# --- Language ---------------------------------------------------------------------------------

_NB_LETTERS = re.compile(r"[æøåÆØÅ]")
_WORD = re.compile(r"[^\W_]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NB_WORDS = _word_set(
    """
    og i av som med til på etter fra om ikke ikkje eller har er ble blir blant ved mellom alle
    alt hver pr andel antall prosentandel innbyggere innbygger kommune kommunen kommunens
    kommuner kommunale kommunal kommunalt barn unge elever personer uten hvor hvilke mange
    mengde menn kvinner begge kjønn gutter jenter alder sum totalt samlet nye tiltak utslipp
    avfall vann avløp bolig husholdninger helse skole barnehage arbeid andre også både enn mot
    kan skal vil dere du jeg vi din ditt sine sin deres egen eget tall
    """
)
_EN_WORDS = _word_set(
    """
    the of and in to with by from or on as at is are be been that which who whose within without
    into their its than number proportion percentage share rate population people persons
    annual average households public women men children youth level access cent based use
    used using including where new
    """
)
# Spelling that gives a word away when it is in neither list: Norwegian "-sjon", "kj", "gj",
# "kv", "-lig", "-het", "-ning", "-itet", "-nsk", "kk" and common compound parts; English
# "th", "-tion", "w", "ph", "ck", "ou", "-ity", "-ness".
_NB_SPELLING = re.compile(
    r"sjon|kj|gj|kk|kv|itet|lig(e|t)?$|het(en|er)?$|else[nr]?$|ning(en|er|ar)?$|[dnr]ske?$"
    r"|eks$|[dt]te$|ert$|ene$|grad$|^ut[bdfgklnprsv]|bruk|tiltak|innbygg|helse|skog|areal"
    r"|utvikl|vann|norge|arbeid"
)
_EN_SPELLING = re.compile(r"th|tion|w|ph|ck|ou|ity$|ness$|ies$")


def detect_language(text: str, tag: str = "") -> str:
    """Guess whether a title is Norwegian ("nb") or English ("en").

    The vocabularies' language tags are unreliable: De norske målepunktene tags its Norwegian
    titles ``@en``. The guess counts evidence: each æ, ø or å counts two for Norwegian; each
    word counts one for the language whose list of common words holds it or, failing that, whose
    typical spelling it shows (Norwegian "-sjon", "kj", "-lig", "-het"…; English "th", "-tion",
    "w"…). The larger count wins; on a tie the tag decides ("en" → "en", anything else → "nb").
    """
    nb = 2 * len(_NB_LETTERS.findall(text))
    en = 0
    for word in (w.casefold() for w in _WORD.findall(text)):
        if word in _NB_WORDS:
            nb += 1
        elif word in _EN_WORDS:
            en += 1
        elif _NB_SPELLING.search(word):
            nb += 1
        elif _EN_SPELLING.search(word):
            en += 1
    if nb != en:
        return "nb" if nb > en else "en"
    primary = tag.lower().split("-")[0]
    return "en" if primary == "en" else "nb"


# --- Reading ----------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s,;<>\"']+")
_SPACE = re.compile(r"\s+")
_EVALUATION_CODES = {
    "input": "input",
    "process": "activity",
    "activity": "activity",
    "output": "output",
    "outcome": "outcome",
    "impact": "impact",
}


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _local_name(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _scheme_key(uri: str) -> str:
    """The helper-vocabulary name a scheme or helper-concept URI belongs to ("" if none)."""
    marker = "/vocabulary/indicator/"
    if marker not in uri:
        return ""
    name = uri.split(marker, 1)[1].split("/", 1)[0]
    return name if name in HELPER_VOCABULARIES else ""


def _is_helper_scheme(uri: str) -> bool:
    return bool(_scheme_key(uri))


def _label_aliases(uri: str) -> list[str]:
    """KS spells the development-sector scheme "developmetsector" but links to the right
    spelling; a label defined under either spelling answers for both."""
    aliases = [uri]
    for wrong, right in (("/developmetsector/", "/developmentsector/"),):
        if wrong in uri:
            aliases.append(uri.replace(wrong, right))
        elif right in uri:
            aliases.append(uri.replace(right, wrong))
    return aliases


def _literal_text(node: Node) -> str:
    return _clean(str(node)) if isinstance(node, Literal) else ""


def _pick_literal(nodes: Iterable[Node], prefer: Sequence[str]) -> Literal | None:
    """The literal in the first preferred language, else any (deterministically)."""
    literals = sorted(
        (n for n in nodes if isinstance(n, Literal) and _clean(str(n))),
        key=lambda lit: (lit.language or "", str(lit)),
    )
    for language in prefer:
        for literal in literals:
            if (literal.language or "").lower() == language:
                return literal
    return literals[0] if literals else None


def _uris(graph: Graph, subject: URIRef, *predicates: URIRef) -> list[str]:
    found = {str(o) for p in predicates for o in graph.objects(subject, p) if isinstance(o, URIRef)}
    return sorted(found)


def _parse(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(source=str(path), format="turtle")
    except BadSyntax as exc:
        why = getattr(exc, "_why", "") or "bad Turtle syntax"
        raise FrameworkError(path, f"line {exc.lines + 1}: {why}") from exc
    except UnicodeDecodeError as exc:
        raise FrameworkError(path, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except Exception as exc:  # rdflib raises assorted errors for broken input
        raise FrameworkError(path, f"{type(exc).__name__}: {exc}") from exc
    return graph


def _helper_labels(graphs: dict[Path, Graph]) -> dict[str, str]:
    """URI → English label of every helper-vocabulary concept (and scheme)."""
    labels: dict[str, str] = {}
    for graph in graphs.values():
        for subject in set(graph.subjects(RDF.type, SKOS.Concept)):
            if not isinstance(subject, URIRef):
                continue
            scheme = graph.value(subject, SKOS.inScheme)
            if not _is_helper_scheme(str(scheme or subject)):
                continue
            literal = _pick_literal(
                [*graph.objects(subject, SKOS.prefLabel), *graph.objects(subject, DCT.title)],
                ("en", "nb", "no"),
            )
            label = _clean(str(literal)) if literal is not None else ""
            if label:
                for alias in _label_aliases(str(subject)):
                    labels.setdefault(alias, label)
    return labels


def _label(labels: dict[str, str], uri: str) -> str:
    """The helper label for ``uri``, or its local name made readable ("Water_and_waste")."""
    return labels.get(uri) or _local_name(uri).replace("_", " ")


def _coverage(labels: dict[str, str], uris: list[str]) -> str:
    """Normalise a level of geography to one of :data:`COVERAGE_LEVELS` (or "")."""
    for uri in uris:
        text = f"{_label(labels, uri)} {uri.split('Levelofgeography', 1)[-1]}".casefold()
        for needle, level in (
            ("national", "national"),
            ("nasjonal", "national"),
            ("county", "county"),
            ("regional", "county"),
            ("fylke", "county"),
            ("municipal", "municipal"),
            ("kommune", "municipal"),
            ("district", "district"),
            ("bydel", "district"),
            ("city", "city"),
        ):
            if needle in text:
                return level
    return ""


def _evaluation(labels: dict[str, str], uris: list[str]) -> tuple[str, ...]:
    codes: set[str] = set()
    for uri in uris:
        label = _label(labels, uri).casefold()
        word = re.sub(r"^\d+\s*-\s*", "", label).strip()
        if word in _EVALUATION_CODES:
            codes.add(_EVALUATION_CODES[word])
    return tuple(stage for stage in EVALUATION_STAGES if stage in codes)


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)
    )


def _read_concept(
    graph: Graph, subject: URIRef, scheme_uri: str, labels: dict[str, str]
) -> Concept:
    title_literal = _pick_literal(
        [*graph.objects(subject, DCT.title), *graph.objects(subject, DCTERMS.title)],
        ("nb", "no", "nn", "en"),
    ) or _pick_literal(graph.objects(subject, SKOS.prefLabel), ("nb", "no", "nn", "en"))
    title = _clean(str(title_literal)) if title_literal is not None else ""
    tag = (title_literal.language or "") if title_literal is not None else ""

    goals: set[int] = set()
    targets: set[str] = set()
    for uri in _uris(graph, subject, SDGO.hasGoal, SDGO.isIndicatorOf):
        goal, target = _parse_sdg_reference(uri)
        if goal is not None:
            goals.add(goal)
        if target is not None:
            targets.add(target)

    notation = _pick_literal(graph.objects(subject, SKOS.notation), ())
    periodicity = _pick_literal(graph.objects(subject, DCTERMS.accrualPeriodicity), ())
    source = _pick_literal(graph.objects(subject, DCTERMS.source), ())
    source_text = _clean(str(source)) if source is not None else ""
    url = _URL.search(source_text)
    quality = _uris(graph, subject, DQV.hasQualityMeasurement)

    return Concept(
        uri=str(subject),
        scheme_uri=scheme_uri,
        notation=_clean(str(notation)) if notation is not None else "",
        title=title,
        language=detect_language(title, tag),
        sdg_goals=tuple(sorted(goals)),
        sdg_targets=tuple(sorted(targets, key=_target_sort_key)),
        periodicity=_clean(str(periodicity)) if periodicity is not None else "",
        coverage=_coverage(labels, _uris(graph, subject, DCTERMS.coverage)),
        source_url=url.group(0).rstrip(".)") if url else "",
        subjects=tuple(sorted({_label(labels, u) for u in _uris(graph, subject, DCTERMS.subject)})),
        quality=_label(labels, quality[0]) if quality else "",
        evaluation=_evaluation(labels, _uris(graph, subject, KS.hasEvaluation)),
        impact=tuple(sorted({_label(labels, u) for u in _uris(graph, subject, KS.hasImpact)})),
        related=tuple(_uris(graph, subject, SKOS.related, SKOS.relatedMatch)),
        close_matches=tuple(_uris(graph, subject, SKOS.closeMatch, SKOS.exactMatch)),
        source_text=source_text,
    )


def _publisher(graph: Graph, scheme: URIRef) -> str:
    publisher = graph.value(scheme, DCT.publisher) or graph.value(scheme, DCTERMS.publisher)
    if publisher is None:
        return ""
    name = _pick_literal(graph.objects(publisher, VCARD.hasOrganizationName), ("nb", "no"))
    if name is not None:
        return _clean(str(name))
    return _literal_text(publisher) or str(publisher)


def read_frameworks(folder: Path) -> tuple[list[Scheme], list[Concept]]:
    """Read every ``*.ttl`` in ``folder``: the indicator frameworks and their indicators.

    Schemes come sorted by file name, concepts by file and then by URI (numbers in natural
    order). The helper code lists' schemes and concepts are used for labels only and are not
    returned. Raises :class:`FrameworkError` if the folder has no Turtle files, a file does not
    parse, has no concept scheme, or an indicator URI occurs in two files.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FrameworkError(folder, "folder not found")
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".ttl" and p.is_file())
    if not paths:
        raise FrameworkError(folder, "no .ttl files")

    graphs = {path: _parse(path) for path in paths}
    labels = _helper_labels(graphs)

    schemes: list[Scheme] = []
    concepts: list[Concept] = []
    seen: dict[str, Path] = {}
    for path, graph in graphs.items():
        scheme_nodes = sorted(
            str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)
        )
        if not scheme_nodes:
            raise FrameworkError(path, "no skos:ConceptScheme in the file")
        subjects = {
            s
            for t in (SKOS.Concept, SDGO.Indicator)
            for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef)
        }
        in_file: dict[str, list[Concept]] = {uri: [] for uri in scheme_nodes}
        for subject in sorted(subjects, key=lambda s: _natural_key(str(s))):
            scheme_node = graph.value(subject, SKOS.inScheme)
            if scheme_node is not None:
                scheme_uri = str(scheme_node)
            elif len(scheme_nodes) == 1:
                scheme_uri = scheme_nodes[0]
            else:
                raise FrameworkError(path, f"{subject} has no skos:inScheme")
            if _is_helper_scheme(scheme_uri):
                continue
            if str(subject) in seen:
                raise FrameworkError(path, f"{subject} is also defined in {seen[str(subject)]}")
            seen[str(subject)] = path
            in_file.setdefault(scheme_uri, []).append(
                _read_concept(graph, subject, scheme_uri, labels)
            )
        for scheme_uri, members in in_file.items():
            if _is_helper_scheme(scheme_uri):
                continue
            node = URIRef(scheme_uri)
            title = _pick_literal(
                [*graph.objects(node, DCT.title), *graph.objects(node, DCTERMS.title)],
                ("nb", "no", "nn", "en"),
            ) or _pick_literal(graph.objects(node, SKOS.prefLabel), ("nb", "no", "nn", "en"))
            schemes.append(
                Scheme(
                    uri=scheme_uri,
                    title=_clean(str(title)) if title is not None else _local_name(scheme_uri),
                    file=path.name,
                    publisher=_publisher(graph, node),
                    concept_count=len(members),
                )
            )
            concepts.extend(members)
    return schemes, concepts


# --- Looking up and matching -------------------------------------------------------------------

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_LEADING_SDG_CODE = re.compile(r"^\s*\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2}\b", re.IGNORECASE)

#: Words ignored when comparing titles: function words of Norwegian (bokmål and nynorsk) and
#: English, and the measuring words that begin half the titles ("andel", "number of", "år").
STOP_WORDS = _word_set(
    """
    og i av som med til pa etter fra om ikkje ikke eller har er blir ble blant ved under
    over mellom alle alt hver per pr den det de en et ei eit sin sine sitt seg der da nar hvor
    kor mv m fl osv ca inkl ekskl
    andel del prosent prosentandel antall tal mengde ar
    the of and in to a an by for with on as at from or that which who is are be been its their
    into within than number proportion percentage percent share rate total year years aged
    """
)


@lru_cache(maxsize=16384)
def title_tokens(title: str) -> frozenset[str]:
    """The set of words of a title as compared by :func:`match_candidates`.

    Lowercase; a leading UN indicator code ("11.1.1 ") is dropped; æ→ae, ø→o, å→a and other
    accents removed; punctuation splits words; :data:`STOP_WORDS` are dropped.
    """
    text = _LEADING_SDG_CODE.sub("", title).casefold().translate(_FOLD)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return frozenset(w for w in _WORD.findall(text) if w not in STOP_WORDS)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def concepts_for_target(concepts: Iterable[Concept], target: str) -> list[Concept]:
    """The concepts linked to an SDG target ("11.1", a target URI …), in their given order."""
    wanted = normalise_target(target)
    if wanted is None:
        return []
    return [concept for concept in concepts if wanted in concept.sdg_targets]


def match_candidates(
    concepts: Iterable[Concept], title: str, targets: Sequence[str], limit: int = 5
) -> list[tuple[Concept, float]]:
    """Framework indicators that could correspond to a Lokalmål indicator, best first.

    Only concepts sharing at least one SDG target with ``targets`` are candidates. The score is
    the Jaccard index of the two titles' word sets (:func:`title_tokens`) plus
    ``TARGET_BONUS × shared targets / len(targets)``, rounded to 4 decimals; ties are broken by
    title and URI, so the result is deterministic. No targets (or none that parse) → no
    candidates.
    """
    wanted = {t for t in (normalise_target(x) for x in targets) if t is not None}
    if not wanted or limit <= 0:
        return []
    query = title_tokens(title)
    scored: list[tuple[Concept, float]] = []
    for concept in concepts:
        shared = wanted.intersection(concept.sdg_targets)
        if not shared:
            continue
        score = _jaccard(query, title_tokens(concept.title))
        score += TARGET_BONUS * len(shared) / len(wanted)
        scored.append((concept, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].title.casefold(), pair[0].uri))
    return scored[:limit]
