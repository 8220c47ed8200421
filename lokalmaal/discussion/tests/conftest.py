"""Fixtures for questions: members of Bergen and Volda, a moderator, a published example by a
Bergen member, and networks of each visibility."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import make_user
from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.accounts.permissions import MODERATORS_GROUP
from lokalmaal.arena.models import Example, Status, Visibility
from lokalmaal.catalogue.models import Target
from lokalmaal.networks.models import Network, NetworkMembership, NetworkRole
from lokalmaal.networks.models import Visibility as NetworkVisibility


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(organisation: Organisation, email: str, role: Role = Role.EDITOR) -> User:
    user = make_user(email)
    user.first_name, user.last_name = email.split("@")[0].capitalize(), "Nordmann"
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def author(bergen) -> User:
    return member(bergen, "kari@bergen.kommune.no")


@pytest.fixture
def asker(volda) -> User:
    return member(volda, "ola@volda.kommune.no")


@pytest.fixture
def moderator(db) -> User:
    user = make_user("moderator@ks.no")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


@pytest.fixture
def target(db) -> Target:
    return Target.objects.get(code="11.6")


def published_example(
    organisation: Organisation, author: User, visibility: str = Visibility.PUBLIC
) -> Example:
    example = Example.objects.create(
        title="Grøne tak i Bergen",
        summary="Tak med planter tek unna regnvatn.",
        author=author,
        status=Status.PUBLISHED,
        visibility=visibility,
        published_at=timezone.now(),
    )
    example.organisations.set([organisation])
    example.targets.set(Target.objects.filter(code__in=["11.6", "13.1"]))
    return example


@pytest.fixture
def example(bergen, author) -> Example:
    return published_example(bergen, author)


@pytest.fixture
def members_example(bergen, author) -> Example:
    return published_example(bergen, author, Visibility.MEMBERS)


def network(slug: str, visibility: str, members: list[User]) -> Network:
    created = Network.objects.create(name=slug.title(), slug=slug, visibility=visibility)
    for person in members:
        NetworkMembership.objects.create(network=created, person=person, role=NetworkRole.MEMBER)
    return created


@pytest.fixture
def closed_network(author) -> Network:
    return network("lukka-nettverk", NetworkVisibility.MEMBERS, [author])


@pytest.fixture
def open_network(author) -> Network:
    return network("ope-nettverk", NetworkVisibility.PUBLIC, [author])
