"""Forms parse and check input only; the services in accounts/services.py do the writing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRIES, country_name, iso_code_of_nuts_prefix
from accounts.models import Membership, Organisation, Region, User, Visibility
from accounts.selectors import region_list
from matchmaking.taxonomy import Language, Sector


def region_choices(*, country: str = "", empty_label: str = _("— no region —")) -> list:
    """Regions grouped by country, labelled "CODE name" (e.g. "DE21 Oberbayern"), after
    one empty choice: "no region" on a profile, "all regions" on a filter."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in region_list(country=country):
        groups.setdefault(region.country, []).append((region.code, str(region)))
    choices: list = [("", empty_label)]
    for prefix, regions in groups.items():
        choices.append((f"{country_name(iso_code_of_nuts_prefix(prefix))} ({prefix})", regions))
    return choices


class OrganisationForm(forms.Form):
    """All profile fields of an organisation; used for both create and edit."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=Organisation.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What your organisation does and what it is good at. This text is used to "
            "suggest partners, so be specific."
        ),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *COUNTRIES], initial="DE")
    region = forms.ChoiceField(
        label=_("Region (NUTS-2)"),
        required=False,
        help_text=_("Used to find partners nearby."),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    size_band = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("— not stated —")), *Organisation.SizeBand.choices],
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors (NACE)"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Public: everyone, also search engines. Members of the platform: signed-in "
            "users only. Hidden: only your own members."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict:
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "description": organisation.description,
            "website": organisation.website,
            "country": organisation.country,
            "region": organisation.region_id or "",
            "city": organisation.city,
            "size_band": organisation.size_band,
            "languages": organisation.languages,
            "sectors": organisation.sectors,
            "visibility": organisation.visibility,
        }

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        if not code:
            return None
        try:
            return Region.objects.get(code=code)
        except Region.DoesNotExist as error:
            raise ValidationError(_("Choose a region from the list.")) from error


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"placeholder": "name@example.org"})
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class DirectoryFilterForm(forms.Form):
    """Filters of the organisation directory; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *COUNTRIES]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(empty_label=_("All regions"))


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."))
        return password


class OrganisationDeleteForm(forms.Form):
    name = forms.CharField(label=_("Type the organisation's name to confirm"), max_length=200)

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name != self.organisation.name:
            raise ValidationError(_("The name does not match."))
        return name
