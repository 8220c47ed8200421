"""People, networks and events for the network tests."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import make_user
from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.networks.actions import EventInput, NetworkInput, do_create_event, do_create_network
from lokalmaal.networks.models import Event, Network, NetworkMembership, NetworkRole, Visibility


def english_client() -> Client:
    """Tests read the English source texts, whatever translations are compiled."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(user: User) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Rate-limit counts live in the cache and user ids repeat between tests."""
    cache.clear()


@pytest.fixture
def client() -> Client:
    return english_client()


@pytest.fixture
def coordinator(bergen: Organisation) -> User:
    """An editor in Bergen who started the networks below."""
    user = make_user("koordinator@bergen.kommune.no")
    Membership.objects.create(user=user, organisation=bergen, role=Role.EDITOR)
    return user


@pytest.fixture
def member(db) -> User:
    return make_user("medlem@volda.kommune.no")


@pytest.fixture
def outsider(db) -> User:
    return make_user("utanfor@example.no")


def _network(coordinator: User, member: User, name: str, visibility: str) -> Network:
    data = NetworkInput(
        name=name, description="Om **nettverket**.", region=None, visibility=visibility
    )
    network = do_create_network(coordinator, data)
    NetworkMembership.objects.create(network=network, person=member, role=NetworkRole.MEMBER)
    return network


@pytest.fixture
def public_network(coordinator: User, member: User) -> Network:
    return _network(coordinator, member, "Berekraftsnettverket Vestland", Visibility.PUBLIC)


@pytest.fixture
def closed_network(coordinator: User, member: User) -> Network:
    return _network(coordinator, member, "Lukka nettverk for planleggjarar", Visibility.MEMBERS)


def make_event(
    organiser: User,
    *,
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=7),
    network: Network | None = None,
    organisation: Organisation | None = None,
    visibility: str = Visibility.PUBLIC,
    title: str = "Regional oppfølgingskonferanse",
) -> Event:
    start = timezone.now() + starts_in
    return do_create_event(
        organiser,
        EventInput(
            title=title,
            description="Vi går gjennom **berekraftsmåla** i planane.",
            programme="- 09:00 Opning\n- 10:00 Erfaringar",
            start=start,
            end=start + timedelta(hours=6),
            place="Scandic Bergen City",
            online_url="https://meet.example.no/konferanse",
            capacity=capacity,
            registration_deadline=None,
            network=network,
            organisation=organisation,
            visibility=visibility,
        ),
    )
