"""The first-come-first-served baseline of b2match-style brokerages: requests arrive in
random order and each takes the earliest common free slot. Also the optimiser's hint."""

import random
import time

from events.scheduling.board import Board, schedule_score
from events.scheduling.types import Instance, Schedule


def schedule_greedy(instance: Instance, *, seed: int = 0, by_score: bool = False) -> Schedule:
    """Required pairs first, then the others; in random arrival order, or best score first
    when `by_score` (the optimiser's starting point)."""
    started = time.perf_counter()
    board = Board(instance)
    for meeting in instance.locked:
        board.place(meeting)
    rng = random.Random(seed)  # noqa: S311 -- reproducible arrival order, not a secret
    required = [p for p in instance.pairs if p.required]
    optional = [p for p in instance.pairs if not p.required]
    rng.shuffle(required)
    rng.shuffle(optional)
    if by_score:
        optional.sort(key=lambda p: -p.score)
    unscheduled = [p for p in required if board.try_book_earliest(p) is None]
    for pair in optional:
        board.try_book_earliest(pair)
    return Schedule(
        meetings=board.meetings,
        score=schedule_score(instance, board.meetings),
        seconds=time.perf_counter() - started,
        status="greedy",
        unscheduled_required=unscheduled,
    )
