"""Forms parse and check input only; matchmaking/services.py writes and
matchmaking/search.py reads."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRIES
from accounts.forms import region_choices
from accounts.models import Organisation, Visibility
from matchmaking.models import DESCRIPTION_MAX_LENGTH, Capability, Need, Posting
from matchmaking.search import PostingFilters
from matchmaking.taxonomy import (
    BudgetBand,
    CollaborationType,
    Domain,
    RegionScope,
    Sovereignty,
    Technique,
)

TRL_HELP = _(
    "Technology readiness level, 1 (basic principles observed) to 9 (proven in operation)."
)


def _checkboxes(label: str, choices: list) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class PostingForm(forms.Form):
    """The fields a member edits on a need or capability. `organisation` is offered only
    when creating: a posting never moves to another organisation."""

    model: type[Posting]
    trl_label = _("Technology readiness (TRL)")

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    # The limit itself is checked by the service (one rule for pages and API); maxlength
    # only lets the browser say so before sending.
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX_LENGTH}),
        help_text=_(
            "German or English. Be concrete: the problem, the data, the setting. The text "
            "is used to suggest partners."
        ),
    )
    trl = forms.IntegerField(label=trl_label, min_value=1, max_value=9, help_text=TRL_HELP)
    techniques = _checkboxes(_("AI techniques"), Technique.choices)
    domains = _checkboxes(_("Application domains"), Domain.choices)
    collaboration_types = _checkboxes(_("Collaboration types"), CollaborationType.choices)
    sovereignty = _checkboxes(_("Sovereignty requirements"), Sovereignty.choices)
    region_scope = forms.ChoiceField(
        label=_("Region scope"), choices=RegionScope.choices, initial=RegionScope.EU
    )
    budget_band = forms.ChoiceField(
        label=_("Budget"),
        required=False,
        choices=[("", _("— not stated —")), *BudgetBand.choices],
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_(
            "Public: everyone. Members of the platform: signed-in users only. Hidden: only "
            "your own organisation; hidden postings are not suggested to others."
        ),
    )

    anonymous = forms.BooleanField(
        label=_("Post anonymously"),
        required=False,
        help_text=_(
            "Your organisation's name, city and contacts stay hidden until you accept a "
            "contact request; the region and kind of organisation still show."
        ),
    )

    def __init__(
        self, *args, organisations: QuerySet[Organisation] | None = None, **kwargs
    ) -> None:
        """Pass `organisations` (where the user may post) to create; leave it out to edit."""
        super().__init__(*args, **kwargs)
        self.fields["trl"].label = self.trl_label
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    @classmethod
    def initial_from(cls, posting: Posting) -> dict:
        return {name: getattr(posting, name) for name in cls.base_fields if name != "organisation"}

    def posting_fields(self) -> dict:
        """The cleaned values a service takes as **fields."""
        return {k: v for k, v in self.cleaned_data.items() if k != "organisation"}


class NeedForm(PostingForm):
    model = Need
    trl_label = _("Technology readiness needed (TRL)")


class CapabilityForm(PostingForm):
    model = Capability
    trl_label = _("Technology readiness reached (TRL)")


class MarketplaceFilterForm(forms.Form):
    """The marketplace sidebar. Every field is optional; a bad value is reported next to
    its field and ignored, the other filters still apply."""

    STATUS_ANY = "any"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": _("e.g. Schweißnahtprüfung, predictive maintenance")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*Posting.Status.choices, (STATUS_ANY, _("Open and closed"))],
    )
    kind = _checkboxes(_("Kind of organisation"), Organisation.Kind.choices)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *COUNTRIES]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    techniques = _checkboxes(_("AI techniques"), Technique.choices)
    domains = _checkboxes(_("Application domains"), Domain.choices)
    collaboration_types = _checkboxes(_("Collaboration types"), CollaborationType.choices)
    trl_min = forms.IntegerField(label=_("TRL from"), required=False, min_value=1, max_value=9)
    trl_max = forms.IntegerField(label=_("TRL to"), required=False, min_value=1, max_value=9)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("German and English")), ("de", _("German")), ("en", _("English"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(empty_label=_("All regions"))

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("trl_min"), cleaned.get("trl_max")
        if low is not None and high is not None and low > high:
            self.add_error("trl_max", _("“TRL to” must not be below “TRL from”."))
        return cleaned

    def to_filters(self) -> PostingFilters:
        """Filters from the fields that validated; call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or Posting.Status.OPEN
        return PostingFilters(
            q=data.get("q", "").strip(),
            status="" if status == self.STATUS_ANY else status,
            organisation_kinds=tuple(data.get("kind", ())),
            country=data.get("country", ""),
            region=data.get("region", ""),
            techniques=tuple(data.get("techniques", ())),
            domains=tuple(data.get("domains", ())),
            collaboration_types=tuple(data.get("collaboration_types", ())),
            trl_min=data.get("trl_min"),
            trl_max=data.get("trl_max"),
            language=data.get("language", ""),
        )
