"""Reads for needs and capabilities. Every page, API view and suggestion loads postings
through `posting_list_visible_to`, so the visibility rule lives in one place."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.selectors import AnyUser, organisation_ids_of, visible_visibilities
from matchmaking.models import Capability, Need, Posting


def posting_list_visible_to(*, model: type[Posting], user: AnyUser) -> QuerySet:
    """A posting shows when both it and its organisation are visible to the user, or when
    the user is a member of the owning organisation."""
    levels = visible_visibilities(user)
    return model.objects.filter(
        Q(visibility__in=levels, organisation__visibility__in=levels)
        | Q(organisation_id__in=organisation_ids_of(user))
    ).select_related("organisation", "organisation__region")


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
