"""`lokalmaal data fetch [--to PATH]`: build the data bundle from the original public sources.

The offline bundle (``LOKALMAAL_DATA_DIR``) records, in a SOURCES.md per folder, where every file
came from: a public repository, a path and a commit. On a machine with internet and without the
bundle, :func:`fetch_bundle` downloads those originals as raw files at the recorded commits
(``https://raw.githubusercontent.com/OWNER/REPO/COMMIT/PATH``), keeps byte copies where the bundle
has byte copies and derives the derived files exactly as the bundle has them, so that
``lokalmaal data load --from PATH`` loads the same data. Fetched (see :data:`BUNDLE_FILES`):
the SDG, municipality, geo and population files the loader reads; ``crime/`` and
``imdi-bosetting/`` (byte copies whose sha256 their SOURCES.md records); KS's indicator
vocabularies (``indicator-frameworks/ks-esg-indicator-ttl/``, byte copies under ASCII names,
checked against the sha256 of the offline bundle's copies); ``kmd-kommuneokonomi/`` (the ROBEK
and DKI JSON as byte copies, checked the same way, and the two CSV files derived from them); and
a generated ``SOURCES.md`` with URL, commit and date. A download whose sha256 differs from the
one recorded here fails. Not fetched: the files the bundle derived by conversions it does not
record exactly (elections, FHI, IMDi integration, NAV, NVE, the KS flat CSV, SDG keywords,
the other ssb-statistics files).

Everything here is a pure function over bytes except :func:`fetch_bundle` (which writes files)
and :func:`http_get` (the default HTTP getter). The getter is a parameter, so tests serve
recorded responses and never touch the network.

A failed download or conversion leaves an existing PATH untouched: the bundle is written into a
temporary folder beside PATH and renamed into place only when every file is done.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

import yaml

type Getter = Callable[[str], bytes]
type Log = Callable[[str], None]

USER_AGENT = "Lokalmål data fetch"
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
SOURCES_TITLE = "# Data bundle fetched by `lokalmaal data fetch`"


class FetchError(Exception):
    """A download or a conversion failed; the message names the URL and what went wrong."""


class ConversionError(ValueError):
    """An upstream file does not have the layout a converter expects."""


# --------------------------------------------------------------------------------------------
# Where the originals are (from the SOURCES.md files of the offline bundle)


@dataclass(frozen=True)
class Repository:
    name: str  # "owner/repo" on GitHub
    commit: str
    date: str  # commit date as SOURCES.md records it ("" when it records none)
    licence: str


@dataclass(frozen=True)
class Upstream:
    repository: Repository
    path: str  # path inside the repository
    sha256: str = ""  # hex digest of the file at that commit, when SOURCES.md records one

    @property
    def url(self) -> str:
        return RAW_URL.format(
            repo=self.repository.name,
            commit=self.repository.commit,
            path=urllib.parse.quote(self.path),
        )


type Derive = Callable[[Mapping[str, bytes]], bytes]


@dataclass(frozen=True)
class BundleFile:
    """One file of the bundle: a byte copy of its one input, or derived from its inputs."""

    target: str  # path inside the bundle, e.g. "sdg/sdg_catalogue_en_nb.csv"
    inputs: tuple[Upstream, ...]
    derive: Derive | None = None  # gets {upstream path: bytes}; None = byte copy
    how: str = "byte copy"

    @property
    def folder(self) -> str:
        return PurePosixPath(self.target).parts[0]


SDG_TRANSLATIONS = Repository(
    "open-sdg/sdg-translations",
    "0cda585851a5c6f04040a9a2755fbb4496c4eead",
    "2025-08-19",
    "MIT (repo LICENSE); the SDG texts themselves are UN public texts. The nb_NO texts are "
    "community translations, partly machine translated, not the official Norwegian wording",
)
NORWAY_GEODATA = Repository(
    "aprestmo/norway-geodata", "97b15cd65b3ae43890bac5a3bc3c82343ba1d152", "2026-01-05", "MIT"
)
FYLKER_OG_KOMMUNER = Repository(
    "robhop/fylker-og-kommuner",
    "ae8782500090144c2b74d6bb2a89365a7ff2236d",
    "April 2025",
    'Kartverket open data, CC BY 4.0: credit "Kartverket" wherever a map is shown',
)
REGTOOLS = Repository(
    "lauriejh/regtools",
    "cb9fcb08d7fe7bdf4a80132c79ee74d93ca78a51",
    "",
    "MIT (repo LICENSE.md); underlying codes from SSB",
)
CSDATA_LOCATIONS = Repository(
    "niphr/csdata",
    "59345122ca61ff7572085f09944f613c0e956b8b",
    "",
    "MIT + LICENSE (© Folkehelseinstituttet)",
)
CSDATA_POPULATION = Repository(
    "niphr/csdata",
    "90cd069b2608dbe99606af0d76e64677ee1cc6ef",
    "",
    "MIT + LICENSE (© Folkehelseinstituttet); data © SSB, CC BY 4.0 / NLOD. The files were "
    "removed from the repository later (c519981); this commit still has them",
)

LOVBRUDD = Repository(
    "chrilur/lovbrudd",
    "e1e0d56d0284209a95b20d97bfd66a30d17b2d2b",
    "2025-12-19",
    "no licence file in the repository; the figures are SSB table 08487 (NLOD 2.0 / CC BY 4.0): "
    'credit "Statistisk sentralbyrå (tabell 08487)" and the repository',
)
P02_UKRAINA = Repository(
    "Samarbeidsdesken/p02-ukraina",
    "fc298da7cb62c4d6b1d3a2920bc04870033c47b9",
    "2025-04-23",
    "no licence file in the repository; the figures are SSB tables 07459 and 12005 and IMDi "
    'public statistics (NLOD 2.0 / CC BY 4.0): credit "SSB tabell 07459/12005; IMDi" and the '
    "repository",
)

# Byte copies whose checksums the offline bundle's SOURCES.md records: target -> upstream.
CHECKED_COPIES = {
    "crime/anmeldt_20-24.csv": Upstream(
        LOVBRUDD,
        "anmeldt_20-24.csv",
        "95e0910e9cdbef47aa090968cfcd97d76294602ba6b282cf584aa6a81dfe1fd3",
    ),
    "crime/om_tallene.md": Upstream(
        LOVBRUDD,
        "markdown_filer/om_tallene.md",
        "00b5e90467d0f7b04a443f087c5a5525e61869277d2c23d873fe86a4ed9292e3",
    ),
    "crime/metode.md": Upstream(
        LOVBRUDD,
        "markdown_filer/metode.md",
        "950c749bb5409ad88bf1e4c15cf98058f1c0a358bf9a5caeecbde5097c4d6f4b",
    ),
    "imdi-bosetting/app_flyktninger_oppsummert.xlsx": Upstream(
        P02_UKRAINA,
        "data/app_flyktninger_oppsummert.xlsx",
        "f2648af1881777b9d43d385447a4ffbdb9f19986ec0ea8c1d8b212900cfd803a",
    ),
}

_KOMMUNEBAROMETER_LICENCE = (
    "no licence file in the repository; the data are public Norwegian government publications "
    "(regjeringen.no, Kommunal- og distriktsdepartementet), NLOD-style reuse with attribution"
)
KOMMUNEBAROMETER_ROBEK = Repository(
    "vegard1104/kommunebarometer",
    "077c5e4a71d1b4b88c640d914daebbd7b3e1d64e",
    "",
    _KOMMUNEBAROMETER_LICENCE,
)
KOMMUNEBAROMETER_DKI = Repository(
    "vegard1104/kommunebarometer",
    "9d2105e6a0dfc2adeef9a5f5569690878ebc5680",
    "",
    _KOMMUNEBAROMETER_LICENCE,
)
# sha256 of the offline bundle's copies (its SOURCES.md names path and commit, not the sum)
ROBEK_JSON = Upstream(
    KOMMUNEBAROMETER_ROBEK,
    "data/robek.json",
    "6f426e0bd069246511869b40e909b4f0b7628a422add59d8248453b8f814494a",
)
DKI_JSON = {
    2025: Upstream(
        KOMMUNEBAROMETER_DKI,
        "data/dki-2025.json",
        "2f4c27d51952145b7d51d0b5d14cf5a5f3549a59b6fce94e2d6dff78297722ae",
    ),
    2026: Upstream(
        KOMMUNEBAROMETER_DKI,
        "data/dki-2026.json",
        "e93d4d4665b3175b9518cd588b1b309d0c945e4f48cce54412c70eb89fce52d4",
    ),
}

KS_VOCABULARIES = Repository(
    "Arkitektum/b-rekraftsindikatorer",
    "c6e9c9902a8ce16203d57fbd7573745e179047e8",
    "",
    "no licence file in the repository; publisher inside the data: KS (org.nr 971032146); "
    "licence not stated",
)
KS_VOCABULARY_DIR = "vocabulary/esg-indicator"
FRAMEWORKS_DIR = "indicator-frameworks/ks-esg-indicator-ttl"
# (name in the bundle, path under KS_VOCABULARY_DIR, sha256 of the offline bundle's copy). The
# bundle's names are ASCII: å→aa, ø→o, æ→ae, runs of "-" → "-", no brackets, ".-" → "-";
# developmetsector.ttl (sic) is developmentsector.ttl.
KS_VOCABULARY_FILES: tuple[tuple[str, str, str], ...] = (
    (
        "Aapenhetsbarometeret.ttl",
        "Åpenhetsbarometeret.ttl",
        "106a7406de2dbca84bea01467d6e084bc903a189bec0a97996befbd6dfc4877c",
    ),
    (
        "Areal-Areal-av-land-og-ferskvatn.ttl",
        "Areal---Areal-av-land-og-ferskvatn.ttl",
        "b678c4042ed868ac1ef64f50ef7fe82a42829781c3ca350cd05037a5746bd5f8",
    ),
    (
        "Areal-Arealbruk-og-arealressurser.ttl",
        "Areal---Arealbruk-og-arealressurser.ttl",
        "f4fa83afc0b8a08f9911c90c5748a43fbec28660b72804468268e2b3d0551c3f",
    ),
    (
        "Areal-Byggeaktivitet-i-strandsonen.ttl",
        "Areal--Byggeaktivitet-i-strandsonen.ttl",
        "214c4c32a89bc844a68ccab37fff7f2f7ae34f9be36cfd6501a93f11ba4c1576",
    ),
    (
        "Areal-Fritidsbyggomraader.ttl",
        "Areal---Fritidsbyggområder.ttl",
        "3603dbee077637d621b00a72b2f4dc20b749ab5468dbb0c366701868f3ad34bf",
    ),
    (
        "Areal-Miljoforvaltning.ttl",
        "Areal---Miljøforvaltning.ttl",
        "2540a4acf5f483591271628ea5a6f7f140ee5f3b572175ea6e3940c34d382f95",
    ),
    (
        "Areal-Plan-og-byggesaksbehandlinger.ttl",
        "Areal---Plan--og-byggesaksbehandlinger.ttl",
        "7dac217851ff33da59e05ad7fea0206deadcb865bfee605aa7d72d380d26041b",
    ),
    (
        "Areal-Rekreasjonsareal-og-naerturterreng.ttl",
        "Areal---Rekreasjonsareal-og-nærturterreng.ttl",
        "550f17d46bcb18d5f9aa9f2830262859aeaa85519a6667095ea0cf8b0a36bc90",
    ),
    (
        "Areal-Tettsteders-befolkning-og-areal.ttl",
        "Areal---Tettsteders-befolkning-og-areal.ttl",
        "cecf6f675eb3967ba2e60399a1133bea284aaa1e0cc568b7e61f0dd77bcc2dad",
    ),
    (
        "Arkivverkets-kommuneundersokelse.ttl",
        "Arkivverkets-kommuneundersøkelse.ttl",
        "4edb002601df308b4a50c2114bca9f43485664a5c1cff208249be898d140e585",
    ),
    (
        "Avfall-Avfall-fra-husholdninger.ttl",
        "Avfall---Avfall-fra-husholdninger.ttl",
        "b1987cfbe98bc01a187282bbb691183b5859b56ec9e771fcbd4810e04f9b7c71",
    ),
    (
        "Barnefattigdom-kommunemonitor.ttl",
        "Barnefattigdom-kommunemonitor.ttl",
        "f77ea9c70b9720035a8572d19f7a3632fa1ff3bbb02e509b5754b3064f7de1c8",
    ),
    (
        "Barnevern-SSB.ttl",
        "Barnevern-SSB.ttl",
        "0924d92c759da60747968256c3a14b5cee8d1867db0fa4a614630ce7aa3ddcce",
    ),
    (
        "Barnevern-kommunemonitor.ttl",
        "Barnevern-kommunemonitor.ttl",
        "d079901252e599001c5a710cfb3930d441171d95f9f0111aeff2480df35160b8",
    ),
    (
        "Boligsosial-monitor.ttl",
        "Boligsosial-monitor.ttl",
        "117854b504304dd32117bfb20619998f77d3d138957a17d187c499808549f476",
    ),
    (
        "DSB-Kommuneundersokelsen.ttl",
        "DSB-Kommuneundersøkelsen.ttl",
        "0ce35658d05ccf579b02c3c7a5a9b5fddc5bd837da0e3712b20e3a9fb96d782a",
    ),
    (
        "De-norske-maalepunktene.ttl",
        "De-norske-målepunktene.ttl",
        "924df0c91f8ff7ad6922c0b14a29ccb80994c8b79fa7a0fee3c2b4f66e2a1df7",
    ),
    (
        "Elevundersokelsen-5-10-trinn-og-vg1-vg3.ttl",
        "Elevundersøkelsen-(5.-10.-trinn-og-vg1-vg3).ttl",
        "498a2bd66f718b6dc94d94e72d8f0858719f50a1d8fb69263f2625a53aaa4331",
    ),
    (
        "Evaluation.ttl",
        "Evaluation/Evaluation.ttl",
        "762fed0f5bd06e89d6f4c74e60601451193f7fb386723c2c321f604a5c299bfa",
    ),
    (
        "Foreldreundersokelsen-i-barnehagen.ttl",
        "Foreldreundersøkelsen-i-barnehagen.ttl",
        "c034ed76fddcea13a757dbd89f41d5fd601f2748c19b1805b98daa53e2aa8d76",
    ),
    (
        "Forurensning-og-klima-kommunalt-avlop.ttl",
        "Forurensning-og-klima---kommunalt-avløp.ttl",
        "64cf82c772146acb21ce393dd274a483140a31d34313697676debcf4a6b30539",
    ),
    (
        "Kjonnslikestilling-i-kommunene.ttl",
        "Kjønnslikestilling-i-kommunene.ttl",
        "ce2c36eed337872c0dbed2aaebc56f15a8c4141e1bd6d0ff398b11232ee6f2a6",
    ),
    (
        "Kommunehelsa-statistikkbank.ttl",
        "Kommunehelsa-statistikkbank.ttl",
        "2ec450eb4ad6362bcbb5abce5d738ea53378b1867cc0006bfeed1c30766e0532",
    ),
    (
        "Levelofgeography.ttl",
        "Levelofgeography/Levelofgeography.ttl",
        "a31e37bd6c1ed3d180e34d5a81fff3f0671c7c0f4af4a050a92163bc7afb4f57",
    ),
    (
        "Nettoforbruk-av-elektrisk-kraft.ttl",
        "Nettoforbruk-av-elektrisk-kraft.ttl",
        "707077528229b5adbb67cc0c845a1368e616c9169185f78a2e99a12986cc24b6",
    ),
    (
        "OECD-A-Territorial-Approach-to-the-SDGs.ttl",
        "OECD-A-Territorial-Approach-to-the-SDGs.ttl",
        "c24d7c86200788e98bf8f06e5891ebe20cb28ca2177bef49cc69c394ee4bc3c6",
    ),
    (
        "Statistikk-om-kommuneansatte.ttl",
        "Statistikk-om-kommuneansatte.ttl",
        "b70ce8b70be25a9efc031c8821b24fbf14981a2eb52e54dd844135d327c90b42",
    ),
    (
        "The-EU-JRC-VLR-handbook-indicators-2020.ttl",
        "The-EU-JRC-VLR-handbook-indicators-2020.ttl",
        "146323e4ccc20f49b7515c2607330d180cf14da2ceb82faafcd01c85db6ca2f3",
    ),
    (
        "The-EU-JRC-VLR-handbook-indicators-2022.ttl",
        "The-EU-JRC-VLR-handbook-indicators-2022.ttl",
        "4076c2225d6e2a7ce5fcf6d4b0e9b40b1b2894c8fa3e508d3a8e8c66610c1734",
    ),
    ("U4SSC.ttl", "U4SSC.ttl", "14a28de57978376ef85ec20ae4b7cede1f622917545ce24f2f290d6046e0bc2d"),
    (
        "UN-SDG-indicators.ttl",
        "UN-SDG-indicators.ttl",
        "19d360b77397846575dbc59fc3f0916c85f3c6921f0d64823eadbd7686e04a4e",
    ),
    (
        "Ungdata.ttl",
        "Ungdata.ttl",
        "035d7de970add6b93321cfda5c91c038a5d14b989294d9891e874b8379b406e2",
    ),
    (
        "Utslipp-av-klimagasser-i-kommuner-og-fylker.ttl",
        "Utslipp-av-klimagasser-i-kommuner-og-fylker.ttl",
        "7dc5a9b8cb28e94a6b29b465bcd41b80b182f90798a2a4b3bc0f9ddd457fc5d5",
    ),
    (
        "Vann-og-avlop-kommunal-vannforsyning.ttl",
        "Vann-og-avløp---kommunal-vannforsyning.ttl",
        "49a2d94e58e81fbd32fcc236a5b72864d4415aa835ed7d5829a065d11952e7c2",
    ),
    (
        "Vann-og-avlop-kommunalt-avlop.ttl",
        "Vann-og-avløp---kommunalt-avløp.ttl",
        "43f4f41b5d966ca459870fc341a229deb19c31070e2dae44a58b3528100735ec",
    ),
    (
        "developmentsector.ttl",
        "developmentsector/developmetsector.ttl",
        "964d6774dfc33082a2fc98e82e29f20e4600b721f9e46f5efbf54b5b1a38fdb8",
    ),
    (
        "quality.ttl",
        "quality/quality.ttl",
        "f64bd0c01e779a51524310fb8ab72dc96afc921806e73418ab38df0520c55da1",
    ),
    (
        "triplebottomline.ttl",
        "triplebottomline/triplebottomline.ttl",
        "ba132c70240b3444347e0a3447c12bf65abec58dd5ad4bedf9bd9c65824cac1d",
    ),
)

SDG_KINDS = ("goals", "targets", "indicators")
SDG_LANGUAGES = {"en": "en", "nb": "nb_NO"}  # our name -> folder in sdg-translations
GEO_FILES = ("Kommuner-S.geojson", "Kommuner-M.geojson", "Fylker-S.geojson")
# SOURCES.md: "Personer2005-2009.csv, Personer2010-2014.csv, Personer2015-2018.csv,
# Personer2019.csv … Personer2023.csv"; the bundle's source_file column names exactly these.
POPULATION_FILES = (
    "Personer2005-2009.csv",
    "Personer2010-2014.csv",
    "Personer2015-2018.csv",
    "Personer2019.csv",
    "Personer2020.csv",
    "Personer2021.csv",
    "Personer2022.csv",
    "Personer2023.csv",
)
POPULATION_DIR = "data-raw/files/population"


def _sdg_upstream(language: str, kind: str) -> Upstream:
    return Upstream(SDG_TRANSLATIONS, f"translations/{language}/global_{kind}.yml")


# --------------------------------------------------------------------------------------------
# Pure converters


def _csv_bytes(rows: Iterable[Sequence[str]], lineterminator: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue().encode("utf-8")


# SDG catalogue ------------------------------------------------------------------------------

SDG_CATALOGUE_COLUMNS = (
    "level", "id", "goal", "target", "short_en", "short_nb", "title_en", "title_nb",
)  # fmt: skip
_SDG_KEY = {
    "goals": re.compile(r"(\d+)-(short|title)"),
    "targets": re.compile(r"(\d+)-([0-9a-z]+)-title"),
    "indicators": re.compile(r"(\d+)-([0-9a-z]+)-(\d+)-title"),
}


def _sdg_texts(data: bytes, name: str) -> dict[str, str]:
    try:
        parsed = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConversionError(f"{name} is not valid UTF-8 YAML: {error}") from None
    if not isinstance(parsed, dict):
        raise ConversionError(f"{name} should be a mapping of keys to texts")
    texts: dict[str, str] = {}
    for key, value in parsed.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ConversionError(f"{name}: {key!r} should map a text key to a text")
        texts[key] = value
    return texts


def _sdg_sort_key(parts: Sequence[str]) -> tuple[tuple[int, int, str], ...]:
    """Numbers in numeric order, then letters: 1.1, 1.2, …, 1.10, 1.a, 1.b."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def sdg_catalogue_csv(en: Mapping[str, bytes], nb: Mapping[str, bytes]) -> bytes:
    """``sdg/sdg_catalogue_en_nb.csv`` from the six open-sdg ``global_*.yml`` files.

    ``en`` and ``nb`` map ``goals``/``targets``/``indicators`` to the raw YAML of
    ``translations/en/`` and ``translations/nb_NO/``. One row per goal (1–17), then every
    target, then every indicator, each in SDG order (numbers before letters). Written with the
    csv module's defaults: minimal quoting and CRLF line endings, as the bundle's file has them.
    """
    texts = {
        language: {
            kind: _sdg_texts(files[kind], f"{language}/global_{kind}.yml") for kind in SDG_KINDS
        }
        for language, files in (("en", en), ("nb", nb))
    }
    parsed: dict[str, list[tuple[str, ...]]] = {}
    for kind in SDG_KINDS:
        ids: set[tuple[str, ...]] = set()
        for key in texts["en"][kind]:
            match = _SDG_KEY[kind].fullmatch(key)
            if match is None:
                raise ConversionError(f"en/global_{kind}.yml: unexpected key {key!r}")
            ids.add(match.groups()[:-1] if kind == "goals" else match.groups())
            if key not in texts["nb"][kind]:
                raise ConversionError(f"nb_NO/global_{kind}.yml has no text for {key!r}")
        parsed[kind] = sorted(ids, key=_sdg_sort_key)

    def text(language: str, kind: str, key: str) -> str:
        try:
            return texts[language][kind][key]
        except KeyError:
            folder = SDG_LANGUAGES[language]
            raise ConversionError(f"{folder}/global_{kind}.yml has no {key!r}") from None

    rows: list[list[str]] = [list(SDG_CATALOGUE_COLUMNS)]
    for (goal,) in parsed["goals"]:
        rows.append(
            [
                "goal",
                goal,
                goal,
                "",
                text("en", "goals", f"{goal}-short"),
                text("nb", "goals", f"{goal}-short"),
                text("en", "goals", f"{goal}-title"),
                text("nb", "goals", f"{goal}-title"),
            ]
        )
    goals = {goal for (goal,) in parsed["goals"]}
    for parts in parsed["targets"]:
        if parts[0] not in goals:
            raise ConversionError(f"target {'.'.join(parts)} belongs to no goal")
        key = "-".join(parts) + "-title"
        target = ".".join(parts)
        title_en, title_nb = text("en", "targets", key), text("nb", "targets", key)
        rows.append(["target", target, parts[0], target, "", "", title_en, title_nb])
    targets = {".".join(parts) for parts in parsed["targets"]}
    for parts in parsed["indicators"]:
        target = ".".join(parts[:2])
        if target not in targets:
            raise ConversionError(f"indicator {'.'.join(parts)} belongs to no target")
        key = "-".join(parts) + "-title"
        title_en, title_nb = text("en", "indicators", key), text("nb", "indicators", key)
        rows.append(["indicator", ".".join(parts), parts[0], target, "", "", title_en, title_nb])
    return _csv_bytes(rows, "\r\n")


