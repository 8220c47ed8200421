"""Organisation pages. Every view that changes data checks permissions.require() first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalmaal.accounts import actions, reads
from lokalmaal.accounts.forms import (
    AccessRequestForm,
    DecisionForm,
    InviteForm,
    OrganisationForm,
    RoleForm,
)
from lokalmaal.accounts.models import (
    AccessRequest,
    Invitation,
    Organisation,
    OrganisationKind,
    RequestStatus,
    Role,
    User,
)
from lokalmaal.accounts.permissions import (
    Action,
    access_membership,
    access_organisation,
    access_request,
    may,
    may_decide,
    require,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def organisation_list(request: HttpRequest) -> HttpResponse:
    context = {
        "organisations": reads.list_organisations(),
        "may_create": may(request.user, Action.CREATE_ORGANISATION),
    }
    return render(request, "accounts/organisation_list.html", context)


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "organisations": reads.list_my_organisations(request.user),
        "my_requests": user.access_requests.select_related("organisation", "region"),
        "to_answer": sum(
            1
            for r in AccessRequest.objects.filter(status=RequestStatus.PENDING)
            if may_decide(user, r)
        ),
    }
    return render(request, "accounts/my_organisations.html", context)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(slug)
    context = {
        "organisation": reads.get_organisation(organisation, request.user),
        "region": organisation.region,
        "invite_form": InviteForm(),
        "roles": Role.choices,
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CREATE_ORGANISATION)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        try:
            if region:
                organisation = actions.do_create_region_organisation(region)
            else:
                kind = OrganisationKind(form.cleaned_data["kind"] or OrganisationKind.OTHER)
                organisation = actions.do_create_organisation(form.cleaned_data["name"], kind)
            if form.cleaned_data["first_admin"]:
                accept_url = request.build_absolute_uri(
                    reverse("accounts:invitation", args=["TOKEN"])
                )
                actions.do_invite(
                    organisation, form.cleaned_data["first_admin"], Role.ADMIN, _user(request),
                    accept_url,
                )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect("accounts:organisation", slug=organisation.slug)
    return render(request, "accounts/organisation_create.html", {"form": form})


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(slug)
    require(request.user, Action.MANAGE_MEMBERS, organisation)
    form = InviteForm(request.POST)
    if form.is_valid():
        accept_url = request.build_absolute_uri(reverse("accounts:invitation", args=["TOKEN"]))
        try:
            actions.do_invite(
                organisation,
                form.cleaned_data["email"],
                Role(form.cleaned_data["role"]),
                _user(request),
                accept_url,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % form.cleaned_data)
    else:
        messages.error(request, _("Give a valid e-mail address and role."))
    return redirect("accounts:organisation", slug=slug)


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    organisation = access_organisation(slug)
    membership = access_membership(request.user, organisation, member_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.do_change_role(membership, Role(form.cleaned_data["role"]))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role was changed."))
    return redirect("accounts:organisation", slug=slug)


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    organisation = access_organisation(slug)
    membership = access_membership(request.user, organisation, member_id)
    try:
        actions.do_remove_member(membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member was removed."))
    return redirect("accounts:organisation", slug=slug)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organisation = access_organisation(slug)
    require(request.user, Action.MANAGE_MEMBERS, organisation)
    invitation = Invitation.objects.filter(organisation=organisation, id=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    actions.do_revoke_invitation(invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:organisation", slug=slug)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = Invitation.objects.select_related("organisation").filter(token=token).first()
    if found is None:
        raise Http404("No such invitation")
    if request.method == "POST":
        try:
            actions.do_accept_invitation(found, _user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Welcome to %(org)s.") % {"org": found.organisation.name})
            return redirect("accounts:organisation", slug=found.organisation.slug)
    return render(request, "accounts/invitation.html", {"invitation": found})


def _has_verified_email(user: User) -> bool:
    from allauth.account.models import EmailAddress

    return bool(EmailAddress.objects.filter(user=user, verified=True).exists())


@login_required
def request_access(request: HttpRequest) -> HttpResponse:
    """A newcomer asks to join an organisation, or asks KS to create one for a municipality or
    county that has none."""
    user = _user(request)
    verified = _has_verified_email(user)
    initial = {}
    if request.GET.get("organisasjon"):
        initial["organisation"] = Organisation.objects.filter(
            slug=request.GET["organisasjon"]
        ).first()
    form = AccessRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and verified and form.is_valid():
        url = request.build_absolute_uri(reverse("accounts:requests"))
        try:
            actions.do_request_access(
                user,
                form.cleaned_data["reason"],
                url,
                organisation=form.cleaned_data["organisation"],
                region=form.cleaned_data["region"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request was sent. You will get an e-mail with the answer.")
            )
            return redirect("accounts:mine")
    status = 400 if form.errors else 200
    context = {"form": form, "verified": verified}
    return render(request, "accounts/request_access.html", context, status=status)


@login_required
def access_requests(request: HttpRequest) -> HttpResponse:
    """The requests this person may answer: for the organisations they are admin of, and (for
    KS staff) new organisations and organisations without an admin."""
    pending = AccessRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "user", "organisation", "region"
    )
    mine = [r for r in pending if may_decide(request.user, r)]
    return render(
        request, "accounts/access_requests.html", {"requests": mine, "roles": Role.choices}
    )


@login_required
@require_POST
def decide_request(request: HttpRequest, request_id: int) -> HttpResponse:
    found = access_request(request.user, request_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return redirect("accounts:requests")
    data = form.cleaned_data
    role = Role(data["role"]) if data["role"] else Role.EDITOR
    url = request.build_absolute_uri(reverse("accounts:mine"))
    try:
        actions.do_decide_request(
            found, _user(request), data["decision"] == "accept", role, data["note"], url
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The answer was sent to %(email)s.") % {"email": found.user.email}
        )
    return redirect("accounts:requests")
