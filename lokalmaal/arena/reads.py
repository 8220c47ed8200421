"""Reads shared by the arena's pages and their /api/v1/ twins.

Example lists come from the search index (which holds only published examples, each marked
public or members-only), so the list, its filters and the search page agree on what is shown.
"""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from ninja import Schema

from lokalmaal.accounts.permissions import Person
from lokalmaal.catalogue.vocabulary import PLAN_LEVEL_LABELS, SERVICE_AREA_LABELS, label
from lokalmaal.indicators.models import IndicatorValue

from . import search
from .access import may_see_contact
from .actions import EXAMPLE_KIND
from .models import SECTIONS, Example, ModerationEntry, Report, ReportStatus, Status

LIST_LIMIT = 200


class OrganisationRef(Schema):
    id: int
    name: str
    url: str


class TargetRef(Schema):
    code: str
    title: str
    url: str


class Labelled(Schema):
    key: str
    label: str


class ExampleSummary(Schema):
    id: int
    title: str
    summary: str
    url: str
    language: str
    visibility: str
    status: str
    organisations: list[OrganisationRef]
    targets: list[TargetRef]
    service_areas: list[Labelled]
    published_at: datetime.datetime | None


class Section(Schema):
    key: str
    heading: str
    text: str  # Markdown as written; pages render it with lokalmaal.lib.markup.render_markdown


class Contact(Schema):
    name: str
    role: str
    email: str
    phone: str


class AttachmentOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    size: int
    url: str


class IndicatorFigure(Schema):
    region: str
    year: int
    value: float


class IndicatorRef(Schema):
    id: str
    name: str
    unit: str
    url: str
    latest: list[IndicatorFigure]  # the latest figure for each organisation's own region


class ExampleDetail(ExampleSummary):
    sections: list[Section]
    plan_levels: list[Labelled]
    indicators: list[IndicatorRef]
    contact: Contact | None  # None when there is none, or it is for logged-in members only
    contact_for_members_only: bool
    attachments: list[AttachmentOut]
    moderator_comment: str
    updated_at: datetime.datetime


def _summary(example: Example, language: str) -> ExampleSummary:
    return ExampleSummary(
        id=example.pk,
        title=example.title,
        summary=example.summary,
        url=example.get_absolute_url(),
        language=example.language,
        visibility=example.visibility,
        status=example.status,
        organisations=[
            OrganisationRef(
                id=o.pk, name=o.name, url=reverse("accounts:organisation", args=[o.slug])
            )
            for o in example.organisations.all()
        ],
        targets=[
            TargetRef(
                code=t.code,
                title=t.title_in(language),
                url=reverse("catalogue:target", args=[t.code]),
            )
            for t in example.targets.all()
        ],
        service_areas=[
            Labelled(key=key, label=label(SERVICE_AREA_LABELS, key, language))
            for key in example.service_areas
        ],
        published_at=example.published_at,
    )


def _with_relations(examples: QuerySet[Example]) -> QuerySet[Example]:
    return examples.prefetch_related("organisations", "targets")


def list_examples(
    person: Person,
    language: str,
    *,
    query: str = "",
    goal: int | None = None,
    target: str | None = None,
    county: str | None = None,
    size_class: str | None = None,
    service_area: str | None = None,
) -> list[ExampleSummary]:
    """Published examples `person` may read, ranked by `query` or newest first."""
    hits = search.search(
        query,
        person=person,
        goal=goal,
        target=target,
        county=county,
        size_class=size_class,
        service_area=service_area,
        kinds={EXAMPLE_KIND},
        limit=LIST_LIMIT,
    )
    order = [hit.key for hit in hits]
    found = _with_relations(Example.objects.filter(pk__in=order, status=Status.PUBLISHED))
    by_id = {example.pk: example for example in found}
    return [_summary(by_id[key], language) for key in order if key in by_id]


def summaries(examples: QuerySet[Example], language: str) -> list[ExampleSummary]:
    return [_summary(example, language) for example in _with_relations(examples)]


def _indicators(example: Example, language: str) -> list[IndicatorRef]:
    indicators = list(example.indicators.all())
    regions = [o.region for o in example.organisations.all() if o.region is not None]
    latest: dict[tuple[str, int], IndicatorValue] = {}
    values = IndicatorValue.objects.filter(
        indicator__in=indicators, region__in=regions, value__isnull=False
    ).order_by("year")
    for value in values:
        latest[(value.indicator_id, value.region_id)] = value  # by year: the last one wins
    return [
        IndicatorRef(
            id=indicator.id,
            name=indicator.text("name", language),
            unit=indicator.text("unit", language),
            url=reverse("indicators:detail", args=[indicator.id]),
            latest=[
                IndicatorFigure(region=region.name, year=figure.year, value=figure.value or 0.0)
                for region in regions
                if (figure := latest.get((indicator.id, region.pk))) is not None
            ],
        )
        for indicator in indicators
    ]


def get_example(example: Example, person: Person, language: str) -> ExampleDetail:
    """The example as `person` may see it (fetch it with access.access_example first)."""
    has_contact = any(
        (example.contact_name, example.contact_email, example.contact_phone, example.contact_role)
    )
    show_contact = has_contact and may_see_contact(person, example)
    return ExampleDetail(
        **dict(_summary(example, language)),
        sections=[
            Section(key=name, heading=str(heading), text=getattr(example, name))
            for name, heading in SECTIONS
            if getattr(example, name).strip()
        ],
        plan_levels=[
            Labelled(key=key, label=label(PLAN_LEVEL_LABELS, key, language))
            for key in example.plan_levels
        ],
        indicators=_indicators(example, language),
        contact=Contact(
            name=example.contact_name,
            role=example.contact_role,
            email=example.contact_email,
            phone=example.contact_phone,
        )
        if show_contact
        else None,
        contact_for_members_only=has_contact and not show_contact,
        attachments=[
            AttachmentOut(
                id=a.pk,
                name=a.name,
                description=a.description,
                kind=a.kind,
                size=a.size,
                url=reverse("arena:attachment", args=[example.pk, a.pk]),
            )
            for a in example.attachments.defer("content")
        ],
        moderator_comment=example.moderator_comment,
        updated_at=example.updated_at,
    )


# Moderation


def submitted_examples() -> QuerySet[Example]:
    return _with_relations(Example.objects.filter(status=Status.SUBMITTED)).order_by(
        "submitted_at", "pk"
    )


def open_reports() -> QuerySet[Report]:
    return Report.objects.filter(status=ReportStatus.OPEN).select_related("reporter")


def audit_log(limit: int = 500) -> QuerySet[ModerationEntry]:
    return ModerationEntry.objects.select_related("actor")[:limit]
