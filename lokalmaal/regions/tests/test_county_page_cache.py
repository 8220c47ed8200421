"""A county's page is served from the page cache, yet shows a goal set as soon as it is published:
its alignment section is keyed by a fingerprint of the published sets and priorities."""

import pytest

from conftest import make_organisation
from lokalmaal.reports.tests.test_reports import county_organisation, goal_set

pytestmark = pytest.mark.django_db


def _alignment(page: bytes) -> str:
    text = page.decode()
    return (
        text.split('id="alignment"')[1].split("</section>")[0] if 'id="alignment"' in text else ""
    )


def test_a_cached_county_page_shows_a_goal_set_once_it_is_published(
    client, django_assert_max_num_queries
):
    assert "Bergen" not in _alignment(client.get("/fylker/46/").content)
    with django_assert_max_num_queries(4):  # the fingerprint; the page itself from the cache
        assert client.get("/fylker/46/").status_code == 200
    goal_set(county_organisation("46"), ["11.6"])
    goal_set(make_organisation("4601"), ["11.6"], published=False)
    assert "Bergen" not in _alignment(client.get("/fylker/46/").content)
    workspace = goal_set(make_organisation("4621"), ["11.6"])  # Voss publishes
    assert "Voss" in _alignment(client.get("/fylker/46/").content)
    workspace.published = False
    workspace.save()
    assert "Voss" not in _alignment(client.get("/fylker/46/").content)
