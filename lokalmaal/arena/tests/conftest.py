"""Fixtures for the arena: members of Bergen and Volda, a moderator, and examples in each state."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from conftest import make_user, member_client
from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.accounts.permissions import MODERATORS_GROUP
from lokalmaal.arena import actions
from lokalmaal.arena.models import Example, Visibility
from lokalmaal.catalogue.models import Target

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def user_of(client: Client) -> User:
    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.fixture
def bergen_editor(bergen) -> Client:
    return member_client(bergen, Role.EDITOR, "redaktor@bergen.kommune.no")


@pytest.fixture
def volda_editor(volda) -> Client:
    return member_client(volda, Role.EDITOR, "redaktor@volda.kommune.no")


@pytest.fixture
def moderator(db) -> Client:
    user = make_user("moderator@ks.no")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outsider(db) -> Client:
    """Logged in, but member of no organisation."""
    client = Client()
    client.force_login(make_user("innbygger@example.no"))
    return client


def new_example(
    organisation: Organisation,
    *,
    title: str = "Skolehager i alle skoler",
    visibility: str = Visibility.PUBLIC,
    targets: tuple[str, ...] = ("4.7", "11.6"),
    **sections: str,
) -> Example:
    author = make_user(f"forfatter{Example.objects.count()}@{organisation.slug}.no")
    Membership.objects.create(user=author, organisation=organisation, role=Role.EDITOR)
    data = actions.ExampleInput(
        title=title,
        summary="Elevene dyrker grønnsaker og lærer om mat og klima.",
        organisations=[organisation],
        sections={"problem": "Lite kunnskap om mat.", **sections},
        targets=list(Target.objects.filter(code__in=targets)),
        service_areas=["grunnskole"],
        visibility=visibility,
        contact_name="Kari Nordmann",
        contact_email="kari@example.no",
        contact_phone="+47 55 55 55 55",
        contact_role="Rådgiver",
    )
    return actions.do_create_example(author, data)


def publish(example: Example) -> Example:
    admin = User.objects.filter(is_platform_admin=True).first() or User.objects.create_user(
        f"ks{example.pk}@ks.no", is_platform_admin=True
    )
    actions.do_submit_example(example, admin)
    actions.do_publish_example(example, admin)
    example.refresh_from_db()
    return example


@pytest.fixture
def draft(bergen) -> Example:
    return new_example(bergen, title="Utkast om sykkelveier")


@pytest.fixture
def published(bergen) -> Example:
    return publish(new_example(bergen))


@pytest.fixture
def members_only(bergen) -> Example:
    return publish(
        new_example(bergen, title="Intern erfaring om barnehager", visibility=Visibility.MEMBERS)
    )
