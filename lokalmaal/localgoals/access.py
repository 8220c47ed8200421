"""Fetch workspaces only through these helpers, so the rules in accounts.permissions apply.

Members of the organisation (any role) see its workspaces; editors and admins change them; only
admins record adoption. Anyone sees a published one's adopted goals, but its ratings, comments and
matrix only when the organisation published the analysis too. A workspace someone may not see is
a 404, so its existence is not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lokalmaal.accounts.permissions import Action, Person, may
from lokalmaal.localgoals.models import Workspace


def is_member(person: Person, workspace: Workspace) -> bool:
    return may(person, Action.VIEW_MEMBERS, workspace.organisation)


def may_view(person: Person, workspace: Workspace) -> bool:
    return workspace.published or is_member(person, workspace)


def may_view_analysis(person: Person, workspace: Workspace) -> bool:
    """Ratings, raters' comments and the matrix: internal unless published on purpose."""
    return is_member(person, workspace) or (workspace.published and workspace.analysis_published)


def may_adopt(person: Person, workspace: Workspace) -> bool:
    return may(person, Action.MANAGE_MEMBERS, workspace.organisation)


def may_edit(person: Person, workspace: Workspace) -> bool:
    return may(person, Action.EDIT_CONTENT, workspace.organisation)


def access_workspace(person: Person, workspace_id: int, *, edit: bool = False) -> Workspace:
    workspace = (
        Workspace.objects.select_related("organisation__region").filter(id=workspace_id).first()
    )
    if workspace is None or not may_view(person, workspace):
        raise Http404("No such workspace")
    if edit and not may_edit(person, workspace):
        raise PermissionDenied("Only editors of the organisation may change its workspace")
    return workspace
