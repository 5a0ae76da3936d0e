"""Writes for needs and capabilities. Needs and capabilities share one implementation,
parametrised by model; the public functions are thin names over it so that callers (views,
API) read naturally.

Only members of the owning organisation may write a posting. Staff edit through the Django
admin, which saves with `posting_save_by_staff` and `posting_delete_by_staff`: the same
language detection, validation and background work, only the membership check differs."""

import datetime
import hashlib
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import AnyUser, user_is_member
from accounts.services import require_confirmed_email
from config.background import enqueue_after_commit
from matchmaking.kinds import item_kind
from matchmaking.languages import detect_language
from matchmaking.models import DESCRIPTION_MAX_LENGTH, Capability, Need, Posting
from matchmaking.suggestions.store import matches_drop, matches_forget
from matchmaking.tasks import organisation_embed as organisation_embed_task
from matchmaking.tasks import posting_embed as posting_embed_task

P = TypeVar("P", Need, Capability)

# What a user may set. `organisation`, `author`, `language` and `search_vector` are
# decided by the platform, never by the caller.
POSTING_FIELDS = frozenset(
    {
        "title",
        "description",
        "trl",
        "techniques",
        "domains",
        "collaboration_types",
        "sovereignty",
        "region_scope",
        "budget_band",
        "deadline",
        "status",
        "visibility",
        "anonymous",
    }
)
_TEXT_FIELDS = frozenset({"title", "description"})


def _check_writer(*, user: AnyUser, organisation: Organisation) -> None:
    if not user_is_member(user=user, organisation=organisation):
        raise PermissionDenied("Only members of the organisation may change its postings.")


def _check_staff(*, user: AnyUser) -> None:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied("Only staff may change postings of any organisation.")


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - POSTING_FIELDS
    if unknown:
        raise TypeError(f"Not a writable posting field: {', '.join(sorted(unknown))}")


def _validate_posting(posting: Posting, *, previous_deadline: datetime.date | None) -> None:
    """The rules beyond the model's own fields, for pages and API alike, checked before
    anything reads the text: a description within DESCRIPTION_MAX_LENGTH (which also keeps
    its full-text vector far below PostgreSQL's 1 MB limit and its embedding cheap), no NUL
    characters (PostgreSQL cannot store them), and a new deadline not in the past (an
    existing one may stay when other fields change)."""
    errors: dict[str, list] = {}
    for name in ("title", "description"):
        if "\x00" in (getattr(posting, name) or ""):
            errors.setdefault(name, []).append(_("Null characters are not allowed."))
    if len(posting.description or "") > DESCRIPTION_MAX_LENGTH:
        errors.setdefault("description", []).append(
            _("At most %(limit)d characters (it has %(length)d).")
            % {"limit": DESCRIPTION_MAX_LENGTH, "length": len(posting.description)}
        )
    deadline = posting.deadline
    if deadline and deadline != previous_deadline and deadline < timezone.localdate():
        errors.setdefault("deadline", []).append(_("The deadline lies in the past."))
    if errors:
        raise ValidationError(errors)


# A create with the same author, organisation, title and description as one within this
# window is the same create, repeated (double click, retried request): it returns the
# posting made the first time.
REPEATED_CREATE_WINDOW = datetime.timedelta(hours=24)


