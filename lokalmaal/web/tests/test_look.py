"""The shared look: Designsystemet's typeface served from here, form widgets with its classes, the
favicon, and a menu that folds on phones without hiding log-in and sign-up."""

from pathlib import Path

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_typeface_is_served_from_the_platform_itself(client: Client):
    page = client.get("/?lang=nb").text
    assert 'href="/static/web/fonts.css"' in page
    fonts = finders.find("web/fonts.css")
    assert fonts is not None
    css = Path(fonts).read_text(encoding="utf-8")
    assert "font-family: Inter;" in css  # the name Designsystemet's --ds-font-family asks for
    for url in ("inter-latin-wght-normal.woff2", "inter-latin-ext-wght-normal.woff2"):
        assert url in css
        assert finders.find(f"vendor/inter/files/{url}") is not None


def test_every_page_names_the_favicon_and_favicon_ico_leads_to_it(client: Client):
    assert 'rel="icon" href="/static/web/favicon.svg"' in client.get("/?lang=nb").text
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/web/favicon.svg"
    assert finders.find("web/favicon.svg") is not None


def test_log_in_and_sign_up_stay_outside_the_folding_menu(client: Client):
    page = client.get("/?lang=nn").text
    quick = page[page.index('class="site-header__quick"') : page.index('id="site-menu"')]
    assert 'href="/konto/login/"' in quick
    assert 'href="/konto/signup/"' in quick
    assert "Registrer deg" in quick
    assert 'aria-controls="site-menu"' in quick
    assert 'src="/static/web/menu.js" defer' in page


def test_the_comparison_is_in_the_menu(client: Client):
    menu = client.get("/?lang=nn").text.split('id="site-menu"')[1]
    assert 'href="/samanlikn/"' in menu
    assert "Samanlikn kommunar" in menu


class _Example(forms.Form):
    name = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea(attrs={"class": "wide"}))
    county = forms.ChoiceField(choices=[("46", "Vestland")])
    agree = forms.BooleanField()
    file = forms.FileField()
    secret = forms.CharField(widget=forms.HiddenInput)


def test_form_widgets_get_designsystemets_input_class():
    html = str(_Example())
    assert 'type="text" name="name" class="ds-input"' in html
    assert 'class="ds-input wide"' in html  # a widget's own class is kept
    assert '<select name="county" class="ds-input"' in html
    assert 'type="checkbox" name="agree" class="ds-input"' in html
    assert '<option value="46" class' not in html
    assert 'type="file" name="file" class' not in html
    assert 'type="hidden" name="secret" class' not in html


def test_allauth_pages_use_designsystemet_fields_and_buttons(client: Client):
    page = client.get("/konto/login/?lang=nb").text
    assert '<div class="ds-field">' in page
    assert 'class="ds-input"' in page
    assert 'class="ds-button" data-variant="primary"' in page


def test_figures_follow_one_decimal_rule_per_unit_with_a_decimal_comma():
    from django.utils import translation

    from lokalmaal.web.templatetags.lokalmaal import figure

    with translation.override("nn"):
        assert figure(0.0, "1 = i ROBEK") == "0"
        assert figure(12553.8, "kroner per innbyggjar") == "12\u00a0554"
        assert figure(82.456, "prosent") == "82,5"
        assert figure(1234.6, "tonn CO2-ekvivalentar") == "1\u00a0235"
        assert figure(2.04, "tonn CO2-ekvivalentar per innbyggjar") == "2,0"
    with translation.override("en"):
        assert figure(82.456, "per cent") == "82.5"


def test_map_legends_and_chart_labels_write_numbers_as_the_tables_do(client: Client):
    page = client.get("/indikatorar/valgdeltakelse-stortingsvalg/", {"lang": "nb"}).text
    legend = page[page.index('<ul class="legend">', page.index("map__class-1")) :]
    legend = legend[: legend.index("</ul>")]
    assert "," in legend
    assert "." not in legend.replace("</", "").replace("class=", "")