def _derive_sdg_catalogue(files: Mapping[str, bytes]) -> bytes:
    return sdg_catalogue_csv(
        {kind: files[_sdg_upstream("en", kind).path] for kind in SDG_KINDS},
        {kind: files[_sdg_upstream("nb_NO", kind).path] for kind in SDG_KINDS},
    )


# Municipalities -----------------------------------------------------------------------------

KOMMUNER_COLUMNS = (
    "kommunenummer", "kommunenavn", "kommunenavn_no", "fylkesnummer", "fylkesnavn",
    "administrasjonssenter", "folketall", "areal_km2", "maalform", "nettsted",
    "antall_postnummer",
)  # fmt: skip
_MUNICIPALITY_FIELDS = {  # column -> key in municipalities-2025.json
    "kommunenummer": "id",
    "kommunenavn": "name",
    "kommunenavn_no": "name_no",
    "administrasjonssenter": "adm_center",
    "folketall": "population",
    "areal_km2": "area",
    "maalform": "language",
    "nettsted": "url",
}


def _json(data: bytes, name: str) -> object:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConversionError(f"{name} is not valid UTF-8 JSON: {error}") from None


def _json_list(data: bytes, name: str) -> list[dict[str, object]]:
    parsed = _json(data, name)
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise ConversionError(f"{name} should be a list of objects")
    return parsed