def _same_posting_created_recently(posting: Posting) -> Posting | None:
    """The posting an identical earlier create made, or None. The content is the
    idempotency key, so neither pages nor API clients need to send one. A transaction
    advisory lock on that key makes parallel identical creates wait for each other: the
    second sees the first's committed row. Call inside the create's transaction."""
    key = "\x1f".join(
        [posting._meta.label, str(posting.organisation_id), str(posting.author_id)]
        + [posting.title, posting.description]
    )
    lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
    return (
        type(posting)
        .objects.filter(
            organisation_id=posting.organisation_id,
            author_id=posting.author_id,
            title=posting.title,
            description=posting.description,
            created_at__gte=timezone.now() - REPEATED_CREATE_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )


def _after_posting_saved(posting: Posting) -> None:
    """Hook for work that follows a saved text (embedding it). Called inside the write's
    transaction; anything that must see the committed row has to go through
    `transaction.on_commit`. Any save may change the organisation's text too (a closed
    posting leaves it), so every save enqueues; an unchanged text costs one hash check.
    A broker that is down, or (without a broker) a failed eager embedding, never fails the
    saved posting: the beat schedule's catch-up embeds it later (config/background.py)."""
    enqueue_after_commit(posting_embed_task, item_kind(posting), posting.id)


@transaction.atomic
def posting_create(
    *, model: type[P], organisation: Organisation, author: User, embed: bool = True, **fields: Any
) -> P:
    """Create a need or capability for `organisation`. Raises PermissionDenied unless the
    author is a member, ValidationError for bad values (then nothing is written).
    `embed=False` is for bulk imports, which embed everything in one batch afterwards
    (`manage.py embed --stale`) instead of one task per posting."""
    _check_writer(user=author, organisation=organisation)
    require_confirmed_email(user=author)
    _check_fields(fields)
    posting = model(organisation=organisation, author=author, **fields)
    _validate_posting(posting, previous_deadline=None)
    earlier = _same_posting_created_recently(posting)
    if earlier is not None:
        return earlier
    return _posting_save(posting, text_changed=True, embed=embed)


@transaction.atomic
def posting_update(*, posting: P, actor: AnyUser, **fields: Any) -> P:
    """Change the given fields of a posting; the others stay as they are."""
    _check_writer(user=actor, organisation=posting.organisation)
    _check_fields(fields)
    previous_deadline = posting.deadline
    for name, value in fields.items():
        setattr(posting, name, value)
    _validate_posting(posting, previous_deadline=previous_deadline)
    return _posting_save(posting, text_changed=bool(_TEXT_FIELDS & set(fields)))


@transaction.atomic
def posting_save_by_staff(*, posting: P, actor: AnyUser) -> P:
    """Save a posting as edited in the admin (new or changed, fields already set)."""
    _check_staff(user=actor)
    stored = type(posting).objects.filter(pk=posting.pk).values_list("deadline", flat=True)
    _validate_posting(posting, previous_deadline=stored.first() if posting.pk else None)
    return _posting_save(posting, text_changed=True)


def _posting_save(posting: P, *, text_changed: bool, embed: bool = True) -> P:
    """A changed text drops the posting's stored suggestions at once: they were ranked
    for the old text (the page says "being prepared" until the worker has re-ranked)."""
    if text_changed:
        posting.language = detect_language(f"{posting.title}\n{posting.description}")
        if posting.pk is not None:
            matches_drop(kind=item_kind(posting), item_id=posting.pk)
    posting.full_clean()
    posting.save()
    if embed:
        _after_posting_saved(posting)
    return posting


def posting_close(*, posting: P, actor: AnyUser) -> P:
    """A closed posting stays readable but leaves the default marketplace listing."""
    return posting_update(posting=posting, actor=actor, status=Posting.Status.CLOSED)


def posting_reopen(*, posting: P, actor: AnyUser) -> P:
    return posting_update(posting=posting, actor=actor, status=Posting.Status.OPEN)


@transaction.atomic
def posting_delete(*, posting: Posting, actor: AnyUser) -> None:
    """Delete for good; its embeddings and feedback rows go with it (CASCADE)."""
    _check_writer(user=actor, organisation=posting.organisation)
    _posting_delete(posting)


@transaction.atomic
def posting_delete_by_staff(*, posting: Posting, actor: AnyUser) -> None:
    _check_staff(user=actor)
    _posting_delete(posting)


def _posting_delete(posting: Posting) -> None:
    organisation_id = posting.organisation_id
    matches_forget(kind=item_kind(posting), item_id=posting.pk)
    posting.delete()
    organisation_embed_after_commit(organisation_id)


def organisation_embed_after_commit(organisation_id: int) -> None:
    """Re-embed an organisation once the write commits: its text holds its profile and open
    postings. An unchanged text costs one hash check; a failure to enqueue never fails
    the saved change (config/background.py)."""
    enqueue_after_commit(organisation_embed_task, organisation_id)


def need_create(
    *, organisation: Organisation, author: User, embed: bool = True, **fields: Any
) -> Need:
    return posting_create(
        model=Need, organisation=organisation, author=author, embed=embed, **fields
    )


def need_update(*, need: Need, actor: AnyUser, **fields: Any) -> Need:
    return posting_update(posting=need, actor=actor, **fields)


def capability_create(
    *, organisation: Organisation, author: User, embed: bool = True, **fields: Any
) -> Capability:
    return posting_create(
        model=Capability, organisation=organisation, author=author, embed=embed, **fields
    )


def capability_update(*, capability: Capability, actor: AnyUser, **fields: Any) -> Capability:
    return posting_update(posting=capability, actor=actor, **fields)


@transaction.atomic
def postings_purge_closed(*, older_than: datetime.timedelta) -> int:
    """GDPR retention: delete needs and capabilities closed and untouched for longer than
    `older_than` (the CLOSED_POSTING_RETENTION_DAYS setting). Their embeddings and feedback
    rows go with them; organisation texts are unaffected (closed postings are not in them).
    Returns how many were deleted."""
    cutoff = timezone.now() - older_than
    deleted = 0
    for model in (Need, Capability):
        count, _by_model = model.objects.filter(
            status=Posting.Status.CLOSED, updated_at__lt=cutoff
        ).delete()
        deleted += count
    return deleted
