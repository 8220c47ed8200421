from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from conftest import make_user
from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import MODERATORS_GROUP


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def platform_admin(db) -> User:
    user = make_user("drift@ks.no")
    user.is_platform_admin = True
    user.save()
    return user


@pytest.fixture
def moderator_user(db) -> User:
    user = make_user("moderator@ks.no")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user
