"""The site's typeface for PDF reports: Inter, from the same npm files the pages load.

The site serves Inter as a variable WOFF2 font (@fontsource-variable/inter); typst reads only
TrueType/OpenType, so the regular, bold and italic instances are cut from the variable font with
fontTools once and kept under the var folder. The Latin Extended subset (Sámi names such as
Guovdageaidnu's “Kárášjohka” need č, š, ŋ, đ, ŧ) becomes a second family, "Inter Ext", which typst
falls back to glyph by glyph.
"""

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

FAMILIES = (("latin", "Inter"), ("latin-ext", "Inter Ext"))
INSTANCES = (("normal", 400, "Regular"), ("normal", 700, "Bold"), ("italic", 400, "Italic"))
_LOCK = threading.Lock()


class FontMissingError(RuntimeError):
    pass


def source_dir() -> Path:
    return Path(settings.NODE_MODULES) / "@fontsource-variable" / "inter" / "files"


def _source(subset: str, style: str) -> Path:
    return source_dir() / f"inter-{subset}-wght-{style}.woff2"


def font_dir() -> Path:
    """A folder with Inter's static instances as TrueType, made on first use."""
    sources = [_source(subset, style) for subset, _f in FAMILIES for style in ("normal", "italic")]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise FontMissingError(f"Inter is missing (run npm ci): {', '.join(missing)}")
    stamp = hashlib.sha256(
        "".join(f"{s.name}:{s.stat().st_size}:{s.stat().st_mtime_ns}" for s in sources).encode()
    ).hexdigest()[:12]
    target = Path(settings.VAR_DIR) / "fonts" / f"inter-{stamp}"
    with _LOCK:
        if not (target / "done").exists():
            _build(target)
    return target


def _build(target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    target.mkdir(parents=True, exist_ok=True)
    for subset, family in FAMILIES:
        for style, weight, name in INSTANCES:
            variable = TTFont(_source(subset, style))
            font = instancer.instantiateVariableFont(variable, {"wght": weight})
            font.flavor = None
            _rename(font, family, name, weight)
            # Written next to the final name and renamed: another process may build at once.
            handle, temporary = tempfile.mkstemp(dir=target, suffix=".tmp")
            os.close(handle)
            font.save(temporary)
            Path(temporary).replace(target / f"{family.replace(' ', '')}-{name}.ttf")
    (target / "done").write_text("ok\n", encoding="utf-8")


def _rename(font: object, family: str, style: str, weight: int) -> None:
    table = font["name"]  # type: ignore[index]
    for name_id in (16, 17, 21, 22, 25):  # typographic names would group both subsets again
        table.removeNames(nameID=name_id)
    for name_id, value in (
        (1, family),
        (2, style),
        (4, f"{family} {style}"),
        (6, f"{family.replace(' ', '')}-{style}"),
    ):
        table.setName(value, name_id, 3, 1, 0x409)
    font["OS/2"].usWeightClass = weight  # type: ignore[index]
