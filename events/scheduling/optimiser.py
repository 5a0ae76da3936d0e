"""The organiser's draft schedule.

Hard rules: nobody in two places at once, only slots both people marked available, at most
the free tables per slot, each pair at most once, each participant's maximum, locked
(confirmed/published) meetings untouched and counted. Objective, in priority order by the
size of its weights:
1. every required pair (accepted request, organiser pin) scheduled: REQUIRED_BONUS makes it
   a requirement whenever it can be met at all, and an unmet one is reported instead of
   making the whole run infeasible;
2. total pair score plus fairness: every meeting an SME lacks below the organiser's target
   costs FAIRNESS_PENALTY, so the optimiser gives up that much score to lift the
   worst-served SMEs;
3. compact days: each block of back-to-back meetings in a participant's day costs
   GAP_PENALTY, small enough never to cost a meeting.

How: the linear relaxation (bound.py) is solved with this objective and rounded (its
slots in order of their fractional value, then required pairs, then the rest best score
first); CP-SAT then improves that schedule (given as a complete hint) over the pairs the
relaxation uses or nearly uses, for the rest of the time limit. Tables inside a slot are
interchangeable, so the model decides slots; tables are numbered afterwards. A model over
every pair × slot is too big to even presolve in the time (measured: 18 s for 3,000
pairs, no solution in 20 s); the pruned one presolves in a few seconds.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from events.scheduling.board import Board, pair_key, schedule_score
from events.scheduling.bound import Relaxation, relax
from events.scheduling.types import FAIRNESS_KINDS, Instance, Meeting, Pair, Schedule

SCORE_UNIT = 1000  # a score of 1.0 in the integer objective; 0.001 resolution
FAIRNESS_PENALTY = 400  # per meeting below the SME target: trades up to 0.4 of score
GAP_PENALTY = 2  # per block of consecutive meetings in a participant's day
# Dropping one required meeting frees one table and a seat of each side, which lets at
# most a couple of other meetings in: ten meetings' worth keeps it required in practice.
REQUIRED_BONUS = 10 * (SCORE_UNIT + FAIRNESS_PENALTY)
# Pairs the relaxation leaves out and would need this much more score to use are not
# modelled: they would not be chosen, and leaving them out keeps the model small.
PRUNE_MARGIN = 0.05
# SMEs below the fairness target keep this many of their best pairs beyond the target.
FAIRNESS_SPARE = 3
# CP-SAT on two cores: eight workers run its full portfolio (LNS + bound-proving).
WORKERS = 8
MIN_SOLVER_SECONDS = 1.0

Progress = Callable[[float, float], None]


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Tells the caller (the Celery task) how far the time budget went and the best total."""

    def __init__(self, progress: Progress, started: float, time_limit: float) -> None:
        super().__init__()
        self._progress = progress
        self._started = started
        self._time_limit = time_limit

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self._started
        self._progress(min(1.0, elapsed / self._time_limit), self.ObjectiveValue() / SCORE_UNIT)


@dataclass
class _Model:
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    chosen: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    by_seat: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    objective: list = field(default_factory=list)
    # Auxiliary variables with how their hinted value follows from a schedule.
    shortfalls: list[tuple[cp_model.IntVar, int, int]] = field(default_factory=list)
    block_starts: list[tuple[cp_model.IntVar, tuple[int, int], tuple[int, int] | None]] = field(
        default_factory=list
    )


def schedule_optimal(
    instance: Instance,
    *,
    time_limit: float = 20.0,
    progress: Progress | None = None,
) -> Schedule:
    """The best schedule found within about `time_limit` seconds (the relaxation and the
    model build count against it; the solver gets at least MIN_SOLVER_SECONDS)."""
    started = time.perf_counter()
    relaxation = relax(instance, fairness_penalty=FAIRNESS_PENALTY / SCORE_UNIT)
    rounded = _rounded(instance, relaxation)
    candidates = _worth_modelling(instance, relaxation, rounded)
    board = _locked_board(instance)
    built = _build(instance, board, candidates)
    _hint(built, candidates, rounded)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WORKERS
    solver.parameters.max_time_in_seconds = max(
        MIN_SOLVER_SECONDS, time_limit - (time.perf_counter() - started)
    )
    reporter = _ProgressReporter(progress, started, time_limit) if progress else None
    status = solver.solve(built.model, reporter)
    meetings, status_name = rounded, "rounded relaxation"
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solved = _numbered_tables(board, candidates, built.chosen, solver)
        if objective_value(instance, solved) >= objective_value(instance, rounded):
            meetings, status_name = solved, solver.status_name(status).lower()

    scheduled = {pair_key(m.a, m.b) for m in meetings}
    return Schedule(
        meetings=meetings,
        score=schedule_score(instance, meetings),
        bound=relaxation.bound,
        seconds=time.perf_counter() - started,
        status=status_name,
        unscheduled_required=[
            p for p in instance.pairs if p.required and pair_key(p.a, p.b) not in scheduled
        ],
    )


