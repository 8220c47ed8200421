"""Fetch practice examples only through these helpers, so the rules live in one place.

- A published example is read by everyone (public) or by logged-in people (members only).
- An unpublished one (draft, submitted, hidden) is read by members of its organisations and by
  moderators; for anyone else it does not exist (404).
- Editors (EDIT_CONTENT) of one of its organisations change it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lokalmaal.accounts.models import Membership, Organisation, Role, User
from lokalmaal.accounts.permissions import Action, Person, is_moderator, may

from .models import Attachment, Example, Status, Visibility


def published_for(person: Person) -> QuerySet[Example]:
    """The published examples `person` may read."""
    examples = Example.objects.filter(status=Status.PUBLISHED)
    if not person.is_authenticated:
        examples = examples.filter(visibility=Visibility.PUBLIC)
    return examples


def member_organisation_ids(person: Person, *, least: Role = Role.READER) -> set[int]:
    if not isinstance(person, User) or not person.is_active:
        return set()
    roles = [Role.READER, Role.EDITOR, Role.ADMIN]
    wanted = roles[roles.index(least) :]
    memberships = Membership.objects.filter(user=person, role__in=wanted)
    return set(memberships.values_list("organisation_id", flat=True))


def editable_organisations(person: Person) -> QuerySet[Organisation]:
    """The organisations `person` may write examples for (editor or admin there)."""
    return Organisation.objects.filter(pk__in=member_organisation_ids(person, least=Role.EDITOR))


def may_view(person: Person, example: Example) -> bool:
    if example.status == Status.PUBLISHED and (
        example.visibility == Visibility.PUBLIC or person.is_authenticated
    ):
        return True
    if is_moderator(person):
        return True
    mine = member_organisation_ids(person)
    return any(organisation.pk in mine for organisation in example.organisations.all())


def may_edit(person: Person, example: Example) -> bool:
    return any(
        may(person, Action.EDIT_CONTENT, organisation)
        for organisation in example.organisations.all()
    )


def may_see_contact(person: Person, example: Example) -> bool:
    return example.contact_public or person.is_authenticated


def access_example(person: Person, example_id: int, *, edit: bool = False) -> Example:
    example = Example.objects.prefetch_related("organisations").filter(pk=example_id).first()
    if example is None or not may_view(person, example):
        raise Http404("No such example")
    if edit and not may_edit(person, example):
        raise PermissionDenied("Only editors of the example's organisations may change it")
    return example


def access_attachment(
    person: Person, example_id: int, attachment_id: int, *, edit: bool = False
) -> Attachment:
    example = access_example(person, example_id, edit=edit)
    attachment = Attachment.objects.filter(example=example, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def examples_of_member(person: Person) -> QuerySet[Example]:
    """Every example of the organisations `person` belongs to."""
    mine = member_organisation_ids(person)
    return Example.objects.filter(organisations__in=mine).distinct()
