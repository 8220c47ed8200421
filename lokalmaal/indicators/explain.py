"""The sentence that explains a status, in bokmål, nynorsk or English. Pure functions over an
`analysis.Progress`; `analysis` keeps its own English sentence for the method's tests.

Numbers follow the reader's language: a decimal comma and a no-break space between thousands in
Norwegian, a decimal point in English.
"""

from lokalmaal.indicators.analysis import GROWTH_DIGITS, MINUS, NBSP, RATIO_DIGITS, Progress
from lokalmaal.indicators.analysis import format_number as _english_number

# Every sentence as (bokmål, nynorsk, English).
_TEXT = {
    "none": (
        "Det finnes ingen tall, så utviklingen kan ikke vurderes.",
        "Det finst ingen tal, så utviklinga kan ikkje vurderast.",
        "There are no values, so progress cannot be assessed.",
    ),
    "one": (
        "Det finnes bare tall for {period}, så utviklingen kan ikke vurderes.",
        "Det finst berre tal for {period}, så utviklinga kan ikkje vurderast.",
        "There is only one period with data ({period}), so progress cannot be assessed.",
    ),
    "outdated": (
        "Det nyeste tallet er fra {period}, mer enn {years} år gammelt, så det gis ingen "
        "vurdering av utviklingen.",
        "Det nyaste talet er frå {period}, meir enn {years} år gammalt, så det vert ikkje gitt "
        "nokon vurdering av utviklinga.",
        "The newest figure is from {period}, more than {years} years old, so no progress "
        "verdict is given.",
    ),
    "rose": (
        "Fra {start} til {end} økte verdien fra {a} til {b}",
        "Frå {start} til {end} auka verdien frå {a} til {b}",
        "From {start} to {end} the value rose from {a} to {b}",
    ),
    "fell": (
        "Fra {start} til {end} sank verdien fra {a} til {b}",
        "Frå {start} til {end} sokk verdien frå {a} til {b}",
        "From {start} to {end} the value fell from {a} to {b}",
    ),
    "stayed": (
        "Fra {start} til {end} lå verdien fast på {a}",
        "Frå {start} til {end} låg verdien fast på {a}",
        "From {start} to {end} the value stayed at {a}",
    ),
    "pace": (" ({rate} per år)", " ({rate} per år)", " ({rate} a year)"),
    "neutral": (
        "indikatoren har ingen ønsket retning, så det gis ingen status",
        "indikatoren har inga ønskt retning, så det vert ikkje gitt nokon status",
        "the indicator has no preferred direction, so no progress status is given",
    ),
    "achieved": (
        "målet for {year} på {target} er nådd",
        "målet for {year} på {target} er nådd",
        "it has reached the {year} target of {target}",
    ),
    "no_target": (
        "uten et mål å sammenligne med regnes dette tempoet som «{label}»",
        "utan eit mål å samanlikne med vert dette tempoet rekna som «{label}»",
        "with no target to compare with, this pace counts as {label}",
    ),
    "moved_away": (
        "målet for {year} på {target} er lik verdien i {base}, og verdien har beveget seg bort "
        "fra det: {label}",
        "målet for {year} på {target} er likt verdien i {base}, og verdien har flytt seg bort "
        "frå det: {label}",
        "the {year} target of {target} equals the {base} value, and the value has moved away: "
        "{label}",
    ),
    "away": (
        "for å nå målet for {year} på {target} trengs {need} per år, men verdien beveger seg "
        "bort fra det: {label}",
        "for å nå målet for {year} på {target} trengst {need} per år, men verdien flyttar seg "
        "bort frå det: {label}",
        "reaching the {year} target of {target} needs {need} a year, but the value is moving "
        "away from it: {label}",
    ),
    "share": (
        "for å nå målet for {year} på {target} trengs {need} per år, så tempoet er {share} av "
        "det som trengs: {label}",
        "for å nå målet for {year} på {target} trengst {need} per år, så tempoet er {share} av "
        "det som trengst: {label}",
        "reaching the {year} target of {target} needs {need} a year, so the pace is {share} of "
        "what is needed: {label}",
    ),
}
_TEXT["inherited"] = (
    "{name} hadde ikke eget tall for {period}: dette er tallet for tidligere {former}, som "
    "{name} var en del av.",
    "{name} hadde ikkje eige tal for {period}: dette er talet for tidlegare {former}, som "
    "{name} var ein del av.",
    "{name} had no figure of its own for {period}: this is the figure for the former {former}, "
    "which {name} was part of.",
)
_TEXT["split"] = (
    "Tallet omfatter en andel av en kommune som ble delt, fordelt etter folketall.",
    "Talet omfattar ein del av ein kommune som vart delt, fordelt etter folketal.",
    "Includes a share of a municipality that was split, apportioned by population.",
)
_INDEX = {"nb": 0, "nn": 1, "en": 2}