def objective_value(instance: Instance, meetings: list[Meeting]) -> float:
    """The optimiser's objective of a schedule, in score units (for comparing two)."""
    count: dict[int, int] = defaultdict(int)
    busy = set()
    for m in meetings:
        count[m.a] += 1
        count[m.b] += 1
        busy.update({(m.a, m.slot), (m.b, m.slot)})
    met = {pair_key(m.a, m.b) for m in meetings}
    required = sum(1 for p in instance.pairs if p.required and pair_key(p.a, p.b) in met)
    shortfall = sum(
        max(0, min(instance.fairness_target, p.max_meetings) - count[p.id])
        for p in instance.participants
        if p.kind in FAIRNESS_KINDS
    )
    blocks = sum(
        1
        for person in instance.participants
        for slots in _available_days(instance, person.available)
        for i, slot in enumerate(slots)
        if (person.id, slot) in busy and (i == 0 or (person.id, slots[i - 1]) not in busy)
    )
    return (
        schedule_score(instance, meetings)
        + (REQUIRED_BONUS * required - FAIRNESS_PENALTY * shortfall - GAP_PENALTY * blocks)
        / SCORE_UNIT
    )


def _locked_board(instance: Instance) -> Board:
    board = Board(instance)
    for meeting in instance.locked:
        board.place(meeting)
    return board


def _rounded(instance: Instance, relaxation: Relaxation) -> list[Meeting]:
    """A valid schedule from the relaxation: required pairs first, each in its best
    fractional slot still free (else its earliest free one), then the other (pair, slot)
    choices by falling value, then whatever still fits, best score first."""
    board = _locked_board(instance)
    by_value = sorted(relaxation.slot_values.items(), key=lambda kv: -kv[1])
    for required in (True, False):
        for (index, slot), _value in by_value:
            pair = instance.pairs[index]
            if pair.required == required and board.has_room(pair.a, pair.b):
                if slot in board.free_slots(pair.a, pair.b):
                    board.place(Meeting(pair.a, pair.b, slot, board.free_table(slot)))
        if required:
            for pair in instance.pairs:
                if pair.required:
                    board.try_book_earliest(pair)
    for pair in sorted(instance.pairs, key=lambda p: -p.score):
        board.try_book_earliest(pair)
    return board.meetings


def _worth_modelling(
    instance: Instance, relaxation: Relaxation, rounded: list[Meeting]
) -> list[Pair]:
    """Required pairs, pairs of the rounded schedule, pairs the relaxation uses or nearly
    uses, and each SME's best few."""
    in_rounded = {pair_key(m.a, m.b) for m in rounded}
    keep = {
        index
        for index, value in relaxation.value.items()
        if value > 1e-6
        or relaxation.reduced_cost.get(index, -1.0) > -PRUNE_MARGIN
        or instance.pairs[index].required
        or pair_key(instance.pairs[index].a, instance.pairs[index].b) in in_rounded
    }
    if instance.fairness_target:
        by_person: dict[int, list[int]] = defaultdict(list)
        for index in relaxation.value:
            pair = instance.pairs[index]
            by_person[pair.a].append(index)
            by_person[pair.b].append(index)
        for person in instance.participants:
            if person.kind in FAIRNESS_KINDS:
                best = sorted(by_person[person.id], key=lambda i: -instance.pairs[i].score)
                keep.update(best[: instance.fairness_target + FAIRNESS_SPARE])
    return [instance.pairs[index] for index in sorted(keep)]


