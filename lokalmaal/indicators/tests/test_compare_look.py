"""The comparison: columns in the order chosen, municipalities that share a name told apart by
their county, and a bar chart per indicator with the table's figures."""

import re

import pytest
from django.test import Client

from lokalmaal.regions.reads import municipality_choices
from lokalmaal.web.svg import bar_chart

pytestmark = pytest.mark.django_db


def test_columns_follow_the_order_chosen_and_twins_carry_their_county(client: Client):
    page = client.get("/samanlikn/", {"k": ["1818", "4601", "1515", "4601"], "lang": "nn"}).text
    headers = re.findall(r'<th scope="col" class="numeric">([^<]+)</th>', page)
    assert headers == ["Herøy (Nordland)", "Bergen", "Herøy (Møre og Romsdal)"]
    assert '<option value="1818" selected>Herøy (Nordland)</option>' in page


def test_drop_downs_tell_herøy_and_våler_apart_and_leave_unique_names_alone(db):
    names = {choice.code: choice.name for choice in municipality_choices()}
    assert names["1515"] == "Herøy (Møre og Romsdal)"
    assert names["1818"] == "Herøy (Nordland)"
    assert len({names[code] for code in names if names[code].startswith("Våler")}) == 2
    assert names["4601"] == "Bergen"
    assert len(set(names.values())) == len(names)


def test_each_indicator_gets_a_chart_whose_text_gives_the_same_figures(client: Client):
    page = client.get("/samanlikn/", {"k": ["4601", "1577"], "lang": "nb"}).text
    charts = re.findall(r"<title id=\"chart-valgdeltakelse-stortingsvalg-title\">([^<]+)", page)
    assert len(charts) == 1
    assert re.search(r"Bergen \d+,\d; Volda \d+,\d", charts[0])
    assert page.count('class="compare-bar"') >= 2 * 10


def test_bars_start_at_zero_and_negative_values_go_left():
    chart = bar_chart([("A", 10.0), ("B", -5.0), ("C", None)], ["10", "−5", "–"])
    assert chart is not None
    a, b, c = chart.bars
    assert a.x == chart.zero_x
    assert a.width > 0
    assert b.x + b.width == pytest.approx(chart.zero_x, abs=0.1)
    assert a.width == pytest.approx(2 * b.width, abs=0.2)
    assert (c.width, c.value_text) == (0, "–")
    assert bar_chart([("A", None)], ["–"]) is None