def _say(key: str, language: str, **values: object) -> str:
    return _TEXT[key][_INDEX.get(language, 0)].format(**values)


def format_number(value: float, language: str) -> str:
    """Four significant digits, as `analysis.format_number`, with a decimal comma in Norwegian."""
    text = _english_number(value)
    return text if language == "en" else text.replace(".", ",")


def _percent(rate: float, language: str) -> str:
    shown = round(rate, GROWTH_DIGITS)
    sign = MINUS if shown < 0 else "+" if shown > 0 else ""
    number = f"{abs(shown) * 100:.1f}"
    if language != "en":
        number = number.replace(".", ",")
    return f"{sign}{number}{NBSP}%" if language != "en" else f"{sign}{number}%"


def explain(
    progress: Progress,
    direction: str,
    target: float | None,
    status_label: str,
    language: str,
    target_year: int = 2030,
    periods: dict[int, str] | None = None,
) -> str:
    """Why the status is what it is. `periods` names multi-year averages ({2012: "2008–2012"})."""
    p, periods = progress, periods or {}
    if p.latest_year is None:
        return _say("none", language)
    if p.base_year is None:
        return _say("one", language, period=periods.get(p.latest_year, p.latest_year))
    assert p.base_value is not None
    assert p.latest_value is not None
    assert p.observed_growth is not None
    span = {
        "start": periods.get(p.base_year, p.base_year),
        "end": periods.get(p.latest_year, p.latest_year),
        "a": format_number(p.base_value, language),
        "b": format_number(p.latest_value, language),
    }
    moved = "stayed" if p.latest_value == p.base_value else "rose"
    if p.latest_value < p.base_value:
        moved = "fell"
    change = _say(moved, language, **span)
    change += _say("pace", language, rate=_percent(p.observed_growth, language))
    return f"{change}; {_judgement(p, direction, target, status_label, language, target_year)}."


def outdated(period: str, years: int, language: str) -> str:
    return _say("outdated", language, period=period, years=years)


def estimate_note(name: str, period: str, inherited_from: str, language: str) -> str:
    """Why an estimated figure is estimated: inherited whole from a former municipality
    ("1507 Ålesund"), or partly apportioned from one."""
    if inherited_from:
        former = inherited_from.split(" ", 1)[-1] + f" ({inherited_from.split(' ', 1)[0]})"
        return _say("inherited", language, name=name, period=period, former=former)
    return _say("split", language)


def _judgement(
    p: Progress,
    direction: str,
    target: float | None,
    label: str,
    language: str,
    target_year: int,
) -> str:
    label = label[:1].lower() + label[1:]
    if direction == "neutral":
        return _say("neutral", language)
    goal = {"year": target_year, "target": format_number(target or 0.0, language), "label": label}
    if target is not None and p.status == "target_achieved":
        return _say("achieved", language, **goal)
    if target is None or p.required_growth is None:
        return _say("no_target", language, label=label)
    if p.ratio is None:
        return _say("moved_away", language, base=p.base_year, **goal)
    need = _percent(p.required_growth, language)
    shown = round(p.ratio, RATIO_DIGITS)
    if shown < 0:
        return _say("away", language, need=need, **goal)
    share = f"{shown * 100:.0f}{NBSP}%" if language != "en" else f"{shown * 100:.0f}%"
    return _say("share", language, need=need, share=share, **goal)
