"""/api/v1/examples/ and /api/v1/search/: the JSON twins of the example and search pages, served
by the same read functions, so a caller sees what the page shows the same person (anonymous
callers: public items only)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lokalmaal.catalogue.vocabulary import SERVICE_AREA_LABELS
from lokalmaal.web.params import GoalNumber

from . import reads, search
from .access import access_example

type Language = Literal["nb", "nn", "en"]

examples_router = Router(tags=["practice examples"])
search_router = Router(tags=["search"])


class Filters(Schema):
    q: str = ""
    goal: GoalNumber | None = None
    target: str | None = None
    county: str | None = None
    size: str | None = None  # the lowest population of a size class: 0, 2000, 5000, 10000…
    service_area: str | None = None

    def as_arguments(self) -> search.SearchFilters:
        return {
            "goal": self.goal,
            "target": self.target or None,
            "county": self.county or None,
            "size_class": self.size if self.size in search.size_class_keys() else None,
            "service_area": self.service_area if self.service_area in SERVICE_AREA_LABELS else None,
        }


@examples_router.get(
    "/",
    response=list[reads.ExampleSummary],
    summary="Published practice examples the caller may read, searched (q) and filtered",
)
def example_list(
    request: HttpRequest, filters: Query[Filters], lang: Language = "nb"
) -> list[reads.ExampleSummary]:
    return reads.list_examples(
        request.user, lang, query=filters.q.strip()[:200], **filters.as_arguments()
    )


@examples_router.get(
    "/{example_id}/",
    response=reads.ExampleDetail,
    summary="One practice example; contact details only where the page shows them",
)
def example(request: HttpRequest, example_id: int, lang: Language = "nb") -> reads.ExampleDetail:
    return reads.get_example(access_example(request.user, example_id), request.user, lang)


@search_router.get(
    "/",
    response=list[search.SearchHit],
    summary="Full-text search in Norwegian across examples, questions and events",
)
def search_all(request: HttpRequest, filters: Query[Filters]) -> list[search.SearchHit]:
    return search.search(filters.q.strip()[:200], person=request.user, **filters.as_arguments())
