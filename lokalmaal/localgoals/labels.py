"""Names of plan types and statuses in bokmål and nynorsk for exports, which are written in the
goal set's own language whatever language the person exporting uses."""

PLAN_TYPES = {
    "planstrategi": ("Kommunal planstrategi", "Kommunal planstrategi"),
    "samfunnsdel": ("Kommuneplanens samfunnsdel", "Kommuneplanens samfunnsdel"),
    "arealdel": ("Kommuneplanens arealdel", "Kommuneplanens arealdel"),
    "handlingsdel": ("Handlingsdel og økonomiplan", "Handlingsdel og økonomiplan"),
    "sektorplan": ("Temaplan eller sektorplan", "Temaplan eller sektorplan"),
    "regional_plan": ("Regional plan", "Regional plan"),
}
STATUSES = {
    "draft": ("Utkast", "Utkast"),
    "consultation": ("På høring", "På høyring"),
    "adopted": ("Vedtatt", "Vedteke"),
    "revised": ("Under revisjon", "Under revisjon"),
}


def _pick(names: tuple[str, str], language: str) -> str:
    return names[1] if language == "nn" else names[0]


def plan_type_label(key: str, language: str) -> str:
    return _pick(PLAN_TYPES[key], language) if key in PLAN_TYPES else key


def status_label(key: str, language: str) -> str:
    return _pick(STATUSES[key], language) if key in STATUSES else key
