from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _
from pgvector.django import VectorField

from accounts.models import Organisation, Visibility
from matchmaking.taxonomy import (
    BudgetBand,
    CollaborationType,
    Domain,
    RegionScope,
    Sovereignty,
    Technique,
)

# Longest posting description accepted (pages and API alike, matchmaking/services.py):
# about ten pages of text, far more than a need or offer takes, and it bounds the cost of
# embedding a posting and of its full-text vector.
DESCRIPTION_MAX_LENGTH = 20_000


class PostingQuerySet(models.QuerySet):
    """Postings that, once loaded, hide the owner of anonymous postings from a viewer
    (`masked_for`; the rule is in matchmaking/collaboration/anonymity.py)."""

    _mask_viewer = None
    _mask_member_of: Iterable[int] = ()

    def masked_for(self, user, *, member_of: Iterable[int]) -> "PostingQuerySet":
        """`member_of`: the user's organisation ids (a list or a subquery, read only when
        an anonymous posting is loaded)."""
        clone = self._chain()
        clone._mask_viewer, clone._mask_member_of = user, member_of
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._mask_viewer, clone._mask_member_of = self._mask_viewer, self._mask_member_of
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._mask_viewer is not None and self._iterable_class is ModelIterable:
            from matchmaking.collaboration.anonymity import mask_postings

            mask_postings(
                self._result_cache, user=self._mask_viewer, member_of=self._mask_member_of
            )


def _choice_array(choices: type[models.TextChoices], label: str) -> ArrayField:
    return ArrayField(
        models.CharField(max_length=32, choices=choices.choices),
        verbose_name=label,
        default=list,
        blank=True,
    )


class Posting(models.Model):
    """What needs and capabilities share. `search_vector` is kept by a database trigger
    (migration 0002) over title and description in both the English and the German
    configuration, so a query in either language finds either."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    language = models.CharField(_("language"), max_length=2, default="en", editable=False)
    techniques = _choice_array(Technique, _("AI techniques"))
    domains = _choice_array(Domain, _("application domains"))
    collaboration_types = _choice_array(CollaborationType, _("collaboration types"))
    sovereignty = _choice_array(Sovereignty, _("sovereignty requirements"))
    region_scope = models.CharField(
        _("region scope"), max_length=16, choices=RegionScope.choices, default=RegionScope.EU
    )
    budget_band = models.CharField(
        _("budget"), max_length=16, choices=BudgetBand.choices, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Anonymous mode (as in the EEN partnering database): the poster's organisation stays
    # hidden until the poster accepts a contact request (matchmaking/collaboration/anonymity.py).
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Hide your organisation's name, city and contacts until you accept a contact "
            "request; region and kind still show."
        ),
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict:
        """Stored on audit-log entries (accounts/audit.py)."""
        return {"organisation_id": self.organisation_id}


class Need(Posting):
    """What an organisation is looking for. TRL is the readiness it needs."""

    trl = models.PositiveSmallIntegerField(
        _("technology readiness needed (TRL)"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )

    class Meta(Posting.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [GinIndex(fields=["search_vector"], name="need_search_gin")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__gte=1, trl__lte=9), name="need_trl_1_to_9"
            )
        ]


class Capability(Posting):
    """What an organisation offers. TRL is the readiness it has reached."""

    trl = models.PositiveSmallIntegerField(
        _("technology readiness reached (TRL)"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )

    class Meta(Posting.Meta):
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        indexes = [GinIndex(fields=["search_vector"], name="capability_search_gin")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__gte=1, trl__lte=9), name="capability_trl_1_to_9"
            )
        ]


class Embedding(models.Model):
    """One vector of one text piece of a need, capability or organisation, by one encoder.

    Dimensions differ per encoder, so the column has none; each encoder gets a partial
    HNSW index on `vector::vector(dim)` (see matchmaking/vectors.py). `chunk` 0 is the
    whole text; higher chunks are single statements, scored on their own and max-pooled,
    because MiniLM reads only the first ~1,000 characters. `text_hash` tells which
    vectors are stale after a text or model change."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, null=True, related_name="+")
    capability = models.ForeignKey(
        Capability, on_delete=models.CASCADE, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    encoder = models.CharField(max_length=100)
    chunk = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(blank=True)
    text_hash = models.CharField(max_length=64)
    vector = VectorField()
    # A database default: rows are written by binary COPY (matchmaking/vectors.py),
    # which bypasses auto_now_add.
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(need__isnull=False, capability__isnull=True, organisation__isnull=True)
                    | models.Q(
                        need__isnull=True, capability__isnull=False, organisation__isnull=True
                    )
                    | models.Q(
                        need__isnull=True, capability__isnull=True, organisation__isnull=False
                    )
                ),
                name="embedding_exactly_one_owner",
            ),
            models.UniqueConstraint(
                fields=["need", "encoder", "chunk"], name="embedding_unique_need_chunk"
            ),
            models.UniqueConstraint(
                fields=["capability", "encoder", "chunk"], name="embedding_unique_capability_chunk"
            ),
            models.UniqueConstraint(
                fields=["organisation", "encoder", "chunk"],
                name="embedding_unique_organisation_chunk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.encoder} chunk {self.chunk}"


class SuggestionFeedback(models.Model):
    """A user's verdict on one suggested pair; dismissed pairs never come back to that user
    and all verdicts feed evaluation and re-ranking.

    Exactly one source (what the suggestions were for) and one target (what was suggested)
    are set. `score`, `rank` and `explanation` keep what the user saw when acting, so an
    offline evaluation can replay the ranking that earned the verdict."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved")
        DISMISSED = "dismissed", _("Not relevant")
        CONTACTED = "contacted", _("Contacted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    source_need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_capability = models.ForeignKey(
        Capability, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_capability = models.ForeignKey(
        Capability, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    score = models.FloatField(_("score shown"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("position shown"), null=True, blank=True)
    explanation = models.JSONField(_("signals shown"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suggestion feedback")
        verbose_name_plural = _("suggestion feedback")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        source_need__isnull=False,
                        source_capability__isnull=True,
                        source_organisation__isnull=True,
                    )
                    | models.Q(
                        source_need__isnull=True,
                        source_capability__isnull=False,
                        source_organisation__isnull=True,
                    )
                    | models.Q(
                        source_need__isnull=True,
                        source_capability__isnull=True,
                        source_organisation__isnull=False,
                    )
                ),
                name="feedback_exactly_one_source",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        target_need__isnull=False,
                        target_capability__isnull=True,
                        target_organisation__isnull=True,
                    )
                    | models.Q(
                        target_need__isnull=True,
                        target_capability__isnull=False,
                        target_organisation__isnull=True,
                    )
                    | models.Q(
                        target_need__isnull=True,
                        target_capability__isnull=True,
                        target_organisation__isnull=False,
                    )
                ),
                name="feedback_exactly_one_target",
            ),
            # One row per verdict and pair: repeating an action updates it (see feedback.py).
            models.UniqueConstraint(
                fields=[
                    "user",
                    "action",
                    "source_need",
                    "source_capability",
                    "source_organisation",
                    "target_need",
                    "target_capability",
                    "target_organisation",
                ],
                nulls_distinct=False,
                name="feedback_unique_user_action_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action}"


class Match(models.Model):
    """One stored suggestion: `target` ranked for `source` by the suggestion engine in a
    worker (matchmaking/suggestions/store.py), so pages read a bounded, indexed list
    instead of ranking on request. Sources and targets are a kind ("need", "capability",
    "organisation", matchmaking.kinds) and an id, like the embeddings' owners; rows of a
    deleted posting are removed by its delete service, and readers join targets through
    the visibility gate, so a row can never show what its reader may not see.

    The row is computed for any signed-in member of the source's organisation; what is
    per viewer (visibility, own organisations, dismissals, feedback) is applied when read.
    `signals` keeps the ranking inputs that reasons are written from, so they render in the
    reader's language; `reasons` keeps them in the default language for exports."""

    source_kind = models.CharField(max_length=16)
    source_id = models.BigIntegerField()
    target_kind = models.CharField(max_length=16)
    target_id = models.BigIntegerField()
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    contributions = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    signals = models.JSONField(default=dict)
    explanation = models.JSONField(default=dict)
    sentence_pair = models.JSONField(null=True, blank=True)
    version = models.CharField(max_length=32)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "target_kind", "target_id"],
                name="match_unique_pair",
            )
        ]
        indexes = [
            models.Index(
                fields=["source_kind", "source_id", "target_kind", "rank"], name="match_list"
            ),
            models.Index(fields=["target_kind", "target_id"], name="match_target"),
        ]

    def __str__(self) -> str:
        return f"{self.source_kind} {self.source_id} → {self.target_kind} {self.target_id}"


