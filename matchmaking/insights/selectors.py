"""Aggregate reads for the regional dashboard and the map. Every posting count goes
through `posting_search`/`posting_list_visible_to`, so a figure never counts what its
viewer could not open: the map's number for a region is the marketplace's number for the
same filters (tests/matchmaking/test_insights.py holds them equal)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, ProgrammeManager
from accounts.selectors import AnyUser
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

    def organisation_q(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{prefix}country__in": self.countries}) | Q(
            **{f"{prefix}region_id__in": self.regions}
        )

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


def _per_month(queryset: QuerySet, date_field: str) -> list[tuple[str, float]]:
    since = (timezone.now() - timedelta(days=31 * MONTHS_SHOWN)).replace(day=1)
    rows = (
        queryset.filter(**{f"{date_field}__gte": since})
        .annotate(month=TruncMonth(date_field))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [(row["month"].strftime("%Y-%m"), row["n"]) for row in rows]


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
    ]
