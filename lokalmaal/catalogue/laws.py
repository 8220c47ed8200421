"""Norwegian laws and regulations by their short names, in the reader's written standard.

The catalogue records each target's legal basis once, by its bokmål short name
("forurensningsloven"); a nynorsk page names it as nynorsk does ("forureiningslova"). Laws with
an official nynorsk short name use it (NYNORSK); the rest follow nynorsk's forms: the definite
ending -lova/-forskrifta and the stems below.
"""

import re

NYNORSK = {
    "anskaffelsesloven": "anskaffingslova",
    "anskaffelsesforskriften": "anskaffingsforskrifta",
    "åpenhetsloven": "openheitslova",
    "havne- og farvannsloven": "hamne- og farvasslova",
    "folkebibliotekloven": "folkebibliotekslova",
    "boligsosialloven": "bustadsosiallova",
    "lov om kommunenes ansvar på det boligsosiale feltet (boligsosialloven)": (
        "lov om ansvaret til kommunane på det bustadsosiale feltet (bustadsosiallova)"
    ),
    "statlige planretningslinjer for klima- og energiplanlegging og klimatilpasning": (
        "statlege planretningsliner for klima- og energiplanlegging og klimatilpassing"
    ),
}
# Word stems that differ, applied inside names ("helse- og omsorgstjenesteloven").
_STEMS = [
    ("forurensning", "forureining"),
    ("tjenesten", "tenesta"),
    ("tjeneste", "teneste"),
    ("mangfold", "mangfald"),
    ("vannressurs", "vassressurs"),
    ("drikkevanns", "drikkevass"),
    ("vannforskrift", "vassforskrift"),
    ("statlige", "statlege"),
    ("retningslinjer", "retningsliner"),
    ("kommunens", "kommunen sitt"),
    ("helsefremmende", "helsefremjande"),
    ("forebyggende", "førebyggjande"),
    ("skoler", "skular"),
    ("skole", "skule"),
    ("barnehager", "barnehagar"),
    ("deltaker", "deltakar"),
    ("offentlige", "offentlege"),
    ("fra ", "frå "),
]
_DEFINITE = [(re.compile(r"loven\b"), "lova"), (re.compile(r"forskriften\b"), "forskrifta")]


def law_name(name: str, language: str) -> str:
    """`name` (bokmål, as recorded) in `language`: nynorsk for "nn", as recorded otherwise."""
    if language != "nn":
        return name
    head, sep, rest = name.partition(" §")
    if head in NYNORSK:
        return NYNORSK[head] + sep + rest
    for bokmaal, nynorsk in _STEMS:
        head = head.replace(bokmaal, nynorsk)
    for pattern, ending in _DEFINITE:
        head = pattern.sub(ending, head)
    return head + sep + rest
