"""Aggregate reads for the regional dashboard and the map. Every posting count goes
through `posting_search`/`posting_list_visible_to`, so a figure never counts what its
viewer could not open: the map's number for a region is the marketplace's number for the
same filters (tests/matchmaking/test_insights.py holds them equal)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, ProgrammeManager
from accounts.selectors import AnyUser
from matchmaking.collaboration.models import ContactRequest
from matchmaking.collaboration.selectors import PARTNERSHIP_STAGES
from matchmaking.insights.models import SuggestionsShown
from matchmaking.models import Capability, Need, SuggestionFeedback
from matchmaking.search import PostingFilters, posting_search
from matchmaking.selectors import posting_list_visible_to
from matchmaking.taxonomy import Domain, Technique

MAP_KINDS = {"needs": Need, "capabilities": Capability}
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class InsightScope:
    """Where a viewer's figures come from: everything (staff) or the countries and NUTS-2
    regions a programme manager was granted."""

    everything: bool = False
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    def organisation_q(self, prefix: str = "", region_field: str = "region_id") -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{prefix}country__in": self.countries}) | Q(
            **{f"{prefix}{region_field}__in": self.regions}
        )

    def covers(self, country: str, region: str | None) -> bool:
        """The Python twin of `organisation_q`, for rows already read."""
        return self.everything or country in self.countries or region in self.regions

    @property
    def label(self) -> str:
        if self.everything:
            return str(_("All regions"))
        return ", ".join([*self.countries, *self.regions])


@dataclass(frozen=True)
class Figure:
    """One chart and its CSV rows: a title and (label, value) pairs."""

    key: str
    title: str
    rows: list[tuple[str, float]] = field(default_factory=list)


def insight_scope_for(*, user: AnyUser) -> InsightScope | None:
    """Staff see everything; a programme manager their areas; everyone else nothing."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return InsightScope(everything=True)
    areas = list(ProgrammeManager.objects.filter(user=user).values_list("country", "region_id"))
    if not areas:
        return None
    return InsightScope(
        countries=tuple(sorted({c for c, _r in areas if c})),
        regions=tuple(sorted({r for _c, r in areas if r})),
    )


def region_posting_counts(*, user: AnyUser, kind: str, technique: str = "") -> dict[str, int]:
    """Open postings per NUTS-2 region of their organisation, counted exactly as the
    marketplace lists them for `?region=<code>&techniques=<technique>`."""
    filters = PostingFilters(techniques=(technique,) if technique else ())
    rows = (
        posting_search(model=MAP_KINDS[kind], user=user, filters=filters)
        .order_by()
        .filter(organisation__region__isnull=False)
        .values("organisation__region_id")
        .annotate(n=Count("id"))
    )
    return {row["organisation__region_id"]: row["n"] for row in rows}


def _postings_in_scope(*, model, user: AnyUser, scope: InsightScope) -> QuerySet:
    return posting_list_visible_to(model=model, user=user).filter(
        scope.organisation_q("organisation__")
    )


def _tally(values: list[list[str]], labels: dict) -> list[tuple[str, float]]:
    counts = Counter(code for codes in values for code in codes)
    return [(str(labels.get(code, code)), n) for code, n in counts.most_common()]


def _since():
    return (timezone.now() - timedelta(days=31 * MONTHS_SHOWN)).replace(day=1)


def _month(value) -> str:
    return value.strftime("%Y-%m")


