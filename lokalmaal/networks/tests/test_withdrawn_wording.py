"""Someone who withdrew from an event is "Meldt av" in Norwegian, never "Avlyst" (which says the
event itself was cancelled), on the participant page and in its CSV."""

import csv
import io

from conftest import make_user
from lokalmaal.networks.actions import do_cancel_registration, do_register
from lokalmaal.networks.tests.conftest import client_for, make_event


def test_a_withdrawn_participant_is_meldt_av_not_avlyst(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen)
    person = make_user("trekt@example.no")
    do_register(event, person)
    do_cancel_registration(event, person)
    client = client_for(coordinator)
    for language in ("nb", "nn"):
        response = client.get(f"/arrangement/{event.pk}/deltakarar.csv", {"lang": language})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row[3] for row in rows[1:]] == ["Meldt av"]
        page = client.get(f"/arrangement/{event.pk}/deltakarar/", {"lang": language}).text
        assert "Meldt av" in page
        assert "Avlyst" not in page


def test_an_event_programme_keeps_its_line_breaks(coordinator, bergen):
    event = make_event(coordinator, organisation=bergen)
    event.programme = "09:00 Velkomst\n09:15 Klimatilpassing i Bergen\n10:00 Pause"
    event.save()
    page = client_for(coordinator).get(f"/arrangement/{event.pk}/").text
    assert "09:00 Velkomst<br>\n09:15 Klimatilpassing i Bergen<br>\n10:00 Pause" in page
