"""Anonymous postings: the one place that decides who sees an anonymous posting's owner,
and the one presenter that hides it.

An anonymous need or capability shows its region, country and kind of organisation, never
its name, slug, city, website, description or people, until the poster accepts a contact
request from the viewer's organisation; then both sides see each other. Members of the
owning organisation always see their own posting as it is.

Every read of postings goes through `matchmaking.selectors.posting_list_visible_to`, whose
queryset masks the postings it loads (`PostingQuerySet.masked_for`). Pages, the API,
search, suggestions, e-mails and exports therefore only ever get the masked
organisation; code that needs the real owner (writes, the poster's own pages) loads
through the organisation's membership. Filtering by organisation would still reveal the
owner of a posting it returns, so lists of one organisation's postings go through
`attributable`."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.models import Organisation
from accounts.selectors import AnyUser, organisation_ids_of
from matchmaking.collaboration.models import (
    ANONYMOUS_NAME,
    AnonymousOrganisation,
    ContactRequest,
)


def anonymous_stand_in(organisation: Organisation) -> AnonymousOrganisation:
    stand_in = AnonymousOrganisation(
        id=None,
        name=str(ANONYMOUS_NAME),
        slug="",
        kind=organisation.kind,
        country=organisation.country,
        region_id=organisation.region_id,
        languages=list(organisation.languages or ()),
        visibility=organisation.visibility,
    )
    if organisation.region_id is not None:
        stand_in.region = organisation.region
    return stand_in


def revealed_organisation_ids(*, user: AnyUser, member_of: Iterable[int] | None = None) -> set[int]:
    """Organisations whose anonymous postings `user` sees unmasked: the user's own and those
    with an accepted contact request with one of them, in either direction."""
    own = set(organisation_ids_of(user) if member_of is None else member_of)
    if not own:
        return set()
    pairs = ContactRequest.objects.filter(
        Q(sender_organisation_id__in=own) | Q(recipient_organisation_id__in=own),
        status=ContactRequest.Status.ACCEPTED,
    ).values_list("sender_organisation_id", "recipient_organisation_id")
    return own | {org for pair in pairs for org in pair}


def is_masked(posting) -> bool:
    return getattr(posting.organisation, "is_anonymous", False)


def mask_postings(postings: Iterable, *, user: AnyUser, member_of: Iterable[int]) -> None:
    """Swap the organisation of each anonymous posting `user` may not attribute for its
    stand-in; `organisation_id` stays (ranking and exclusions need it, it is never shown).
    No query unless an anonymous posting is among them."""
    anonymous = [p for p in postings if p.anonymous]
    if not anonymous:
        return
    own = set(member_of)
    hidden = [p for p in anonymous if p.organisation_id not in own]
    if not hidden:
        return
    revealed = revealed_organisation_ids(user=user, member_of=own)
    for posting in hidden:
        if posting.organisation_id not in revealed:
            field = type(posting)._meta.get_field("organisation")
            field.set_cached_value(posting, anonymous_stand_in(posting.organisation))


def attributable(postings: QuerySet, *, user: AnyUser) -> QuerySet:
    """`postings` without the anonymous ones `user` may not attribute: for every list of
    one organisation's postings (its page, the API's `organisation` filter, exports by
    organisation), where the filter itself would name the owner."""
    return postings.exclude(
        Q(anonymous=True) & ~Q(organisation_id__in=revealed_organisation_ids(user=user))
    )