def _text(value: object) -> str:
    """A JSON or spreadsheet value as the bundle's CSV files write it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def kommuner_csv(municipalities_json: bytes, counties_json: bytes) -> bytes:
    """``municipalities/kommuner_2025.csv`` from norway-geodata's two JSON files.

    One row per municipality in the JSON's order; the county name is looked up by the first two
    digits of the municipality number; the postal codes are dropped and only counted
    (``antall_postnummer``). CRLF line endings, as the bundle's file has them.
    """
    counties = {
        str(county.get("id")): _text(county.get("name"))
        for county in _json_list(counties_json, "counties-2025.json")
    }
    rows: list[list[str]] = [list(KOMMUNER_COLUMNS)]
    for number, item in enumerate(_json_list(municipalities_json, "municipalities-2025.json"), 1):
        missing = [
            key for key in (*_MUNICIPALITY_FIELDS.values(), "postal_codes") if key not in item
        ]
        if missing:
            raise ConversionError(
                f"municipality number {number} in municipalities-2025.json lacks "
                + ", ".join(missing)
            )
        values = {column: _text(item[key]) for column, key in _MUNICIPALITY_FIELDS.items()}
        county = values["kommunenummer"][:2]
        if county not in counties:
            raise ConversionError(
                f"municipality {values['kommunenummer']}: county {county!r} is not in "
                "counties-2025.json"
            )
        postal_codes = item["postal_codes"]
        if not isinstance(postal_codes, list):
            raise ConversionError(
                f"municipality {values['kommunenummer']}: postal_codes is no list"
            )
        values.update(
            fylkesnummer=county,
            fylkesnavn=counties[county],
            antall_postnummer=str(len(postal_codes)),
        )
        rows.append([values[column] for column in KOMMUNER_COLUMNS])
    return _csv_bytes(rows, "\r\n")


def _derive_kommuner(files: Mapping[str, bytes]) -> bytes:
    return kommuner_csv(files["data/municipalities-2025.json"], files["data/counties-2025.json"])


# Excel workbooks ----------------------------------------------------------------------------


def xlsx_rows(data: bytes, sheet: str | None = None) -> list[list[str]]:
    """The cells of one sheet (default: the first) as text, header row first.

    Columns run to the last one with a header; wholly empty rows are skipped. Numbers are
    written as Python writes them, whole numbers without ``.0`` (1838, 0.35, 11.88); empty
    cells become empty strings; text is kept unchanged.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise ConversionError(f"not an Excel workbook (.xlsx): {error}") from None
    try:
        names: list[str] = list(workbook.sheetnames)
        if sheet is None:
            worksheet = workbook.worksheets[0]
        else:
            wanted = [name for name in names if name.strip().casefold() == sheet.casefold()]
            if not wanted:
                raise ConversionError(f"no sheet {sheet!r}; the sheets are {names}")
            worksheet = workbook[wanted[0]]
        worksheet.reset_dimensions()  # read-only mode trusts the file's own, often wrong, size
        raw: list[tuple[object, ...]] = [
            tuple(row) for row in worksheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    if not raw:
        raise ConversionError("the sheet is empty")
    header = [_text(value) for value in raw[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows = [header]
    for number, values in enumerate(raw[1:], start=2):
        cells = [_text(value) for value in values]
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[width:]):
            raise ConversionError(f"row {number} has a value right of the last headed column")
        rows.append(cells[:width] + [""] * (width - len(cells)))
    return rows


def xlsx_to_csv(data: bytes, sheet: str | None = None) -> bytes:
    """One sheet converted to CSV unchanged (UTF-8, minimal quoting, LF line endings)."""
    return _csv_bytes(xlsx_rows(data, sheet), "\n")


SSB_GROUPING_COLUMNS = (
    "harmonisert_kode", "harmonisert_navn", "kode", "tekst", "navn", "gyldig_fra_aar",
    "gyldig_til_aar", "gjeldende_2024",
)  # fmt: skip
# "(2020-2023)", "(-2019)", "(1977-2019)", "(2024-)", "(2019)" at the end of TEKST
_VALIDITY = re.compile(r"\s*\((?:(?P<start>\d{4})?-(?P<end>\d{4})?|(?P<year>\d{4}))\)\s*$")


def ssb_grouping_csv(xlsx: bytes) -> bytes:
    """``municipalities/ssb_kommuner_1994_2024_harmonisert_til_2024.csv`` from regtools'
    ``data-raw/kommuner-1994-2024.xlsx``, an SSB StatBank grouping export.

    Layout (as regtools' own ``data-raw/kommuner.R`` reads it with ``readxl::read_excel``): the
    first sheet, header in row 1, columns ``GRUPPEKODE`` (``K.3101``, ``K.Rest`` …),
    ``GRUPPETEKST``, ``KODE`` (``0101``; ``0716u`` for Våle, the earlier holder of 0716) and
    ``TEKST`` (``Halden (-2019)``), found by name. Kept in the workbook's order and renamed to
    ``harmonisert_kode, harmonisert_navn, kode, tekst``; parsed here from ``TEKST``: ``navn``
    (the text without the validity in brackets), ``gyldig_fra_aar`` and ``gyldig_til_aar``
    (the years in the brackets, empty when open) and ``gjeldende_2024`` (``True`` when the text
    has no validity and the group is the code itself). A code stored as a number gets its
    leading zeros back (4 digits). UTF-8, LF line endings.
    """
    rows = xlsx_rows(xlsx)
    header = [cell.strip().upper() for cell in rows[0]]
    wanted = ("GRUPPEKODE", "GRUPPETEKST", "KODE", "TEKST")
    missing = [name for name in wanted if name not in header]
    if missing:
        raise ConversionError(f"missing column(s) {', '.join(missing)}; the header is {rows[0]}")
    index = [header.index(name) for name in wanted]
    out: list[list[str]] = [list(SSB_GROUPING_COLUMNS)]
    for number, row in enumerate(rows[1:], start=2):
        group, group_name, code, text = (row[i] for i in index)
        if not group or not code or not text:
            raise ConversionError(f"row {number}: GRUPPEKODE, KODE and TEKST must all be set")
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)
        match = _VALIDITY.search(text)
        if match is None:
            name, start, end = text.strip(), "", ""
        else:
            name = text[: match.start()]
            start = match["start"] or match["year"] or ""
            end = match["end"] or match["year"] or ""
        current = match is None and group == f"K.{code}"
        out.append([group, group_name, code, text, name, start, end, str(current)])
    return _csv_bytes(out, "\n")


def _derive_ssb_grouping(files: Mapping[str, bytes]) -> bytes:
    return ssb_grouping_csv(files["data-raw/kommuner-1994-2024.xlsx"])


def _derive_fhi_locations(files: Mapping[str, bytes]) -> bytes:
    return xlsx_to_csv(files["data-raw/files/locations/norway_locations.xlsx"])


def _derive_labour_market_regions(files: Mapping[str, bytes]) -> bytes:
    return xlsx_to_csv(files["data-raw/files/locations/baregioner_2024.xlsx"], "Etter kommune")


# Population (SSB 07459 exports) --------------------------------------------------------------

POPULATION_COLUMNS = (
    "year", "region_raw", "region_code", "region_name", "code_basis", "population",
    "source_file",
)  # fmt: skip
CODE_BASIS_VALID = "kommune code valid in that year"
CODE_BASIS_AGGREGATED = (
    "SSB agg:KommSummer (harmonised to 2020-2023 kommune codes at download time)"
)
_SSB_SYMBOLS = frozenset({".", "..", "...", ":", "-"})  # SSB's "no figure" symbols
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class PopulationRow:
    year: int
    region_raw: str
    population: int
    source_file: str

    @property
    def aggregated(self) -> bool:
        """``K-3001 Halden``: SSB's agg:KommSummer grouping, not a code valid in that year."""
        return self.region_raw.startswith("K-")

    @property
    def code(self) -> str:
        """``0101``, ``3001``, ``21-22``, ``Rest``: the text before the first space."""
        return self.region_raw.removeprefix("K-").partition(" ")[0]

    @property
    def name(self) -> str:
        """The rest, unchanged (not stripped: one SSB name ends in a no-break space)."""
        return self.region_raw.removeprefix("K-").partition(" ")[2]

    def cells(self) -> list[str]:
        basis = CODE_BASIS_AGGREGATED if self.aggregated else CODE_BASIS_VALID
        return [
            str(self.year), self.region_raw, self.code, self.name, basis, str(self.population),
            self.source_file,
        ]  # fmt: skip


def population_rows(data: bytes, source_file: str) -> list[PopulationRow]:
    """One SSB StatBank table 07459 export summed over age: one row per region and year.

    Assumed layout (SOURCES.md names the files and says "latin-1, summed over age"; the layout
    is taken from copies of the same exports in niphr/csdata and sykdomspulsen-org/spldata):
    latin-1 text; optionally a title line and a blank line (``"07459: Population, by region,
    age, contents and year"``, as in ``Personer2023.csv``); then a header
    ``"region" "age" "Persons 2005" "Persons 2006" …`` separated by tabs (older exports) or
    semicolons (newer ones), one column per year; then one line per region and age with
    whole numbers. Regions are ``0101 Halden`` (codes valid in that year) or ``K-3001 Halden``
    (SSB's ``agg:KommSummer`` codes). SSB's symbols for "no figure" (``.``, ``..``, ``:``, ``-``)
    count as 0. Names are kept exactly as decoded: ``Personer2019.csv`` upstream holds
    replacement characters (bytes EF BF BD) where ø/å/æ were, which latin-1 reads as ``ï¿½``,
    as the bundle has them.
    """
    lines = data.decode("latin-1").splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.lstrip('"').lower().startswith("region")), None
    )
    if start is None:
        raise ConversionError('no header line starting with "region"')
    header_line = lines[start]
    delimiter = "\t" if "\t" in header_line else ";" if ";" in header_line else ","
    reader = csv.reader(lines[start:], delimiter=delimiter)
    header = next(reader)
    if len(header) < 3 or [h.strip().lower() for h in header[:2]] != ["region", "age"]:
        raise ConversionError(f"line {start + 1}: expected region, age, then years: {header}")
    years: list[int] = []
    for column in header[2:]:
        found = _YEAR.search(column)
        if found is None:
            raise ConversionError(f"line {start + 1}: no year in column {column!r}")
        years.append(int(found.group(1)))
    totals: dict[tuple[int, str], int] = {}
    for offset, row in enumerate(reader, start=start + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ConversionError(f"line {offset}: {len(row)} fields, expected {len(header)}")
        region = row[0]
        if not region.strip():
            raise ConversionError(f"line {offset}: the region is empty")
        for year, cell in zip(years, row[2:], strict=True):
            value = cell.strip()
            if value in _SSB_SYMBOLS:
                number = 0
            elif re.fullmatch(r"-?\d+", value):
                number = int(value)
            else:
                raise ConversionError(f"line {offset}: {value!r} is not a whole number")
            totals[(year, region)] = totals.get((year, region), 0) + number
    if not totals:
        raise ConversionError("no data rows")
    return [
        PopulationRow(year, region, total, source_file) for (year, region), total in totals.items()
    ]


def population_csv(files: Sequence[tuple[str, bytes]]) -> bytes:
    """``ssb-statistics/ssb_07459_folkemengde_kommune_2005_2023_total.csv`` from the 07459
    exports ``(file name, bytes)``: every region and year of every file (zeros included),
    sorted by year and region code; UTF-8, LF line endings. See :func:`population_rows`.
    """
    rows: list[PopulationRow] = []
    seen: dict[tuple[int, str], str] = {}
    for name, data in files:
        try:
            file_rows = population_rows(data, name)
        except ConversionError as error:
            raise ConversionError(f"{name}: {error}") from None
        for row in file_rows:
            key = (row.year, row.code)
            if key in seen:
                raise ConversionError(
                    f"{name}: region {row.region_raw!r} in {row.year} is also in {seen[key]}"
                )
            seen[key] = name
            rows.append(row)
    rows.sort(key=lambda row: (row.year, row.code))
    return _csv_bytes([POPULATION_COLUMNS, *(row.cells() for row in rows)], "\n")


def _derive_population(files: Mapping[str, bytes]) -> bytes:
    return population_csv([(PurePosixPath(path).name, data) for path, data in files.items()])


# KMD registers (kommunebarometer's JSON files) -------------------------------------------------

ROBEK_COLUMNS = (
    "region_code", "region_name", "year", "reference_date", "indicator", "value", "unit",
    "robek_hjemmel",
)  # fmt: skip
ROBEK_UNIT = "1 = oppført i ROBEK, 0 = ikke oppført"
DKI_COLUMNS = (
    "region_code", "region_name", "year", "indicator", "indicator_label", "value", "unit",
)  # fmt: skip
DKI_LABEL = "Indeks berekna utgiftsbehov (samlet kostnadsindeks, Grønt hefte tabell A-k)"
DKI_UNIT = "indeks (landet=1)"


def _json_object(data: bytes, name: str) -> dict[str, object]:
    parsed = _json(data, name)
    if not isinstance(parsed, dict):
        raise ConversionError(f"{name} should be a JSON object")
    return parsed


def _municipality_names(municipalities_json: bytes) -> dict[str, str]:
    """Municipality number -> name, in the order of norway-geodata's municipalities-2025.json."""
    items = _json_list(municipalities_json, "municipalities-2025.json")
    return {_text(item.get("id")): _text(item.get("name")) for item in items}


def robek_csv(robek_json: bytes, municipalities_json: bytes) -> bytes:
    """``kmd-kommuneokonomi/kmd_robek_kommune_2026.csv`` from kommunebarometer's
    ``data/robek.json`` and norway-geodata's ``municipalities-2025.json``.

    One row per municipality in the JSON's order: ``value`` 1 and the legal ground
    (``hjemmel``) when the register lists it, else 0 and nothing; ``year`` and
    ``reference_date`` from ``publisert``. UTF-8, LF line endings.
    """
    robek = _json_object(robek_json, "robek.json")
    published = robek.get("publisert")
    listed_items = robek.get("kommuner")
    if not isinstance(published, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        raise ConversionError(f"robek.json: publisert should be a date, not {published!r}")
    if not isinstance(listed_items, list) or not all(isinstance(i, dict) for i in listed_items):
        raise ConversionError("robek.json: kommuner should be a list of objects")
    listed = {_text(i.get("kommunenummer")): _text(i.get("hjemmel")) for i in listed_items}
    names = _municipality_names(municipalities_json)
    unknown = sorted(set(listed) - set(names))
    if unknown:
        raise ConversionError(f"robek.json lists municipalities that do not exist: {unknown}")
    rows: list[list[str]] = [list(ROBEK_COLUMNS)]
    for code, name in names.items():
        value = "1" if code in listed else "0"
        row = [code, name, published[:4], published, "i_robek", value, ROBEK_UNIT]
        rows.append([*row, listed.get(code, "")])
    return _csv_bytes(rows, "\n")


def dki_csv(dki_jsons: Sequence[bytes], municipalities_json: bytes) -> bytes:
    """``kmd-kommuneokonomi/kmd_dki_kostnadsindeks_kommune_2025_2026.csv`` from
    kommunebarometer's ``data/dki-YYYY.json`` files (in the order given) and norway-geodata's
    ``municipalities-2025.json`` (for the names).

    One row per municipality in each file's order; the value is the number stored for it, or
    its ``samlet`` when an object with the sector indices is stored (Lørenskog), written as
    Python writes it. ``year`` is the file's ``år``. UTF-8, LF line endings.
    """
    names = _municipality_names(municipalities_json)
    rows: list[list[str]] = [list(DKI_COLUMNS)]
    for data in dki_jsons:
        dki = _json_object(data, "dki.json")
        year, values = dki.get("år"), dki.get("kommuner")
        name = f"dki-{year}.json"
        if not isinstance(year, int) or not isinstance(values, dict):
            raise ConversionError(f"{name}: expected a year (år) and an object kommuner")
        for code, stored in values.items():
            value = stored.get("samlet") if isinstance(stored, dict) else stored
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConversionError(f"{name}: municipality {code} has no number: {stored!r}")
            if code not in names:
                raise ConversionError(f"{name}: municipality {code} does not exist")
            rows.append(
                [code, names[code], str(year), "dki_samlet", DKI_LABEL, str(value), DKI_UNIT]
            )
    return _csv_bytes(rows, "\n")


def _derive_robek(files: Mapping[str, bytes]) -> bytes:
    return robek_csv(files[ROBEK_JSON.path], files["data/municipalities-2025.json"])


def _derive_dki(files: Mapping[str, bytes]) -> bytes:
    return dki_csv(
        [files[upstream.path] for upstream in DKI_JSON.values()],
        files["data/municipalities-2025.json"],
    )


# --------------------------------------------------------------------------------------------
# The plan: every file the loader reads

BUNDLE_FILES: tuple[BundleFile, ...] = (
    *(
        BundleFile(
            f"sdg/open-sdg-translations/{folder}/global_{kind}.yml",
            (_sdg_upstream(folder, kind),),
        )
        for folder in SDG_LANGUAGES.values()
        for kind in SDG_KINDS
    ),
    BundleFile(
        "sdg/sdg_catalogue_en_nb.csv",
        tuple(
            _sdg_upstream(folder, kind) for folder in SDG_LANGUAGES.values() for kind in SDG_KINDS
        ),
        _derive_sdg_catalogue,
        "derived from the six YAML files: goals, targets, indicators with en and nb texts",
    ),
    BundleFile(
        "municipalities/municipalities_2025.json",
        (Upstream(NORWAY_GEODATA, "data/municipalities-2025.json"),),
    ),
    BundleFile(
        "municipalities/counties_2025.json", (Upstream(NORWAY_GEODATA, "data/counties-2025.json"),)
    ),
    BundleFile(
        "municipalities/kommuner_2025.csv",
        (
            Upstream(NORWAY_GEODATA, "data/municipalities-2025.json"),
            Upstream(NORWAY_GEODATA, "data/counties-2025.json"),
        ),
        _derive_kommuner,
        "derived from the two JSON files (postal codes dropped, count kept)",
    ),
    BundleFile(
        "municipalities/ssb_kommuner_1994_2024_harmonisert_til_2024.csv",
        (Upstream(REGTOOLS, "data-raw/kommuner-1994-2024.xlsx"),),
        _derive_ssb_grouping,
        "an SSB StatBank grouping export converted to CSV; navn, gyldig_fra_aar, gyldig_til_aar "
        "and gjeldende_2024 parsed from TEKST",
    ),
    BundleFile(
        "municipalities/fhi_norway_locations_history.csv",
        (Upstream(CSDATA_LOCATIONS, "data-raw/files/locations/norway_locations.xlsx"),),
        _derive_fhi_locations,
        "first sheet converted to CSV unchanged",
    ),
    BundleFile(
        "municipalities/ba_regioner_2024_etter_kommune.csv",
        (Upstream(CSDATA_LOCATIONS, "data-raw/files/locations/baregioner_2024.xlsx"),),
        _derive_labour_market_regions,
        'sheet "Etter kommune" converted to CSV unchanged',
    ),
    *(BundleFile(f"geo/{name}", (Upstream(FYLKER_OG_KOMMUNER, name),)) for name in GEO_FILES),
    BundleFile(
        "ssb-statistics/ssb_07459_folkemengde_kommune_2005_2023_total.csv",
        tuple(Upstream(CSDATA_POPULATION, f"{POPULATION_DIR}/{name}") for name in POPULATION_FILES),
        _derive_population,
        "SSB StatBank table 07459 exports (latin-1), summed over age per region and year",
    ),
    *(BundleFile(target, (upstream,)) for target, upstream in CHECKED_COPIES.items()),
    *(
        BundleFile(
            f"{FRAMEWORKS_DIR}/{name}",
            (Upstream(KS_VOCABULARIES, f"{KS_VOCABULARY_DIR}/{path}", sha256),),
        )
        for name, path, sha256 in KS_VOCABULARY_FILES
    ),
    BundleFile("kmd-kommuneokonomi/kmd_robek_2026-04-20_raw.json", (ROBEK_JSON,)),
    BundleFile(
        "kmd-kommuneokonomi/kmd_robek_kommune_2026.csv",
        (ROBEK_JSON, Upstream(NORWAY_GEODATA, "data/municipalities-2025.json")),
        _derive_robek,
        "derived: one row per municipality, 1 and the legal ground when listed, else 0",
    ),
    *(
        BundleFile(f"kmd-kommuneokonomi/kmd_dki_{year}_raw.json", (upstream,))
        for year, upstream in DKI_JSON.items()
    ),
    BundleFile(
        "kmd-kommuneokonomi/kmd_dki_kostnadsindeks_kommune_2025_2026.csv",
        (*DKI_JSON.values(), Upstream(NORWAY_GEODATA, "data/municipalities-2025.json")),
        _derive_dki,
        "derived: the samlet index of every municipality in both JSON files, names from "
        "municipalities-2025.json",
    ),
)


# --------------------------------------------------------------------------------------------
# HTTP


class _Readable(Protocol):
    def read(self) -> bytes: ...


class Opener(Protocol):
    def __call__(
        self, request: urllib.request.Request, *, timeout: float
    ) -> AbstractContextManager[_Readable]: ...


def _urlopen(
    request: urllib.request.Request, *, timeout: float
) -> AbstractContextManager[_Readable]:
    response: AbstractContextManager[_Readable] = urllib.request.urlopen(request, timeout=timeout)
    return response


def http_get(
    url: str,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 2.0,
    opener: Opener | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """GET ``url`` with urllib: a timeout, the User-Agent "Lokalmål data fetch", and up to
    ``retries`` retries after a server error (5xx) or a timeout, waiting ``backoff``, then
    twice as long each time. Any other failure (404, no network …) fails at once. Raises
    :class:`FetchError` naming the URL and what went wrong."""
    opener = opener or _urlopen
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    for attempt in range(retries + 1):
        after = f" (after {attempt + 1} attempts)" if attempt else ""
        try:
            with opener(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            problem = f"HTTP {error.code} {error.reason}".strip()
            if error.code < 500 or attempt == retries:
                raise FetchError(f"Could not download {url}: {problem}{after}") from None
        except (TimeoutError, urllib.error.URLError) as error:
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            if not isinstance(reason, TimeoutError):
                raise FetchError(f"Could not download {url}: {reason}") from None
            problem = f"no answer within {timeout:g} s"
            if attempt == retries:
                raise FetchError(f"Could not download {url}: {problem}{after}") from None
        except OSError as error:
            raise FetchError(f"Could not download {url}: {error}") from None
        sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Fetching into a folder

_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def _download(upstream: Upstream, get: Getter, log: Log) -> bytes:
    url = upstream.url
    log(f"  downloading {url}")
    try:
        data = get(url)
    except FetchError:
        raise
    except Exception as error:
        raise FetchError(f"Could not download {url}: {type(error).__name__}: {error}") from None
    if not data:
        raise FetchError(f"Could not download {url}: the answer was empty")
    if data.startswith(_LFS_POINTER):
        raise FetchError(
            f"Could not download {url}: the answer is a Git LFS pointer, not the file itself"
        )
    if upstream.sha256:
        digest = hashlib.sha256(data).hexdigest()
        if digest != upstream.sha256:
            raise FetchError(
                f"Could not download {url}: its sha256 is {digest}, but the offline bundle's "
                f"copy has {upstream.sha256}"
            )
    return data


def _sources_md(files: Sequence[BundleFile], fetched_on: datetime.date) -> str:
    """The provenance the offline bundle's SOURCES.md files record, for the files fetched."""
    lines = [
        SOURCES_TITLE,
        "",
        f"Fetched on {fetched_on.isoformat()} from the original public sources, at the commits "
        "recorded in the SOURCES.md files of Lokalmål's offline data bundle. A byte copy is the "
        "upstream file unchanged; the other files are derived here from the files listed, as "
        "the offline bundle derives them.",
    ]
    for folder in dict.fromkeys(file.folder for file in files):
        in_folder = [file for file in files if file.folder == folder]
        lines += ["", f"## {folder}/", ""]
        repositories = dict.fromkeys(u.repository for file in in_folder for u in file.inputs)
        for repository in repositories:
            date = f" ({repository.date})" if repository.date else ""
            lines.append(
                f"- Repository github.com/{repository.name}, commit {repository.commit}{date}. "
                f"Licence: {repository.licence}."
            )
        lines.append("")
        for file in in_folder:
            urls = [upstream.url for upstream in file.inputs]
            if file.derive is None:
                checksum = file.inputs[0].sha256
                checked = f" (sha256 {checksum}, checked)" if checksum else ""
                lines.append(f"- `{file.target}`: byte copy of {urls[0]}{checked}")
            else:
                lines.append(f"- `{file.target}`: {file.how}, from")
                lines += [f"  - {url}" for url in urls]
    return "\n".join(lines) + "\n"


def is_fetched_bundle(folder: Path) -> bool:
    sources = folder / "SOURCES.md"
    try:
        return sources.read_text(encoding="utf-8").startswith(SOURCES_TITLE)
    except (OSError, UnicodeDecodeError):
        return False


def fetch_bundle(
    dest: Path,
    get: Getter | None = None,
    log: Log = print,
    fetched_on: datetime.date | None = None,
    files: Sequence[BundleFile] = BUNDLE_FILES,
) -> int:
    """Download and derive ``files`` into ``dest``; returns the number of files written.

    ``get`` is the HTTP getter (default :func:`http_get`): it takes a URL and returns the
    body or raises. Each URL is downloaded once. The files are written into a temporary folder
    beside ``dest``, which replaces ``dest`` only when all of them are done; on any error the
    temporary folder is removed and ``dest`` stays as it was. An existing ``dest`` is replaced
    only when it is empty or an earlier fetch made it (its SOURCES.md says so), so that a
    mistyped path never replaces someone's folder. Raises :class:`FetchError`.
    """
    get = get or http_get
    dest = dest.absolute()
    fetched_on = fetched_on or datetime.datetime.now(datetime.UTC).date()
    if dest.exists():
        if not dest.is_dir():
            raise FetchError(f"{dest} exists and is not a folder")
        if any(dest.iterdir()) and not is_fetched_bundle(dest):
            raise FetchError(
                f"{dest} is not empty and was not made by `lokalmaal data fetch`; "
                "choose a new or empty folder, or remove it first"
            )
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.fetching-", dir=dest.parent))
    log(f"Fetching {len(files)} files into {dest} (working in {work.name}) …")
    try:
        downloaded: dict[str, bytes] = {}
        for number, file in enumerate(files, start=1):
            inputs: dict[str, bytes] = {}
            for upstream in file.inputs:
                if upstream.url not in downloaded:
                    downloaded[upstream.url] = _download(upstream, get, log)
                inputs[upstream.path] = downloaded[upstream.url]
            if file.derive is None:
                (data,) = inputs.values()
                how = "byte copy"
            else:
                try:
                    data = file.derive(inputs)
                except Exception as error:
                    urls = ", ".join(upstream.url for upstream in file.inputs)
                    reason = str(error)
                    if not isinstance(error, ConversionError):
                        reason = f"{type(error).__name__}: {reason}"
                    raise FetchError(
                        f"Could not derive {file.target} from {urls}: {reason}"
                    ) from None
                how = f"derived from {len(file.inputs)} file{'s' * (len(file.inputs) > 1)}"
            path = work / file.target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            log(f"  [{number}/{len(files)}] {file.target}: {how}, {len(data):,} bytes")
        (work / "SOURCES.md").write_text(_sources_md(files, fetched_on), encoding="utf-8")
        _replace(dest, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return len(files)


def _replace(dest: Path, work: Path) -> None:
    """Put ``work`` where ``dest`` is, keeping ``dest`` if the rename fails."""
    if not dest.exists():
        work.rename(dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    old.rmdir()
    dest.rename(old)
    try:
        work.rename(dest)
    except OSError:
        old.rename(dest)
        raise
    shutil.rmtree(old, ignore_errors=True)
