"""Numbers as the report prints them, the same in HTML, PDF and Word."""

NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "–"


def decimals_for(value: float) -> int:
    """Large figures without decimals, small ones with one or two."""
    size = abs(value)
    if size >= 100:
        return 0
    if size >= 1 or size == 0:
        return 1
    return 2


def number(value: float | int | None, language: str, decimals: int | None = None) -> str:
    """1234.5 → "1 234,5" in bokmål and nynorsk (non-breaking space, decimal comma), "1,234.5" in
    English; None → "–"."""
    if value is None:
        return DASH
    places = decimals_for(float(value)) if decimals is None else decimals
    text = f"{value:,.{places}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")  # no "-0,0"
    if language != "en":
        text = text.replace(",", NBSP).replace(".", ",")
    return text.replace("-", MINUS)


def percent(value: float | None, language: str) -> str:
    return DASH if value is None else f"{number(value, language, 1)}{NBSP}%"
