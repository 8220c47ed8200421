"""The deletion page names what it deletes in words, in the reader's language."""

import pytest
from django.utils import translation

from conftest import make_organisation, member_client
from lokalmaal.accounts.models import Role
from lokalmaal.accounts.privacy import relations
from lokalmaal.accounts.privacy_names import NAMES, relation_name

pytestmark = pytest.mark.django_db


def test_every_relation_to_a_person_has_a_name():
    missing = [r.label for r in relations() if r.label not in NAMES]
    assert missing == []


def test_names_are_translated():
    with translation.override("nn"):
        assert relation_name("discussion.digestsent.person") == "Samle-e-postar sende til deg"
        assert relation_name("discussion.notification.recipient") == "Varsel du har fått"
    assert relation_name("unknown.table.field") == "unknown.table.field"


def test_the_deletion_page_lists_rows_in_words():
    client = member_client(make_organisation("1577"), Role.EDITOR, "namn@volda.kommune.no")
    page = client.get("/konto/mine-data/", {"lang": "nn"}).text
    assert "Medlemskapa dine i organisasjonar" in page
    assert '<code class="cell-note">accounts.membership.user</code>' in page
