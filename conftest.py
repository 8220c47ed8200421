"""Shared test fixtures: the real data bundle is loaded once into the test database."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from lokalmaal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from lokalmaal.bundle.load import Bundle, do_load_bundle, read_bundle
from lokalmaal.regions.models import Region
from tests import snapshot


def bundle_dir() -> Path:
    return Path(settings.DATA_DIR)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashes() -> Iterator[None]:
    """Django's PBKDF2 costs 0.2 s of CPU for every user a fixture creates and every password
    login, more than most tests' own work. Tests check who may do what, not the hash's strength,
    so they hash with MD5, as Django's testing guide advises."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    """PostgreSQL: the test database need not survive a crash, so commits do not wait for the
    disk. Migrations, the bundle load and every transactional test's flush commit hundreds of
    times; on a busy machine each wait was milliseconds."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The real bundle, read and validated once per session (5 s of CPU). Loading does not
    change it."""
    if not bundle_dir().is_dir():
        pytest.exit(f"The data bundle is missing at {bundle_dir()}: set LOKALMAAL_DATA_DIR", 2)
    return read_bundle(bundle_dir())


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup, django_db_blocker, bundle: Bundle
) -> Iterator[snapshot.Snapshot]:
    """Every test that uses the database sees the real bundle (tests roll back their changes).
    Loaded once per session; the snapshot taken right after puts it back for `loaded_bundle`."""
    with django_db_blocker.unblock():
        do_load_bundle(bundle)
        loaded = snapshot.take(connection)
    if connection.vendor == "postgresql":
        with snapshot.delete_instead_of_truncate(connection):
            yield loaded
    else:
        yield loaded


@pytest.fixture
def loaded_bundle(transactional_db, django_db_setup: snapshot.Snapshot) -> None:
    """For tests that need committed data (live server): the database as it was right after the
    bundle load (a transactional test empties every table when it ends), put back from the
    session's snapshot in a fraction of a second instead of loading the bundle again."""
    django_db_setup.restore()


def make_user(email: str, password: str = "Et-langt-passord-123") -> User:
    user = User.objects.create_user(email, password)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_organisation(code: str) -> Organisation:
    region = Region.objects.get(code=code)
    return Organisation.objects.create(
        slug=region.slug,
        name=region.name_with_kind(),
        kind=OrganisationKind.MUNICIPALITY,
        region=region,
    )


@pytest.fixture
def bergen(db) -> Organisation:
    return make_organisation("4601")


@pytest.fixture
def volda(db) -> Organisation:
    return make_organisation("1577")


def member_client(organisation: Organisation, role: Role, email: str) -> Client:
    user = make_user(email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bergen_admin(bergen) -> Client:
    return member_client(bergen, Role.ADMIN, "admin@bergen.kommune.no")


@pytest.fixture
def bergen_reader(bergen) -> Client:
    return member_client(bergen, Role.READER, "leser@bergen.kommune.no")


@pytest.fixture
def volda_admin(volda) -> Client:
    return member_client(volda, Role.ADMIN, "admin@volda.kommune.no")
