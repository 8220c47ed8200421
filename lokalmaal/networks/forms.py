from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalmaal.accounts.models import Organisation, Role, User
from lokalmaal.accounts.permissions import is_platform_admin, may_organise_for
from lokalmaal.networks.actions import EventInput, NetworkInput
from lokalmaal.networks.models import (
    Event,
    Network,
    NetworkRole,
    RegistrationStatus,
    Visibility,
)
from lokalmaal.regions.models import Region, RegionKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italics*, lists with -, links [text](https://…)."
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class StyledForm(forms.Form):
    """Gives the fields Designsystemet's input class (radio groups are drawn by the template)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("class", "ds-input")


def _organisations_of(person: User, roles: list[str] | None = None) -> QuerySet[Organisation]:
    memberships = person.memberships.all()
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


class NetworkForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("About the network"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text=MARKDOWN_HELP,
    )
    region = forms.ModelChoiceField(
        label=_("County or municipality (optional)"),
        queryset=Region.objects.filter(
            kind__in=[RegionKind.COUNTY, RegionKind.MUNICIPALITY]
        ).order_by("kind", "name"),
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the network"),
        choices=[
            (Visibility.PUBLIC, _("Everyone; anyone with an account can join")),
            (Visibility.MEMBERS, _("Members only; coordinators add members")),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
        help_text=_("Posts, documents and the member list are for members in every network."),
    )

    def to_input(self) -> NetworkInput:
        data = self.cleaned_data
        return NetworkInput(
            name=data["name"],
            description=data["description"],
            region=data["region"],
            visibility=data["visibility"],
        )

    @classmethod
    def for_network(cls, network: Network) -> "NetworkForm":
        return cls(
            initial={
                "name": network.name,
                "description": network.description,
                "region": network.region,
                "visibility": network.visibility,
            }
        )


class NewNetworkForm(NetworkForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation you represent (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _organisations_of(person)


class JoinForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation you represent (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _organisations_of(person)


class MemberForm(StyledForm):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=NetworkRole.choices)


class RoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=NetworkRole.choices)


class PostForm(StyledForm):
    body = forms.CharField(
        label=_("Post"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=MARKDOWN_HELP,
    )


class DocumentForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), text, HTML or an image (PNG, JPEG, GIF, WebP)."),
    )


class EventForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
        help_text=MARKDOWN_HELP,
    )
    programme = forms.CharField(
        label=_("Programme"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=MARKDOWN_HELP,
    )
    start = forms.DateTimeField(
        label=_("Starts"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Norwegian time."),
    )
    end = forms.DateTimeField(
        label=_("Ends"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Norwegian time."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("Address or venue. Give a place, an online link or both."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An address starting with https://. Shown only to registered participants."),
    )
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=100000)
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline (optional)"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        required=False,
    )
    network = forms.ModelChoiceField(
        label=_("Network holding the event"), queryset=Network.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation holding the event"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see the event"),
        choices=[
            (Visibility.PUBLIC, _("Everyone")),
            (Visibility.MEMBERS, _("Members of the network or organisation only")),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
    )

    def __init__(self, *args: Any, person: User, event: Event | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.person = person
        self.event = event
        network_field = self.fields["network"]
        organisation_field = self.fields["organisation"]
        assert isinstance(network_field, forms.ModelChoiceField)
        assert isinstance(organisation_field, forms.ModelChoiceField)
        if is_platform_admin(person):
            network_field.queryset = Network.objects.all()
            organisation_field.queryset = Organisation.objects.all()
        else:
            network_field.queryset = Network.objects.filter(
                memberships__person=person, memberships__role=NetworkRole.COORDINATOR
            )
            organisation_field.queryset = _organisations_of(person, [Role.EDITOR, Role.ADMIN])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime | None = data.get("start")
        end: datetime | None = data.get("end")
        deadline: datetime | None = data.get("registration_deadline")
        if start and end and end < start:
            self.add_error("end", _("The event ends before it starts."))
        if start and self.event is None and start <= timezone.now():
            self.add_error("start", _("A new event must start in the future."))
        if start and deadline and deadline > start:
            self.add_error(
                "registration_deadline", _("The registration deadline is after the start.")
            )
        if not data.get("place") and not data.get("online_url") and "online_url" not in self.errors:
            self.add_error("place", _("Give a place, an online link or both."))
        network, organisation = data.get("network"), data.get("organisation")
        if data.get("visibility") == Visibility.MEMBERS and not (network or organisation):
            self.add_error(
                "visibility",
                _("A members-only event needs a network or an organisation whose members see it."),
            )
        unchanged = self.event is not None and (network, organisation) == (
            self.event.network,
            self.event.organisation,
        )
        if not unchanged and not may_organise_for(self.person, network, organisation):
            raise forms.ValidationError(
                _(
                    "Choose a network you coordinate or an organisation where you are an editor "
                    "or admin: the event is held in its name."
                )
            )
        capacity = data.get("capacity")
        if self.event is not None and capacity is not None:
            taken = self.event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    _("%(count)s people are registered; there cannot be fewer places.")
                    % {"count": taken},
                )
        return data

    def to_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            title=data["title"],
            description=data["description"],
            programme=data["programme"],
            start=data["start"],
            end=data["end"],
            place=data["place"],
            online_url=data["online_url"],
            capacity=data["capacity"],
            registration_deadline=data["registration_deadline"],
            network=data["network"],
            organisation=data["organisation"],
            visibility=data["visibility"],
        )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        local = timezone.localtime
        return {
            "title": event.title,
            "description": event.description,
            "programme": event.programme,
            "start": local(event.start),
            "end": local(event.end),
            "place": event.place,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "registration_deadline": (
                local(event.registration_deadline) if event.registration_deadline else None
            ),
            "network": event.network,
            "organisation": event.organisation,
            "visibility": event.visibility,
        }
