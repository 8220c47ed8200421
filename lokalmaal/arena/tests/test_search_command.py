"""`lokalmaal search rebuild` puts back what the index lost, and only what may be shown."""

import pytest
from django.core.management import call_command

from conftest import make_user
from lokalmaal.arena.models import Example, SearchEntry
from lokalmaal.discussion import actions as discussion

pytestmark = pytest.mark.django_db


def test_rebuild_restores_what_the_index_lost(published: Example, capsys):
    asker = make_user("spor@volda.kommune.no")
    question = discussion.do_ask(asker, published, "Korleis gjekk dugnaden?", "Vi prøver òg.")
    before = set(SearchEntry.objects.values_list("kind", "key"))
    assert ("question", question.pk) in before
    SearchEntry.objects.all().delete()
    call_command("search", "rebuild")
    assert set(SearchEntry.objects.values_list("kind", "key")) == before
    assert f"{len(before)} entries" in capsys.readouterr().out