def _per_month(queryset: QuerySet, date_field: str) -> list[tuple[str, float]]:
    since = _since()
    rows = (
        queryset.filter(**{f"{date_field}__gte": since})
        .annotate(month=TruncMonth(date_field))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [(_month(row["month"]), row["n"]) for row in rows]


def insight_figures(*, user: AnyUser, scope: InsightScope) -> list[Figure]:
    """The dashboard's figures for `scope`, as seen by `user`."""
    all_needs = _postings_in_scope(model=Need, user=user, scope=scope)
    all_capabilities = _postings_in_scope(model=Capability, user=user, scope=scope)
    needs, capabilities = all_needs.filter(status="open"), all_capabilities.filter(status="open")
    technique_labels, domain_labels = dict(Technique.choices), dict(Domain.choices)
    need_rows = list(needs.values_list("techniques", "domains"))
    capability_rows = list(capabilities.values_list("techniques", "domains"))
    organisations = Organisation.objects.filter(scope.organisation_q())
    feedback = SuggestionFeedback.objects.filter(
        Q(source_need__organisation__in=organisations)
        | Q(source_capability__organisation__in=organisations)
        | Q(source_organisation__in=organisations)
    )
    action_labels = dict(SuggestionFeedback.Action.choices)
    return [
        Figure(
            "needs_by_technique",
            str(_("Open needs by AI technique")),
            _tally([t for t, _d in need_rows], technique_labels),
        ),
        Figure(
            "capabilities_by_technique",
            str(_("Open capabilities by AI technique")),
            _tally([t for t, _d in capability_rows], technique_labels),
        ),
        Figure(
            "postings_by_domain",
            str(_("Open needs and capabilities by application domain")),
            _tally([d for _t, d in need_rows + capability_rows], domain_labels),
        ),
        Figure(
            "suggestion_verdicts",
            str(_("What members did with suggestions")),
            [
                (str(action_labels[row["action"]]), row["n"])
                for row in feedback.order_by().values("action").annotate(n=Count("id"))
            ],
        ),
        Figure(
            "needs_per_month",
            str(_("New needs per month")),
            _per_month(all_needs, "created_at"),
        ),
        Figure(
            "capabilities_per_month",
            str(_("New capabilities per month")),
            _per_month(all_capabilities, "created_at"),
        ),
        Figure(
            "organisations_by_kind",
            str(_("Organisations by kind")),
            [
                (str(dict(Organisation.Kind.choices)[row["kind"]]), row["n"])
                for row in organisations.order_by().values("kind").annotate(n=Count("id"))
            ],
        ),
        *_funnel_figures(scope),
        *_partnership_figures(scope),
    ]


def _funnel_figures(scope: InsightScope) -> list[Figure]:
    """Suggestions shown (the daily counters), contact requests sent by organisations in
    scope and the share of the answered ones that were accepted, per month: two queries."""
    shown = (
        SuggestionsShown.objects.filter(scope.organisation_q(region_field="region"))
        .filter(day__gte=_since().date())
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(n=Sum("shown"))
        .order_by("month")
    )
    requests = (
        ContactRequest.objects.filter(scope.organisation_q("sender_organisation__"))
        .filter(created_at__gte=_since())
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(status=ContactRequest.Status.ACCEPTED)),
            declined=Count("id", filter=Q(status=ContactRequest.Status.DECLINED)),
        )
        .order_by("month")
    )
    requests = list(requests)
    return [
        Figure(
            "suggestions_shown_per_month",
            str(_("Suggestions shown per month")),
            [(_month(row["month"]), row["n"]) for row in shown],
        ),
        Figure(
            "contact_requests_per_month",
            str(_("Contact requests sent per month")),
            [(_month(row["month"]), row["sent"]) for row in requests],
        ),
        Figure(
            "acceptance_rate_per_month",
            str(_("Accepted share of answered contact requests per month (%)")),
            [
                (_month(row["month"]), round(100 * row["accepted"] / answered, 1))
                for row in requests
                if (answered := row["accepted"] + row["declined"])
            ],
        ),
    ]


def _partnership_figures(scope: InsightScope) -> list[Figure]:
    """Contacts that reached a partnership or contract with at least one side in scope:
    by NUTS-2 region and kind of the sides in scope (a partnership of two organisations in
    scope counts for both), by AI technique of the postings it was about, and per month
    of its first such outcome. One query; partnerships are few, the tally is in Python."""
    sides = ("sender_organisation", "recipient_organisation")
    postings = ("about_need", "about_capability", "target_need", "target_capability")
    rows = (
        ContactRequest.objects.filter(outcomes__stage__in=PARTNERSHIP_STAGES)
        .filter(scope.organisation_q(f"{sides[0]}__") | scope.organisation_q(f"{sides[1]}__"))
        .order_by()
        .values(
            "id",
            *(f"{side}__{name}" for side in sides for name in ("country", "region_id", "kind")),
            *(f"{posting}__techniques" for posting in postings),
        )
        .annotate(
            since=Min("outcomes__created_at", filter=Q(outcomes__stage__in=PARTNERSHIP_STAGES))
        )
    )
    regions, kinds, techniques, months = Counter(), Counter(), Counter(), Counter()
    for row in rows:
        for side in sides:
            region = row[f"{side}__region_id"]
            if scope.covers(row[f"{side}__country"], region):
                regions[region or str(_("no region"))] += 1
                kinds[row[f"{side}__kind"]] += 1
        techniques.update({t for p in postings for t in row[f"{p}__techniques"] or ()})
        if row["since"] >= _since():
            months[_month(row["since"])] += 1
    kind_labels, technique_labels = dict(Organisation.Kind.choices), dict(Technique.choices)
    return [
        Figure(
            "partnerships_by_region",
            str(_("Partnerships by NUTS-2 region")),
            [(code, n) for code, n in regions.most_common()],
        ),
        Figure(
            "partnerships_by_kind",
            str(_("Partnerships by kind of organisation")),
            [(str(kind_labels.get(k, k)), n) for k, n in kinds.most_common()],
        ),
        Figure(
            "partnerships_by_technique",
            str(_("Partnerships by AI technique")),
            [(str(technique_labels.get(t, t)), n) for t, n in techniques.most_common()],
        ),
        Figure(
            "partnerships_per_month",
            str(_("New partnerships per month")),
            sorted(months.items()),
        ),
    ]
