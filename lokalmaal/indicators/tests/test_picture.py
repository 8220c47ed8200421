"""The dashboard's picture of where a municipality stands: counts per goal and status category,
drawn as a bar and written out as text, agreeing with the dashboard's own rows."""

import re
from collections import Counter

import pytest
from django.test import Client

from lokalmaal.indicators import picture, reads

pytestmark = pytest.mark.django_db


def test_every_goal_gets_counts_that_add_up_to_its_indicators():
    rows = reads.region_indicators("1577", "nn")
    pictures = picture.goal_pictures(rows, reads.goal_names("nn"))
    assert [p.goal for p in pictures] == list(range(1, 18))
    per_goal = Counter(r.goal for r in rows)
    for p in pictures:
        assert p.total == per_goal.get(p.goal, 0)
        assert sum(s.count for s in p.segments) == p.total
        if p.segments:
            last = p.segments[-1]
            assert last.x + last.width == pytest.approx(100, abs=0.05)
    assert pictures[12].name == "Stoppe klimaendringane"
    worsening = sum(1 for r in rows if r.status == "deterioration")
    assert worsening == sum(
        s.count for p in pictures for s in p.segments if s.category == "worsening"
    )


def test_statuses_fall_into_the_pictures_categories_in_order():
    assert set(picture.CATEGORY_OF_STATUS.values()) == set(picture.CATEGORIES)
    row = reads.region_indicators("4601", "nb")[0]
    rows = [
        row.model_copy(update={"goal": 3, "status": status})
        for status in ("no_data", "deterioration", "target_achieved", "target_achieved")
    ]
    goal_3 = picture.goal_pictures(rows, {})[2]
    assert [(s.category, s.count, s.x, s.width) for s in goal_3.segments] == [
        ("on_track", 2, 0.0, 50.0),
        ("worsening", 1, 50.0, 25.0),
        ("missing", 1, 75.0, 25.0),
    ]


def test_the_dashboard_opens_with_the_picture_and_its_text_equivalent(client: Client):
    page = client.get("/kommuner/1577/berekraft/", {"lang": "nn"}).text
    picture_html = page[page.index('class="goal-picture"') : page.index("</section>")]
    assert "Kvar Volda står, mål for mål" in picture_html
    assert picture_html.count('class="goal-picture__goal goal-') == 17
    assert 'aria-hidden="true" focusable="false"' in picture_html  # the bar is decoration
    counts = re.findall(r'<p class="goal-picture__counts">([^<]+)</p>', picture_html)
    assert len(counts) == 17
    assert any("Ingen tal:" in text for text in counts)
    assert page.index('class="goal-picture"') < page.index('id="goal-1"')


def test_each_indicator_row_with_two_years_or_more_gets_a_sparkline(client: Client):
    from lokalmaal.web.svg import sparkline

    assert sparkline({2020: 1.0}) == ""
    assert sparkline({2020: 1.0, 2022: 3.0, 2021: 2.0}) == "2.0,16.0 32.0,9.0 62.0,2.0"
    page = client.get("/kommuner/4601/berekraft/", {"lang": "nb"}).text
    histories = reads.region_histories("4601")
    with_years = sum(
        1 for r in reads.region_indicators("4601", "nb")
        if r.value is not None and len(histories.get(r.indicator, {})) >= 2
    )  # fmt: skip
    assert with_years > 5
    assert page.count('<svg class="sparkline"') == with_years