def _build(instance: Instance, board: Board, candidates: list[Pair]) -> _Model:
    built = _Model()
    model = built.model
    by_slot: dict[int, list] = defaultdict(list)
    for index, pair in enumerate(candidates):
        options = []
        for slot in board.free_slots(pair.a, pair.b):
            var = model.new_bool_var(f"m{index}s{slot}")
            built.chosen[index, slot] = var
            options.append(var)
            built.by_seat[pair.a, slot].append(var)
            built.by_seat[pair.b, slot].append(var)
            by_slot[slot].append(var)
            built.by_person[pair.a].append(var)
            built.by_person[pair.b].append(var)
        if options:
            model.add_at_most_one(options)
            weight = round(pair.score * SCORE_UNIT) + (REQUIRED_BONUS if pair.required else 0)
            built.objective.extend(weight * var for var in options)
    for seat_vars in built.by_seat.values():
        if len(seat_vars) > 1:
            model.add_at_most_one(seat_vars)
    for slot, slot_vars in by_slot.items():
        free = instance.tables - len(board.tables_used[slot])
        if len(slot_vars) > free:
            model.add(sum(slot_vars) <= free)
    for person, person_vars in built.by_person.items():
        room = board.participants[person].max_meetings - board.count[person]
        if len(person_vars) > room:
            model.add(sum(person_vars) <= room)
    _add_fairness(built, instance, board)
    _add_compactness(built, instance, board)
    model.maximize(sum(built.objective))
    return built


def _add_fairness(built: _Model, instance: Instance, board: Board) -> None:
    """A shortfall variable per SME below the target; each missing meeting is penalised."""
    for person in instance.participants:
        missing = min(instance.fairness_target, person.max_meetings) - board.count[person.id]
        if person.kind not in FAIRNESS_KINDS or missing <= 0 or not built.by_person[person.id]:
            continue
        shortfall = built.model.new_int_var(0, missing, f"short{person.id}")
        built.model.add(sum(built.by_person[person.id]) + shortfall >= missing)
        built.objective.append(-FAIRNESS_PENALTY * shortfall)
        built.shortfalls.append((shortfall, person.id, missing - 0))


def _available_days(instance: Instance, available: frozenset[int]) -> list[list[int]]:
    days: dict[int, list[int]] = defaultdict(list)
    for slot in instance.slots:
        if slot in available:
            days[instance.day_of_slot.get(slot, 0)].append(slot)
    return list(days.values())


def _add_compactness(built: _Model, instance: Instance, board: Board) -> None:
    """Counts the blocks of back-to-back meetings in each participant's day, over the
    slots the participant is available (an unavailable slot is not an idle gap)."""
    for person in instance.participants:
        for slots in _available_days(instance, person.available):
            if not any(built.by_seat.get((person.id, s)) for s in slots):
                continue
            previous = 0
            previous_seat = None
            for slot in slots:
                seat = (person.id, slot)
                now = 1 if seat in board.busy else sum(built.by_seat.get(seat, []))
                start = built.model.new_bool_var("")
                built.model.add(start >= now - previous)
                built.objective.append(-GAP_PENALTY * start)
                built.block_starts.append((start, seat, previous_seat))
                previous, previous_seat = now, seat


def _hint(built: _Model, candidates: list[Pair], meetings: list[Meeting]) -> None:
    """Passes a whole schedule as CP-SAT's starting solution, auxiliaries included."""
    booked = {(pair_key(m.a, m.b), m.slot) for m in meetings}
    for (index, slot), var in built.chosen.items():
        pair = candidates[index]
        built.model.add_hint(var, (pair_key(pair.a, pair.b), slot) in booked)
    count: dict[int, int] = defaultdict(int)
    busy = set()
    for m in meetings:
        count[m.a] += 1
        count[m.b] += 1
        busy.update({(m.a, m.slot), (m.b, m.slot)})
    for var, person, missing in built.shortfalls:
        built.model.add_hint(var, max(0, missing - count[person]))
    for var, seat, previous_seat in built.block_starts:
        built.model.add_hint(
            var, seat in busy and (previous_seat is None or previous_seat not in busy)
        )


def _numbered_tables(
    board: Board, candidates: list[Pair], chosen: dict, solver: cp_model.CpSolver
) -> list[Meeting]:
    """Locked meetings keep their tables; new ones take the lowest free table of their slot."""
    for (index, slot), var in sorted(chosen.items(), key=lambda item: item[0][1]):
        if solver.boolean_value(var):
            pair = candidates[index]
            board.place(Meeting(pair.a, pair.b, slot, board.free_table(slot)))
    return board.meetings