class MatchSource(models.Model):
    """A source whose matches are in the store, with the engine version that computed
    them. No row: its suggestions are still being prepared."""

    kind = models.CharField(max_length=16)
    source_id = models.BigIntegerField()
    version = models.CharField(max_length=32)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="match_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} ({self.version})"


class OrganisationImport(models.Model):
    """One bulk import of organisations (matchmaking/onboarding/): what was written, what
    was skipped, and how far embedding and ranking have come in the background."""

    filename = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisations = models.PositiveIntegerField(default=0)
    postings = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)
    # Organisation ids per background batch, in order.
    chunks = models.JSONField(default=list, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_embedded = models.PositiveIntegerField(default=0)
    sources_total = models.PositiveIntegerField(null=True, blank=True)
    sources_ranked = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")

    def __str__(self) -> str:
        return f"{self.filename or 'import'} ({self.organisations} organisations)"

    @property
    def progress(self) -> int:
        """Percent done: embedding counts for two thirds, ranking for one."""
        if self.finished_at is not None:
            return 100
        embedded = self.chunks_embedded / self.chunks_total if self.chunks_total else 1.0
        ranked = self.sources_ranked / self.sources_total if self.sources_total else 0.0
        return int(100 * (2 * embedded + ranked) / 3)


class EmbeddingMark(models.Model):
    """An owner whose embedded text may have changed since it was last checked: written by
    database triggers on every insert, update and delete of needs, capabilities and
    organisations (a posting marks its organisation too, whose text carries it; migration
    0008), whatever made the change (services, admin, bulk updates, SQL). The embedding
    service removes the mark once the owner's vectors are verified current. The backlog and
    the catch-up check only marked owners and owners without vectors of an encoder, instead
    of reading every text."""

    kind = models.CharField(max_length=16)
    owner_id = models.BigIntegerField()
    marked_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "owner_id"], name="embedding_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.owner_id}"
