"""Reads for needs and capabilities. Every page, API view and suggestion loads postings
through `posting_list_visible_to`, so the visibility rule lives in one place."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import Visibility
from accounts.selectors import (
    AnyUser,
    organisation_id_subquery,
    organisation_ids_of,
    visible_visibilities,
)
from matchmaking.models import Capability, Need, Posting


def posting_list_visible_to(
    *, model: type[Posting], user: AnyUser, organisation_ids: Iterable[int] | None = None
) -> QuerySet:
    """A posting shows when both it and its organisation are visible to the user, or when
    the user is a member of the owning organisation. `organisation_ids` (the user's own,
    as a list or a subquery) saves the query for them when the caller has them already.
    Loaded postings that are anonymous show a stand-in owner unless the user may know it
    (matchmaking/collaboration/anonymity.py)."""
    levels = visible_visibilities(user)
    if organisation_ids is None:
        organisation_ids = organisation_ids_of(user)
    return (
        model.objects.filter(
            Q(visibility__in=levels, organisation__visibility__in=levels)
            | Q(organisation_id__in=organisation_ids)
        )
        .select_related("organisation", "organisation__region")
        .masked_for(user, member_of=organisation_ids)
    )


def need_list_visible_to(*, user: AnyUser) -> QuerySet[Need]:
    return posting_list_visible_to(model=Need, user=user)


def capability_list_visible_to(*, user: AnyUser) -> QuerySet[Capability]:
    return posting_list_visible_to(model=Capability, user=user)


def access_need(*, user: AnyUser, need_id: int) -> Need:
    """The one gate for reading a need: 404 alike for missing and not visible."""
    return get_object_or_404(need_list_visible_to(user=user), id=need_id)


def access_capability(*, user: AnyUser, capability_id: int) -> Capability:
    """The one gate for reading a capability: 404 alike for missing and not visible."""
    return get_object_or_404(capability_list_visible_to(user=user), id=capability_id)


@dataclass(frozen=True)
class AuthoredPosting:
    """One line of "My postings": needs and capabilities come from one UNION query."""

    kind: str
    id: int
    title: str
    status: str
    visibility: str
    organisation_name: str

    @property
    def url(self) -> str:
        return reverse(f"matchmaking:{self.kind}_detail", args=[self.id])

    @property
    def kind_label(self) -> str:
        model = Need if self.kind == "need" else Capability
        return str(model._meta.verbose_name).capitalize()

    @property
    def status_label(self) -> str:
        return Posting.Status(self.status).label

    @property
    def visibility_label(self) -> str:
        return Visibility(self.visibility).label


def posting_list_authored_by(*, user: AnyUser, limit: int = 20) -> list[AuthoredPosting]:
    """The user's own needs and capabilities, open and closed, newest change first, in one
    query. Read through the visibility gate: someone who left an organisation no longer
    sees its hidden postings, even those they wrote."""
    if not user.is_authenticated:
        return []
    own = organisation_id_subquery(user)
    fields = ("kind", "id", "title", "status", "visibility", "organisation__name", "updated_at")
    needs, capabilities = (
        posting_list_visible_to(model=model, user=user, organisation_ids=own)
        .filter(author=user)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list(*fields)
        for model, kind in ((Need, "need"), (Capability, "capability"))
    )
    rows = needs.union(capabilities, all=True).order_by("-updated_at")[:limit]
    return [AuthoredPosting(*row[:-1]) for row in rows]
