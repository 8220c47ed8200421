"""Status and trend names in bokmål, nynorsk and English, with a symbol so status never relies on
colour alone."""

STATUS = {
    "target_achieved": ("✔", "Målet er nådd", "Målet er nådd", "Target achieved"),
    "substantial_progress": ("▲", "God framgang", "God framgang", "Substantial progress"),
    "moderate_progress": ("△", "Noe framgang", "Noko framgang", "Moderate progress"),
    "limited_progress": ("▽", "Lite framgang", "Lite framgang", "Limited progress"),
    "deterioration": ("▼", "Går feil vei", "Går feil veg", "Deterioration"),
    "insufficient_data": ("–", "For få tall", "For få tal", "Insufficient data"),
    "not_assessed": (
        "○",
        "Ikke vurdert (ingen ønsket retning)",
        "Ikkje vurdert (inga ønskt retning)",
        "Not assessed (no preferred direction)",
    ),
    "outdated": ("!", "For gamle tall", "For gamle tal", "Data too old"),
    "no_data": ("–", "Ingen tall", "Ingen tal", "No data"),
}
TREND = {
    "improving": ("Bedre", "Betre", "Improving"),
    "stable": ("Stabil", "Stabil", "Stable"),
    "worsening": ("Verre", "Verre", "Worsening"),
    "rising": ("Stiger", "Stig", "Rising"),
    "falling": ("Synker", "Søkk", "Falling"),
    "unknown": ("Ukjent", "Ukjend", "Unknown"),
}
_INDEX = {"nb": 0, "nn": 1, "en": 2}


def status_label(status: str, language: str) -> str:
    entry = STATUS.get(status, STATUS["no_data"])
    return entry[1 + _INDEX.get(language, 0)]


def status_symbol(status: str) -> str:
    return STATUS.get(status, STATUS["no_data"])[0]


def trend_label(trend: str, language: str) -> str:
    return TREND.get(trend, TREND["unknown"])[_INDEX.get(language, 0)]
