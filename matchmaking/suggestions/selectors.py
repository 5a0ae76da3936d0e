"""The match store, reads: what pages, the API and other features get as suggestions.

    matches_for(source=, viewer=, target_kind=, limit=)   -> [Suggestion], best first
    suggestions_for_need(need=, user=)                     -> NeedSuggestions
    suggestion_list_for_capability(capability=, user=)     -> [Suggestion] of needs
    organisation_suggestion_list(organisation=, user=)     -> [Suggestion] of organisations
    suggestion_find(source=, target=, user=)               -> one pair's Suggestion or None
    matches_pending(source=)                               -> True while being prepared
    match_scores(source_kind=, source_ids=, target_kind=)  -> {(source id, target id): score}

A read is a bounded, indexed list (Match rows of one source, by rank) and a fixed number of
queries whatever its length: the rows, the targets of each kind through the one visibility
gate, the reader's feedback, the liked items. Per reader, at read time: targets the reader
may not see, closed or deleted ones and those of the reader's own organisations vanish,
dismissed pairs are gone, and saved or contacted look-alikes get the feedback signal
(score, contributions and reasons as the engine would give them). Reasons are written in
the reader's language from the stored signals. Nothing here encodes text or loads a model.

Callers of the suggestion lists must have checked that the reader may see the source's
suggestions (matchmaking.suggestions.feedback.access_suggestion_source)."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields

from django.db.models import Q

from accounts.selectors import AnyUser, organisation_ids_of, organisation_list_visible_to
from matchmaking import ranking
from matchmaking.collaboration.selectors import excluded_organisation_ids
from matchmaking.kinds import (
    CAPABILITY,
    NEED,
    ORGANISATION,
    POSTING_KINDS,
    TARGET_KINDS,
    Item,
    item_kind,
    item_organisation_id,
    posting_model,
)
from matchmaking.models import Match, MatchSource, Posting, SuggestionFeedback
from matchmaking.network.graph import Collaboration
from matchmaking.network.selectors import (
    PROJECT,
    WarmIntroduction,
    collaboration_text,
    project_keys_shown,
)
from matchmaking.selectors import posting_list_visible_to
from matchmaking.sovereignty import EXCLUDED, sovereignty_states
from matchmaking.suggestions.feedback import feedback_actions_for_source, liked_item_list
from matchmaking.suggestions.organisations import (
    reciprocal_reasons,
    with_network_for_organisation,
)
from matchmaking.suggestions.postings import posting_text
from matchmaking.suggestions.signals import feedback_value, terms
from matchmaking.suggestions.types import (
    Contribution,
    NeedSuggestions,
    SentencePair,
    Suggestion,
)
from matchmaking.taxonomy import Domain, Language, Technique

DEFAULT_LIMIT = 10
# Rows read per kind when the stored order holds for the reader: this many times the
# rows shown, enough unless the reader dismissed, excluded or may not see many of them
# (then every stored row is read, a second query).
WINDOW = 2
ORGANISATION_LIMIT = 5
DISMISSED = SuggestionFeedback.Action.DISMISSED
_SIGNAL_FIELDS = {field.name for field in fields(ranking.CandidateSignals)}


def matches_for(
    *,
    source: Item,
    viewer: AnyUser,
    target_kind: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    member_of: Collection[int] | None = None,
) -> list[Suggestion]:
    """The suggestions of `source` for `viewer`, best first, of one target kind (default:
    the first kind suggested for the source); `limit` None reads all stored ones.
    `member_of`: the viewer's organisation ids when the caller has them already."""
    kind = target_kind or TARGET_KINDS[item_kind(source)][0]
    return _read(source=source, viewer=viewer, limits={kind: limit}, member_of=member_of)[kind]


def suggestions_for_need(
    *,
    need: Posting,
    user: AnyUser,
    limit: int = DEFAULT_LIMIT,
    organisation_limit: int = ORGANISATION_LIMIT,
    member_of: Collection[int] | None = None,
) -> NeedSuggestions:
    """Capabilities of other organisations for a need and the organisations behind them."""
    found = _read(
        source=need,
        viewer=user,
        limits={CAPABILITY: limit, ORGANISATION: organisation_limit},
        member_of=member_of,
    )
    return NeedSuggestions(capabilities=found[CAPABILITY], organisations=found[ORGANISATION])


