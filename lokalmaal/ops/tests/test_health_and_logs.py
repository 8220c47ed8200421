"""/helse/ reports each part, and each request is logged as one JSON line without personal data."""

import io
import json
import logging

import pytest
from django.test import Client

from lokalmaal.ops.models import WorkerHeartbeat
from lokalmaal.ops.requestlog import JsonFormatter

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_cache_and_a_worker_are_well(client):
    WorkerHeartbeat.objects.create(worker_id="w1", host="here", pid=1)
    response = client.get("/helse/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert body["worker"]["ok"] is True
    assert body["worker"]["workers"] == 1
    assert isinstance(body["data_version"], int)
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_is_503_without_a_live_worker_unless_only_web_parts_are_asked(client):
    response = client.get("/helse/")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "last_heartbeat": None, "workers": 0}
    response = client.get("/helse/?del=database,cache")
    assert response.status_code == 200
    assert "worker" not in response.json()


def test_health_is_503_when_the_cache_fails(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = client.get("/helse/?del=database,cache")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False


@pytest.fixture
def request_log(settings):
    settings.REQUEST_LOG = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("lokalmaal.requests")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_each_request_is_one_json_line_without_query_string_or_secrets(request_log):
    client = Client()  # made after REQUEST_LOG is set: middleware reads it once
    client.get("/mal/?q=ola.nordmann@example.no")
    client.get("/invitasjon/hemmeleg-token-123/")
    lines = [json.loads(line) for line in request_log.getvalue().splitlines()]
    assert len(lines) == 2
    assert lines[0]["method"] == "GET"
    assert lines[0]["path"] == "/mal/"
    assert lines[0]["status"] == 200
    assert lines[0]["ms"] > 0
    assert lines[1]["path"] == "/invitasjon/…/"
    assert "hemmeleg" not in request_log.getvalue()
    assert "ola.nordmann" not in request_log.getvalue()
