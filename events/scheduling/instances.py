"""Random but realistic brokerage instances for `manage.py bench_schedule`, and the JSON
layout in which an instance and a schedule are written for outside checkers.

Realism, as the issue asks: kinds in the proportions of a regional AI fair; each person
available in 60–100% of slots; a per-person maximum of 4–10; scores skewed so that a few
participants are popular (a heavy-tailed popularity draws both who appears in pairs and
how good those pairs are); 10% of pairs are accepted requests, drawn so that together they
fit in a schedule (as accepted requests do on a real site, where each was accepted while
both sides still had room)."""

import math
import random

from events.scheduling.board import Board, pair_key
from events.scheduling.types import Instance, Meeting, Pair, Participant, Schedule

KIND_SHARES = {"sme": 0.4, "startup": 0.25, "research_institute": 0.2, "university": 0.15}
SLOTS_PER_DAY = 8
REQUESTED_SHARE = 0.10
MAX_REDRAWS = 50


def random_instance(
    *, participants: int, slots: int, tables: int, pairs: int, seed: int
) -> Instance:
    rng = random.Random(seed)  # noqa: S311 -- reproducible instances, not a secret
    slot_ids = tuple(range(slots))
    kinds = list(KIND_SHARES)
    people = []
    for pid in range(participants):
        share = rng.uniform(0.6, 1.0)
        available = frozenset(rng.sample(slot_ids, max(1, round(share * slots))))
        kind = rng.choices(kinds, weights=list(KIND_SHARES.values()))[0]
        people.append(Participant(pid, kind, available, rng.randint(4, 10)))
    popularity = [math.exp(rng.gauss(0.0, 1.0)) for _ in people]
    top = max(popularity)
    pair_limit = participants * (participants - 1) // 2
    seen: set[tuple[int, int]] = set()
    degree = [0] * participants
    drawn: list[Pair] = []
    asker = 0
    misses = 0
    while len(drawn) < min(pairs, pair_limit):
        # Everyone asks for a fair share of partners; the partner is drawn by popularity.
        a = asker % participants
        if degree[a] == participants - 1:
            asker += 1  # already paired with everyone
            continue
        b = rng.choices(range(participants), weights=popularity)[0]
        if a == b or pair_key(a, b) in seen:
            misses += 1
            if misses <= MAX_REDRAWS:
                continue
            # Nearly saturated: take the first partner still free.
            b = next(c for c in range(participants) if c != a and pair_key(a, c) not in seen)
        key = pair_key(a, b)
        seen.add(key)
        degree[a] += 1
        degree[b] += 1
        asker, misses = asker + 1, 0
        appeal = math.log1p(popularity[b]) / math.log1p(top)
        score = min(1.0, 0.1 + 0.45 * rng.betavariate(2, 5) + 0.45 * appeal)
        drawn.append(Pair(key[0], key[1], round(score, 3)))
    instance = Instance(
        slots=slot_ids,
        tables=tables,
        participants=tuple(people),
        pairs=tuple(drawn),
        day_of_slot={s: s // SLOTS_PER_DAY for s in slot_ids},
        fairness_target=fair_share(participants=participants, slots=slots, tables=tables),
    )
    return _with_requests(instance, rng)


def fair_share(*, participants: int, slots: int, tables: int) -> int:
    """The meetings each participant would get if every seat were shared out evenly: the
    default fairness target for SMEs."""
    return (slots * tables) // max(1, participants)


def _with_requests(instance: Instance, rng: random.Random) -> Instance:
    board = Board(instance)
    wanted = round(REQUESTED_SHARE * len(instance.pairs))
    order = list(range(len(instance.pairs)))
    rng.shuffle(order)
    requested: set[int] = set()
    for index in order:
        if len(requested) == wanted:
            break
        if board.try_book_earliest(instance.pairs[index]):
            requested.add(index)
    pairs = tuple(
        Pair(p.a, p.b, p.score, required=i in requested) for i, p in enumerate(instance.pairs)
    )
    return Instance(
        slots=instance.slots,
        tables=instance.tables,
        participants=instance.participants,
        pairs=pairs,
        day_of_slot=instance.day_of_slot,
        fairness_target=instance.fairness_target,
    )


def instance_as_json(instance: Instance) -> dict:
    return {
        "slots": list(instance.slots),
        "tables": instance.tables,
        "participants": [
            {
                "id": p.id,
                "kind": p.kind,
                "available": sorted(p.available),
                "max_meetings": p.max_meetings,
            }
            for p in instance.participants
        ],
        "pairs": [
            {"a": p.a, "b": p.b, "score": p.score, "requested": p.required} for p in instance.pairs
        ],
    }


def schedule_as_json(schedule: Schedule) -> dict:
    return {
        "meetings": [
            {"a": m.a, "b": m.b, "slot": m.slot, "table": m.table}
            for m in sorted(schedule.meetings, key=lambda m: (m.slot, m.table))
        ]
    }


def schedule_from_json(data: dict) -> list[Meeting]:
    return [Meeting(m["a"], m["b"], m["slot"], m["table"]) for m in data["meetings"]]
