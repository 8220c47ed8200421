"""Names of the roles, service areas, plan levels and relevance levels used to describe what a
target means locally, in bokmål, nynorsk and English. Service areas use KOSTRA's names."""

from lokalmaal.catalogue.local import PLAN_LEVELS, RELEVANCE, ROLES, SERVICE_AREAS

type Labels = dict[str, tuple[str, str, str]]  # key → (nb, nn, en)

ROLE_LABELS: Labels = {
    "tjenesteyter": ("Tjenesteyter", "Tenesteytar", "Service provider"),
    "samfunnsutvikler": ("Samfunnsutvikler", "Samfunnsutviklar", "Community developer"),
    "myndighetsutover": ("Myndighetsutøver", "Myndigheitsutøvar", "Authority"),
    "arbeidsgiver": ("Arbeidsgiver", "Arbeidsgjevar", "Employer"),
    "innkjoper_og_eier": ("Innkjøper og eier", "Innkjøpar og eigar", "Buyer and owner"),
    "demokratisk_arena": ("Demokratisk arena", "Demokratisk arena", "Democratic arena"),
}

SERVICE_AREA_LABELS: Labels = {
    "barnehage": ("Barnehage", "Barnehage", "Kindergartens"),
    "grunnskole": ("Grunnskole", "Grunnskule", "Primary and lower secondary school"),
    "helse_og_omsorg": ("Helse og omsorg", "Helse og omsorg", "Health and care"),
    "sosialtjenester": ("Sosialtjenester", "Sosialtenester", "Social services"),
    "barnevern": ("Barnevern", "Barnevern", "Child welfare"),
    "kommunehelse": ("Kommunehelse", "Kommunehelse", "Municipal health services"),
    "kultur_og_idrett": ("Kultur og idrett", "Kultur og idrett", "Culture and sport"),
    "plan_byggesak_miljo": (
        "Plan, byggesak og miljø",
        "Plan, byggjesak og miljø",
        "Planning, building and environment",
    ),
    "samferdsel": ("Samferdsel", "Samferdsel", "Transport"),
    "vann_avlop_renovasjon": (
        "Vann, avløp og renovasjon",
        "Vatn, avløp og renovasjon",
        "Water, sewage and waste",
    ),
    "brann_og_ulykkesvern": (
        "Brann- og ulykkesvern",
        "Brann- og ulukkesvern",
        "Fire and accident prevention",
    ),
    "naering": ("Næring", "Næring", "Business development"),
    "eiendom": ("Eiendomsforvaltning", "Eigedomsforvaltning", "Property management"),
    "administrasjon_og_styring": (
        "Administrasjon og styring",
        "Administrasjon og styring",
        "Administration and governance",
    ),
    "videregaende_opplaering": (
        "Videregående opplæring",
        "Vidaregåande opplæring",
        "Upper secondary education",
    ),
    "kollektivtransport": ("Kollektivtransport", "Kollektivtransport", "Public transport"),
    "fylkesveg": ("Fylkesveg", "Fylkesveg", "County roads"),
    "regional_utvikling": ("Regional utvikling", "Regional utvikling", "Regional development"),
    "tannhelse": ("Tannhelse", "Tannhelse", "Dental health"),
    "kulturminner": ("Kulturminner", "Kulturminne", "Cultural heritage"),
}

PLAN_LEVEL_LABELS: Labels = {
    "planstrategi": ("Planstrategi", "Planstrategi", "Planning strategy"),
    "samfunnsdel": (
        "Kommuneplanens samfunnsdel",
        "Kommuneplanens samfunnsdel",
        "Community part of the master plan",
    ),
    "arealdel": (
        "Kommuneplanens arealdel",
        "Kommuneplanens arealdel",
        "Land-use part of the master plan",
    ),
    "handlingsdel": (
        "Handlingsdel og økonomiplan",
        "Handlingsdel og økonomiplan",
        "Action programme and financial plan",
    ),
    "sektorplan": ("Temaplan eller sektorplan", "Temaplan eller sektorplan", "Sector plan"),
}

RELEVANCE_LABELS: Labels = {
    "high": ("Høy", "Høg", "High"),
    "medium": ("Middels", "Middels", "Medium"),
    "low": ("Lav", "Låg", "Low"),
    "not_local": ("Ikke lokal", "Ikkje lokal", "Not local"),
}

_INDEX = {"nb": 0, "nn": 1, "en": 2}


def label(labels: Labels, key: str, language: str) -> str:
    return labels[key][_INDEX.get(language, 0)] if key in labels else key


def options(labels: Labels, language: str) -> list[tuple[str, str]]:
    return [(key, label(labels, key, language)) for key in labels]


# The vocabulary must name every key the data files may use.
assert set(ROLE_LABELS) == set(ROLES)
assert set(SERVICE_AREA_LABELS) == set(SERVICE_AREAS)
assert set(PLAN_LEVEL_LABELS) == set(PLAN_LEVELS)
assert set(RELEVANCE_LABELS) == set(RELEVANCE)
