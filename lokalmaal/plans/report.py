"""`lokalmaal plan analyse FILE`: one document analysed on the command line, as JSON or Markdown.

The same extraction (in a limited child process), classifier and analysis as the web pages; the
database is only read for goal and target titles, and not needed at all.
"""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from lokalmaal.plans.export import degraded_note
from lokalmaal.plans.extract import Document, extract_file_limited
from lokalmaal.plans.reads import AnalysisOut, PassageOut, build_analysis, titles
from lokalmaal.plans.tasks import classify_document


def analyse_file(path: Path, language: str) -> tuple[Document, AnalysisOut]:
    """Raises extract.ExtractionError with a message for people when the file cannot be read."""
    document = extract_file_limited(path)
    analysis = build_analysis(classify_document(document), titles(language), target_limit=None)
    return document, analysis


def to_json(path: Path, document: Document, analysis: AnalysisOut) -> str:
    about = {
        "file": path.name,
        "title": document.title,
        "kind": document.kind,
        "page_count": document.page_count,
    }
    return json.dumps({**about, **analysis.model_dump()}, ensure_ascii=False, indent=2)


def _where(passage: PassageOut) -> str:
    parts = [_("page %(page)s") % {"page": passage.page}] if passage.page is not None else []
    if passage.section:
        parts.append(" ".join(passage.section.split()))
    parts.append(_("passage %(number)s") % {"number": passage.number})
    return " · ".join(parts)


def _quoted(passage: PassageOut) -> str:
    """The passage with the matched words in bold."""
    text = "".join(
        f"**{s.text}**" if s.target and s.text.strip() else s.text for s in passage.segments
    )
    return " ".join(text.split())


def to_markdown(path: Path, document: Document, analysis: AnalysisOut) -> str:
    lines = [f"# {document.title or path.name}", ""]
    if document.page_count:
        lines.append(f"- {_('Pages')}: {document.page_count}")
    lines += [f"- {_('Passages analysed')}: {analysis.body_passages}", ""]
    if analysis.not_embedded:
        lines += [f"> {degraded_note(analysis)}", ""]
    lines += [f"## {_('Coverage of the 17 goals')}", ""]
    lines += [f"| {_('Goal')} | {_('Passages')} | {_('Share')} | {_('Score')} | {_('Pages')} |"]
    lines += ["| --- | ---: | ---: | ---: | --- |"]
    for row in analysis.coverage:
        name = f"{row.goal} {row.title}".strip()
        lines.append(
            f"| {name} | {row.passages} | {row.percent:.1f} % | {row.score:g} | {row.pages_text} |"
        )
    lines += ["", f"## {_('Strongest targets')}", ""]
    for t in analysis.targets[:15]:
        where = f"; {_('Pages').lower()} {', '.join(str(p) for p in t.pages)}" if t.pages else ""
        lines.append(f"- **{t.code}** {t.title} ({_('Score').lower()} {t.score:g}{where})")
    if not analysis.targets:
        lines.append(_("No target was found in the text."))
    lines += ["", f"## {_('Evidence')}", ""]
    for passage in analysis.evidence:
        goals = ", ".join(str(g) for g in passage.goals)
        lines += [f"### {_where(passage)} → {goals}", "", f"> {_quoted(passage)}", ""]
        lines += [
            f"- “{m.matched}” → {m.target} {m.target_title}".rstrip() for m in passage.evidence
        ]
        lines.append("")
    lines += [f"## {_('Passages that address no goal')}", ""]
    lines += [f"- {_where(p)}: {' '.join(p.text.split())[:200]}" for p in analysis.silent]
    if not analysis.silent:
        lines.append(_("Every passage addresses at least one goal."))
    return "\n".join(lines) + "\n"


def analyse_command(path: Path, fmt: str, language: str) -> str:
    """The command's output; CommandError (exit status 1) with the reason for a bad file."""
    from django.core.management.base import CommandError
    from django.utils import translation

    from lokalmaal.plans.extract import ExtractionError

    with translation.override(language):
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            document, analysis = analyse_file(path, language)
        except ExtractionError as error:
            raise CommandError(f"{path.name}: {error}") from None
        if fmt == "json":
            return to_json(path, document, analysis)
        return to_markdown(path, document, analysis)
