"""Network and event pages. Views parse, authorise (access.py, accounts.permissions), call one
action and render; every rule lives in actions.py and permissions.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lokalmaal.accounts.models import User
from lokalmaal.accounts.permissions import (
    NetworkAction,
    may_network,
    may_organise_events,
    require_network,
)
from lokalmaal.discussion.notify import absolute_url
from lokalmaal.lib.ratelimit import rate_limited
from lokalmaal.lib.spreadsheet import csv_writer
from lokalmaal.lib.uploads import UploadRefusedError, file_response
from lokalmaal.networks import actions, reads
from lokalmaal.networks.access import (
    access_document,
    access_event,
    access_membership,
    access_network,
    access_post,
)
from lokalmaal.networks.forms import (
    DocumentForm,
    EventForm,
    JoinForm,
    MemberForm,
    NetworkForm,
    NewNetworkForm,
    PostForm,
    RoleForm,
)
from lokalmaal.networks.ics import event_calendar
from lokalmaal.networks.models import Network, NetworkRole, RegistrationStatus
from lokalmaal.web.middleware import no_store

FOLLOW_BUTTON = "discussion/follow_button.html"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _follow_button() -> str | None:
    """The discussion app's follow button, when it is installed."""
    try:
        get_template(FOLLOW_BUTTON)
    except TemplateDoesNotExist:
        return None
    return FOLLOW_BUTTON


# Networks


def network_list(request: HttpRequest) -> HttpResponse:
    context = {
        "networks": reads.list_networks(request.user),
        "may_create": may_network(request.user, NetworkAction.CREATE_NETWORK),
    }
    return render(request, "networks/network_list.html", context)


@login_required
def network_create(request: HttpRequest) -> HttpResponse:
    require_network(request.user, NetworkAction.CREATE_NETWORK)
    person = _user(request)
    form = NewNetworkForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        network = actions.do_create_network(
            person, form.to_input(), form.cleaned_data["organisation"]
        )
        messages.success(request, _("The network is created. You are its coordinator."))
        return redirect("networks:network", slug=network.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/network_form.html", {"form": form}, status=status)


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug)
    detail = reads.get_network(network, request.user)
    context: dict[str, Any] = {
        "network": detail,
        "post_form": PostForm(),
        "document_form": DocumentForm(),
        "member_form": MemberForm(),
        "roles": NetworkRole.choices,
        "follow_button": _follow_button() if request.user.is_authenticated else None,
        "follow_subject": network,
        "may_organise": detail.may_manage and may_organise_events(request.user),
    }
    if detail.may_join:
        context["join_form"] = JoinForm(person=_user(request))
    return render(request, "networks/network_detail.html", context)


@login_required
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.MANAGE)
    form = (
        NetworkForm(request.POST) if request.method == "POST" else NetworkForm.for_network(network)
    )
    if request.method == "POST" and form.is_valid():
        actions.do_update_network(network, form.to_input())
        messages.success(request, _("The network is saved."))
        return redirect("networks:network", slug=network.slug)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "network": network}
    return render(request, "networks/network_form.html", context, status=status)


@login_required
@require_POST
def network_join(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.JOIN)
    form = JoinForm(request.POST, person=_user(request))
    organisation = form.cleaned_data["organisation"] if form.is_valid() else None
    actions.do_join_network(network, _user(request), organisation)
    messages.success(request, _("You are now a member of the network."))
    return redirect("networks:network", slug=network.slug)


@login_required
@require_POST
def network_leave(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.READ)
    try:
        actions.do_leave_network(network, _user(request))
    except actions.NetworkRuleError as error:
        messages.error(request, str(error))
        return redirect("networks:network", slug=network.slug)
    messages.success(request, _("You have left the network."))
    if may_network(request.user, NetworkAction.VIEW, network):
        return redirect("networks:network", slug=network.slug)
    return redirect("networks:list")


def _network_page(network: Network, anchor: str) -> HttpResponse:
    return redirect(f"{actions.network_url(network)}#{anchor}")


def _back_to_members(network: Network) -> HttpResponse:
    return _network_page(network, "medlemmer")


@login_required
@require_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.MANAGE)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an e-mail address and choose a role."))
        return _back_to_members(network)
    try:
        actions.do_add_member(network, form.cleaned_data["email"], form.cleaned_data["role"])
    except actions.NetworkRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The member is added."))
    return _back_to_members(network)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.MANAGE)
    membership = access_membership(request.user, network, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return _back_to_members(network)
    try:
        actions.do_change_role(membership, form.cleaned_data["role"])
    except actions.NetworkRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role is changed."))
    return _back_to_members(network)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.MANAGE)
    membership = access_membership(request.user, network, membership_id)
    try:
        actions.do_remove_member(membership)
    except actions.NetworkRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The member is removed from the network."))
    return _back_to_members(network)