def suggestion_list_for_need(
    *, need: Posting, user: AnyUser, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    return matches_for(source=need, viewer=user, target_kind=CAPABILITY, limit=limit)


def suggestion_list_for_capability(
    *,
    capability: Posting,
    user: AnyUser,
    limit: int = DEFAULT_LIMIT,
    member_of: Collection[int] | None = None,
) -> list[Suggestion]:
    """Needs of other organisations that the capability could answer."""
    return matches_for(
        source=capability, viewer=user, target_kind=NEED, limit=limit, member_of=member_of
    )


def organisation_suggestion_list(
    *, organisation, user: AnyUser, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """Reciprocal partner organisations (see organisations.py for how they rank)."""
    return matches_for(source=organisation, viewer=user, target_kind=ORGANISATION, limit=limit)


def suggestion_find(*, source: Item, target: Item, user: AnyUser) -> Suggestion | None:
    """The suggestion of one pair as `user` sees it now (score, rank, signals), or None
    when it is not in the stored list. Stored with feedback: what the user was shown."""
    kind = item_kind(target)
    if kind not in TARGET_KINDS[item_kind(source)]:
        return None
    for suggestion in matches_for(source=source, viewer=user, target_kind=kind, limit=None):
        if suggestion.target.id == target.id:
            return suggestion
    return None


def matches_pending(*, source: Item) -> bool:
    """True while the source's suggestions are being computed (saved, not ranked yet)."""
    return not MatchSource.objects.filter(kind=item_kind(source), source_id=source.id).exists()


def match_scores(
    *, source_kind: str, source_ids: Collection[int], target_kind: str
) -> dict[tuple[int, int], float]:
    """{(source id, target id): stored score} for many sources in one query: for features
    that weigh pairs in bulk (meeting scheduling, team building). The scores are the
    engine's, before anything per reader; filter the ids through the visibility gate first."""
    rows = Match.objects.filter(
        source_kind=source_kind, source_id__in=list(source_ids), target_kind=target_kind
    ).values_list("source_id", "target_id", "score")
    return {(source_id, target_id): score for source_id, target_id, score in rows}


# Reading one source -------------------------------------------------------------------


def _read(
    *,
    source: Item,
    viewer: AnyUser,
    limits: dict[str, int | None],
    member_of: Collection[int] | None,
    windowed: bool = True,
) -> dict[str, list[Suggestion]]:
    actions = feedback_actions_for_source(user=viewer, source=source)
    liked = {
        kind: liked_item_list(user=viewer, kind=kind) for kind in limits if kind != ORGANISATION
    }
    # Where the stored order holds for this reader (no feedback of theirs can lift a row,
    # no network applied now), only the first rows are read (see WINDOW).
    windows = {
        kind: WINDOW * limit
        for kind, limit in limits.items()
        if windowed
        and limit is not None
        and not liked.get(kind)
        and not (kind == ORGANISATION and item_kind(source) == ORGANISATION)
    }
    within = Q()
    for kind in limits:
        within |= (
            Q(target_kind=kind, rank__lte=windows[kind]) if kind in windows else Q(target_kind=kind)
        )
    rows = list(
        Match.objects.filter(source_kind=item_kind(source), source_id=source.id)
        .filter(within)
        .order_by("target_kind", "rank")
    )
    found: dict[str, list[Suggestion]] = {kind: [] for kind in limits}
    if not rows and ORGANISATION not in limits:
        return found
    member_of = set(organisation_ids_of(viewer) if member_of is None else member_of)
    # Exclusions between organisations hold both ways and count from the moment they are
    # declared, not from the next ranking.
    source_organisation = item_organisation_id(source)
    excluded = (
        member_of
        | {source_organisation}
        | excluded_organisation_ids(organisation_ids=[source_organisation])
    )
    loaded = _load_items(rows, viewer, member_of)
    # Filter and score every row (cheap), then build only the suggestions shown.
    kept: dict[str, list[_Kept]] = {kind: [] for kind in limits}
    for row in rows:
        target = loaded[row.target_kind].get(row.target_id)
        if target is None or item_organisation_id(target) in excluded:
            continue
        done = actions.get((row.target_kind, row.target_id), set())
        if DISMISSED in done or not _sovereignty_ok(source, target):
            continue
        kept[row.target_kind].append(
            _kept(row, target, frozenset(done), liked.get(row.target_kind, ()))
        )
    if any(
        len(kept[kind]) < limits[kind]
        and any(row.target_kind == kind and row.rank >= windows[kind] for row in rows)
        for kind in windows
    ):
        # The reader left out too many of the first rows, and there are more: read all.
        return _read(
            source=source, viewer=viewer, limits=limits, member_of=member_of, windowed=False
        )
    shown = [k.row for items in kept.values() for k in items]
    records = _network_records_shown(shown)
    for kind, items in kept.items():
        if kind in POSTING_KINDS:
            # The reader's feedback may have moved scores.
            items.sort(key=lambda k: (-k.score, k.row.rank))
        # A need's organisations keep their stored order: the network's, computed when
        # ranked (store.py); feedback does not score organisations.
        network_after = kind == ORGANISATION and item_kind(source) == ORGANISATION
        wanted = None if network_after else limits[kind]
        suggestions = found[kind]
        for item in items:
            if wanted is not None and len(suggestions) >= wanted:
                break
            suggestion = _suggestion(item, source, loaded)
            if suggestion is not None:
                _network(suggestion, item.row, loaded, records)
                suggestions.append(suggestion)
        if network_after:
            # An organisation's partner list: the collaboration network for this reader,
            # partners of partners with warm introductions (matchmaking/network/).
            suggestions.sort(key=lambda s: (-s.score, s.rank))
            suggestions[:] = with_network_for_organisation(
                organisation=source,
                user=viewer,
                text=suggestions,
                limit=_or_all(limits[kind], suggestions),
            )
        for position, suggestion in enumerate(suggestions, start=1):
            suggestion.rank = position
    return found


@dataclass
class _Kept:
    """A stored row that passed the reader's filters, with its score for this reader."""

    row: Match
    target: Item
    actions: frozenset[str]
    feedback: float
    score: float
    contributions: dict[str, float]


def _kept(row: Match, target: Item, actions: frozenset[str], liked: Sequence) -> _Kept:
    """The feedback signal for this reader (their saved and contacted look-alikes), as the
    engine gives it: stored lists are ranked without any reader's feedback."""
    contributions = dict(row.contributions)
    score, feedback = row.score, 0.0
    if row.target_kind in POSTING_KINDS and liked:
        feedback = feedback_value(target_kind=row.target_kind, target=target, liked=liked)
        part = ranking.WEIGHTS.feedback * max(-1.0, min(1.0, feedback))
        score += part - contributions.get(ranking.FEEDBACK, 0.0)
        contributions[ranking.FEEDBACK] = part
    return _Kept(row, target, actions, feedback, score, contributions)


def _or_all(limit: int | None, suggestions: list[Suggestion]) -> int:
    return limit if limit is not None else len(suggestions)


def _network_records_shown(rows: Sequence[Match]) -> set[tuple]:
    """Keys of the stored project records that still count now (one query, and only when
    the rows have any): a project hidden or deleted since ranking is never quoted."""
    keys = {
        tuple(record["key"])
        for row in rows
        for record in _records(row.explanation.get("network", {}))
        if record["source"] == PROJECT
    }
    return project_keys_shown(list(keys)) if keys else set()


def _records(network: dict) -> list[dict]:
    introductions = network.get("introductions", ())
    return [
        *network.get("worked_before", ()),
        *(i["ours"] for i in introductions),
        *(i["theirs"] for i in introductions),
    ]


def _network(suggestion: Suggestion, row: Match, loaded: dict, shown: set[tuple]) -> None:
    """A need's organisation suggestion gets its warm introductions (via a partner the
    reader may see now, through records that still count) and its "worked with before",
    written in the reader's language; their reasons come first, as on request."""
    network = row.explanation.get("network")
    if not network:
        return

    def counts(record: dict) -> bool:
        return record["source"] != PROJECT or tuple(record["key"]) in shown

    def text(record: dict) -> str:
        return collaboration_text(
            Collaboration(
                key=tuple(record["key"]),
                members=(),
                label=record["label"],
                year=record["year"],
                source=record["source"],
            )
        )

    partners = loaded[ORGANISATION]
    suggestion.introductions = [
        WarmIntroduction(partners[found["via"]], text(found["ours"]), text(found["theirs"]))
        for found in network.get("introductions", ())
        if found["via"] in partners and counts(found["ours"]) and counts(found["theirs"])
    ]
    suggestion.worked_before = [text(r) for r in network.get("worked_before", ()) if counts(r)]
    suggestion.reasons = [i.reason for i in suggestion.introductions] + suggestion.reasons


def _sovereignty_ok(source: Item, target: Item) -> bool:
    """The hard filter again at read time, so a changed requirement counts at once."""
    kinds = {item_kind(source), item_kind(target)}
    if kinds != {NEED, CAPABILITY}:
        return True
    need, capability = (source, target) if item_kind(source) == NEED else (target, source)
    states = sovereignty_states(need.sovereignty, capability.sovereignty, posting_text(capability))
    return EXCLUDED not in states.values()


def _load_items(
    rows: Sequence[Match], viewer: AnyUser, member_of: Collection[int]
) -> dict[str, dict[int, Item]]:
    """Every target and via posting of the rows that `viewer` may see now and that is
    open: one query per kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.target_kind].add(row.target_id)
        for found in row.explanation.get("network", {}).get("introductions", ()):
            wanted[ORGANISATION].add(found["via"])
        for pair in row.explanation.get("via", ()):
            wanted[pair["source_kind"]].add(pair["source_id"])
            wanted[pair["target_kind"]].add(pair["target_id"])
    loaded: dict[str, dict[int, Item]] = defaultdict(dict)
    for kind, ids in wanted.items():
        if kind in POSTING_KINDS:
            items = posting_list_visible_to(
                model=posting_model(kind), user=viewer, organisation_ids=list(member_of)
            ).filter(id__in=ids, status=Posting.Status.OPEN)
        else:
            items = organisation_list_visible_to(
                user=viewer, organisation_ids=list(member_of)
            ).filter(id__in=ids)
        loaded[kind] = {item.id: item for item in items}
    return loaded


def _suggestion(kept: _Kept, source: Item, loaded: dict) -> Suggestion | None:
    row, target, feedback = kept.row, kept.target, kept.feedback
    explanation = row.explanation
    strength = explanation.get("strength", 0)
    via = [pair for pair in (_via(p, loaded) for p in explanation.get("via", ())) if pair]
    if row.signals:
        signals = _signals(row, feedback)
        reasons = ranking.reasons_for(signals, kept.contributions)
        if feedback:
            # The 0–100 strength reads the score with the reader's feedback, as on request.
            strength = ranking.score_candidate(signals).strength
    else:
        # Reciprocal organisation pairs: written from the posting pairs that earned them.
        if not via:
            return None
        there = next((p for p in via if isinstance(p.source, posting_model(NEED))), None)
        back = next((p for p in via if isinstance(p.source, posting_model(CAPABILITY))), None)
        reasons = reciprocal_reasons(there, back)
    return Suggestion(
        kind=row.target_kind,
        target=target,
        source=None if item_kind(source) == ORGANISATION else source,
        score=kept.score,
        rank=row.rank,
        contributions=[Contribution(name, points) for name, points in kept.contributions.items()],
        reasons=reasons,
        shared_techniques=terms(explanation.get("techniques", ()), Technique),
        shared_domains=terms(explanation.get("domains", ()), Domain),
        shared_languages=terms(explanation.get("languages", ()), Language),
        distance_km=explanation.get("distance_km"),
        sentence_pair=_sentence_pair(row.sentence_pair),
        via=via,
        strength=strength,
        actions=kept.actions,
    )


def _signals(row: Match, feedback: float) -> ranking.CandidateSignals:
    """The stored ranking inputs, with shared terms labelled in the active language."""
    explanation = row.explanation

    def labels(key: str, vocabulary) -> list[str]:
        return [term.label for term in terms(explanation.get(key, ()), vocabulary)]

    values = {name: value for name, value in row.signals.items() if name in _SIGNAL_FIELDS}
    values |= {
        "candidate_id": row.target_id,
        "shared_techniques": labels("techniques", Technique),
        "shared_domains": labels("domains", Domain),
        "shared_languages": labels("languages", Language),
        "feedback": feedback,
    }
    return ranking.CandidateSignals(**values)


def _via(pair: dict, loaded: dict) -> Suggestion | None:
    source = loaded[pair["source_kind"]].get(pair["source_id"])
    target = loaded[pair["target_kind"]].get(pair["target_id"])
    if source is None or target is None:
        return None
    return Suggestion(
        kind=pair["target_kind"],
        target=target,
        source=source,
        score=pair["score"],
        strength=pair.get("strength", 0),
        sentence_pair=_sentence_pair(pair.get("sentence_pair")),
    )


def _sentence_pair(data: dict | None) -> SentencePair | None:
    return SentencePair(**data) if data else None
