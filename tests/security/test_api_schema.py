"""The API keeps its published OpenAPI document: unique schema names, documented errors, real
answers that validate, and a bounded schemathesis run (issue #16).

The schemathesis run (25 generated requests per operation, anonymous and logged in, against the
WSGI application in-process, deterministic) fails on any 5xx, undocumented status code or
answer that breaks its schema. It takes a minute or two, so it runs with LOKALMAAL_FUZZ=1, as
.ci/run does on SQLite and PostgreSQL; the rest runs with the suite.
"""

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from conftest import make_user
from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.config.wsgi import application

FUZZ = os.environ.get("LOKALMAAL_FUZZ") == "1"
EXAMPLES = 25


def _schema() -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


SCHEMA = _schema()
# An operation the document describes wrongly fails here, loudly (Err has no ok()).
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]


def _models(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("lokalmaal."):
            yield sub
        yield from _models(sub)


def test_every_schema_has_its_own_name():
    """django-ninja publishes one component per class name: two classes of the same name left
    one of them described by the other's schema (TargetOut ×3, IndicatorOut ×3, MemberOut …)."""
    names = Counter(model.__name__ for model in set(_models(BaseModel)))
    assert [name for name, count in names.items() if count > 1] == []


def test_every_operation_documents_its_errors():
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    for path, operations in document["paths"].items():
        for operation in operations.values():
            answers = operation["responses"]
            assert "200" in answers, path
            assert "400" in answers, path
            if "{" in path:
                assert "404" in answers, path
            if operation.get("parameters"):
                assert "422" in answers, path
    assert document["components"]["schemas"]["Error"]["required"] == ["detail"]


def _validate(client: Client, path: str, **parameters: object) -> None:
    """Call `path` (an OpenAPI path template) with `client` and check the answer against the
    published document."""
    operation = SCHEMA[path]["GET"]
    url = path.format(**parameters)
    response = client.get(url)
    assert response.status_code == 200, url
    case = operation.Case(path_parameters=dict(parameters))
    operation.validate_response(
        schemathesis.Response(
            status_code=response.status_code,
            headers={k.lower(): [v] for k, v in response.headers.items()},
            content=response.content,
            request=None,  # type: ignore[arg-type]
            elapsed=0.0,
            verify=False,
        ),
        case=case,
    )


@pytest.mark.parametrize("number", [1, 13, 17])
def test_a_goal_satisfies_its_published_schema(db, number: int):
    _validate(Client(), "/api/v1/goals/{number}/", number=number)


def test_an_organisation_satisfies_its_published_schema(bergen: Organisation):
    admin = make_user("admin@bergen.kommune.no")
    Membership.objects.create(user=admin, organisation=bergen, role=Role.ADMIN)
    member = Client()
    member.force_login(admin)  # members see the member list
    for client in (Client(), member):
        _validate(client, "/api/v1/organisations/{slug}/", slug=bergen.slug)


# The bounded schemathesis run


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """schemathesis calls the WSGI application itself, which closes the database connection after
    each request (as a server should); Django's test client keeps it open, so the test's
    transaction (and on PostgreSQL the connection) survives. Do as the test client does."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def session_cookie(bergen: Organisation, in_test_transaction: None) -> str:
    user = User.objects.create_user("fuzz@ks.no", None, is_platform_admin=True)
    Membership.objects.create(user=user, organisation=bergen, role=Role.ADMIN)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.skipif(not FUZZ, reason="the schemathesis run goes with LOKALMAAL_FUZZ=1 (.ci/run)")
@pytest.mark.parametrize("who", ["anonymous", "logged-in"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_schemathesis_finds_no_server_error_or_schema_violation(operation, who, session_cookie):
    from django.core.cache import cache

    cache.clear()  # rate limits must not turn the run into 429s
    cookies = {"sessionid": session_cookie} if who == "logged-in" else {}
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests every run: a failure is reproducible
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        try:
            case.call_and_validate(cookies=cookies)
        except Exception as error:  # collect all, report a few
            failures.append(f"{case.path} {case.path_parameters} {case.query}: {error}"[:2000])

    run()
    assert not failures, "\n\n".join(failures[:3])