@login_required
@rate_limited("network_post", limit=10, window=600)
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.POST)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = actions.do_post(network, _user(request), form.cleaned_data["body"])
        messages.success(request, _("Your post is published to the network's members."))
        return _network_page(network, f"innlegg-{post.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form}
    return render(request, "networks/post_form.html", context, status=status)


@login_required
@require_POST
def post_delete(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.READ)
    actions.do_delete_post(access_post(request.user, network, post_id))
    messages.success(request, _("The post is removed."))
    return _network_page(network, "innlegg")


@login_required
@rate_limited("network_document", limit=10, window=600)
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.POST)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.do_upload_document(
                network, _user(request), form.cleaned_data["title"], form.cleaned_data["file"]
            )
        except UploadRefusedError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The document is shared with the network's members."))
            return _network_page(network, f"dokument-{document.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form}
    return render(request, "networks/document_form.html", context, status=status)


def document_download(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    """The file as an attachment with the type found in its content; nothing is shown inline,
    so an uploaded HTML or image file cannot run or be sniffed as something else here."""
    network = access_network(request.user, slug)
    document = access_document(request.user, network, document_id)
    return file_response(bytes(document.content), document.kind, document.filename)


@login_required
@require_POST
def document_delete(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    network = access_network(request.user, slug, NetworkAction.READ)
    actions.do_delete_document(access_document(request.user, network, document_id, remove=True))
    messages.success(request, _("The document is removed."))
    return _network_page(network, "dokument")


# Events


def event_list(request: HttpRequest) -> HttpResponse:
    context = {
        "upcoming": reads.list_events(request.user),
        "past": reads.list_events(request.user, past=True),
        "may_create": may_organise_events(request.user),
    }
    return render(request, "networks/event_list.html", context)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not may_organise_events(request.user):
        return render(request, "networks/may_not_organise.html", status=403)
    person = _user(request)
    initial: dict[str, Any] = {}
    chosen = Network.objects.filter(slug=request.GET.get("nettverk", "")).first()
    if chosen is not None:
        initial["network"] = chosen
    form = EventForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = actions.do_create_event(person, form.to_input())
        messages.success(request, _("The event is published."))
        return redirect("networks:event", event_id=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "networks/event_form.html", {"form": form}, status=status)


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    context = {"event": reads.get_event(event, request.user)}
    return render(request, "networks/event_detail.html", context)


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, manage=True)
    person = _user(request)
    if request.method == "POST":
        form = EventForm(request.POST, person=person, event=event)
    else:
        form = EventForm(initial=EventForm.initial_for(event), person=person, event=event)
    if request.method == "POST" and form.is_valid():
        actions.do_update_event(event, form.to_input())
        messages.success(request, _("The event is saved."))
        return redirect("networks:event", event_id=event.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "event": event}
    return render(request, "networks/event_form.html", context, status=status)


@login_required
@require_POST
def event_register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    try:
        registration = actions.do_register(event, _user(request))
    except actions.RegistrationError as error:
        messages.error(request, str(error))
        return redirect("networks:event", event_id=event.pk)
    if registration.status == RegistrationStatus.REGISTERED:
        messages.success(request, _("You are registered. Welcome!"))
    else:
        position = actions.waiting_position(registration)
        messages.success(
            request,
            _(
                "The event is full, so you are on the waiting list as number %(position)s. "
                "If a place becomes free, you get it and we tell you by e-mail."
            )
            % {"position": position},
        )
    return redirect("networks:event", event_id=event.pk)


@login_required
@require_POST
def event_unregister(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    try:
        actions.do_cancel_registration(event, _user(request))
    except actions.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("networks:event", event_id=event.pk)


@login_required
@require_POST
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, manage=True)
    told = actions.do_cancel_event(event)
    messages.success(
        request,
        ngettext(
            "The event is cancelled; %(count)s participant was told by e-mail.",
            "The event is cancelled; %(count)s participants were told by e-mail.",
            told,
        )
        % {"count": told},
    )
    return redirect("networks:event", event_id=event.pk)


@login_required
def participants(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, manage=True)
    context = {
        "event": reads.get_event(event, request.user),
        "participants": reads.list_participants(event),
    }
    return render(request, "networks/participants.html", context)


@login_required
def participants_csv(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id, manage=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"deltakarar-{event.pk}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    no_store(response)  # names and e-mail addresses
    response.write("\ufeff")  # so Excel reads the Norwegian letters as UTF-8
    writer = csv_writer(response)  # defuses formulas: names are typed by the people
    writer.writerow(
        [_("Name"), _("E-mail address"), _("Organisation"), _("Status"), _("Registered at")]
    )
    labels = dict(RegistrationStatus.choices)
    for person in reads.list_participants(event):
        registered_at = timezone.localtime(person.registered_at).strftime("%Y-%m-%d %H:%M")
        writer.writerow(
            [person.name, person.email, person.organisation, labels[person.status], registered_at]
        )
    return response


def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    detail = reads.get_event(event, request.user)
    url = absolute_url(detail.url)
    body = event_calendar(event, url, include_online_link=detail.online_url is not None)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"arrangement-{event.pk}.ics"
    )
    return response
