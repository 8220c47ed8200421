"""`data update` against recorded answers in PxWebApi v2's JSON-stat2 format: no network."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lokalmaal.indicators.models import Indicator, IndicatorValue
from lokalmaal.indicators.update import update
from lokalmaal.stats.pxweb import PxWebV2Client
from lokalmaal.stats.transport import Response

pytestmark = pytest.mark.django_db
FIXTURE = (
    Path(__file__).parents[2] / "stats" / "tests" / "fixtures" / "pxweb_v2_data_07459_excerpt.json"
)


class RecordedSSB:
    """Serves the recorded table for /metadata (without values) and /data."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.calls: list[str] = []

    def _answer(self, url: str) -> Response:
        self.calls.append(url)
        body = copy.deepcopy(self.data)
        if url.endswith("/metadata"):
            body["value"] = []
            body.pop("status", None)
        return Response(200, {"Content-Type": "application/json"}, json.dumps(body).encode())

    def get(self, url, params=None):
        return self._answer(url)

    def post(self, url, json_body):
        return self._answer(url)


def recorded() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def population_indicator() -> Indicator:
    return Indicator.objects.create(
        id="folketal-test", name_nb="Folketall", name_nn="Folketal", name_en="Population",
        definition_nb="d", definition_nn="d", definition_en="d", unit_nb="personer",
        unit_nn="personar", unit_en="persons", direction="neutral", evaluation_type="input",
        quality_class="A", source_kind="ssb",
        source={"table": "07459", "region_variable": "Region", "time_variable": "Tid",
                "selection": {"Region": ["0301", "4601", "1577"], "ContentsCode": ["Personer1"], "Tid": ["2023", "2024"]}},
    )  # fmt: skip


def client(data: dict[str, Any]) -> PxWebV2Client:
    return PxWebV2Client(transport=RecordedSSB(data), sleep=lambda seconds: None)


def test_update_stores_values_with_their_years_and_keeps_status_symbols(population_indicator):
    written = update(client(recorded()), [population_indicator])
    assert written == {"folketal-test": 6}
    bergen = IndicatorValue.objects.get(
        indicator=population_indicator, region__code="4601", year=2024
    )
    assert bergen.value == 291940
    volda = IndicatorValue.objects.get(
        indicator=population_indicator, region__code="1577", year=2024
    )
    assert volda.value is None
    assert volda.status_symbol == ".."


def test_a_truncated_answer_stops_the_update_and_keeps_the_old_figures(population_indicator):
    update(client(recorded()), [population_indicator])
    broken = recorded()
    broken["value"] = broken["value"][:-2]  # cut short: size says 6 cells
    with pytest.raises(Exception, match="value"):
        update(client(broken), [population_indicator])
    assert IndicatorValue.objects.filter(indicator=population_indicator).count() == 6


def test_an_interrupted_run_resumes_where_it_stopped(population_indicator, tmp_path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"done": ["folketal-test"]}), encoding="utf-8")
    transport = RecordedSSB(recorded())
    written = update(
        PxWebV2Client(transport=transport, sleep=lambda s: None),
        [population_indicator],
        state,
        resume=True,
    )
    assert written == {}
    assert transport.calls == []
    assert not state.exists()


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_platform_admins_start_an_update_from_the_web(population_indicator, role):
    from django.test import Client

    from conftest import make_user

    client = Client()
    if role == "member":
        client.force_login(make_user("planlegger@volda.kommune.no"))
    response = client.post("/indikatorar/oppdater/", {"indicator": population_indicator.id})
    assert response.status_code in (302, 403)
    if role == "anonymous":
        assert "/konto/login/" in response["Location"]
    assert not IndicatorValue.objects.filter(indicator=population_indicator).exists()


def test_an_update_started_from_the_web_runs_as_a_task(population_indicator, monkeypatch, settings):
    from django.test import Client

    from conftest import make_user
    from lokalmaal.indicators import tasks

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(tasks, "make_client", lambda: client_for_recorded())
    admin = make_user("stab@ks.no")
    admin.is_platform_admin = True
    admin.save()
    web = Client()
    web.force_login(admin)
    response = web.post("/indikatorar/oppdater/", {"indicator": population_indicator.id})
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(indicator=population_indicator).count() == 6


def client_for_recorded() -> PxWebV2Client:
    return client(recorded())
