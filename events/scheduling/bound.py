"""The linear relaxation of the scheduling model: same pairs, slots, seats, tables and
maxima, but meetings may be fractional. Solved exactly by GLOP it gives
- an honest upper bound on the total pair score of any valid schedule (fairness and
  compactness only restrict further, so no schedule, the optimiser's included, scores
  above it), and
- solved again with the optimiser's full objective (required pairs, SME fairness), the
  fractional schedule that the optimiser rounds and then improves.
On brokerage instances the relaxation is nearly integral (tables are the scarce
resource), which is why rounding it is a strong start."""

from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from events.scheduling.board import Board, schedule_score
from events.scheduling.types import FAIRNESS_KINDS, Instance


@dataclass
class Relaxation:
    bound: float
    # Per index into instance.pairs: the pair's fractional value, its best reduced cost
    # (how much more score it would need before the relaxation used it), and the value of
    # each of its slots in the solution of the full objective.
    value: dict[int, float]
    reduced_cost: dict[int, float]
    slot_values: dict[tuple[int, int], float]


def relax(
    instance: Instance, *, fairness_penalty: float = 0.0, force_required: bool = True
) -> Relaxation:
    """Required pairs are forced in (the bound is then over schedules that meet every
    accepted request and pin, as the site's must); when even the relaxation cannot fit
    them all, they are left free."""
    board = Board(instance)
    for meeting in instance.locked:
        board.place(meeting)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    infinity = lp.infinity()
    by_pair: dict[int, dict[int, pywraplp.Variable]] = {}
    by_seat: dict[tuple[int, int], list] = defaultdict(list)
    by_person: dict[int, list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    objective = lp.Objective()
    for index, pair in enumerate(instance.pairs):
        if not board.has_room(pair.a, pair.b):
            continue
        options = {}
        for slot in board.free_slots(pair.a, pair.b):
            var = lp.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(var, pair.score)
            options[slot] = var
            by_seat[pair.a, slot].append(var)
            by_seat[pair.b, slot].append(var)
            by_slot[slot].append(var)
            by_person[pair.a].append(var)
            by_person[pair.b].append(var)
        by_pair[index] = options
        if pair.required and force_required:
            row = lp.Constraint(1, 1)
            for var in options.values():
                row.SetCoefficient(var, 1.0)
        else:
            _at_most(lp, list(options.values()), 1, infinity)
    for seat_vars in by_seat.values():
        _at_most(lp, seat_vars, 1, infinity)
    for slot, slot_vars in by_slot.items():
        _at_most(lp, slot_vars, instance.tables - len(board.tables_used[slot]), infinity)
    for person, person_vars in by_person.items():
        room = board.participants[person].max_meetings - board.count[person]
        _at_most(lp, person_vars, room, infinity)
    shortfalls = _shortfalls(lp, instance, board, by_person) if fairness_penalty else []
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        if not force_required:
            raise RuntimeError("the relaxation of a schedule with free seats cannot fail")
        return relax(instance, fairness_penalty=fairness_penalty, force_required=False)
    relaxation = Relaxation(
        bound=schedule_score(instance, list(instance.locked)) + objective.Value(),
        value={i: sum(v.solution_value() for v in vs.values()) for i, vs in by_pair.items()},
        reduced_cost={
            i: max(v.reduced_cost() for v in vs.values()) for i, vs in by_pair.items() if vs
        },
        slot_values={},
    )
    # The second solve only matters when the first solution leaves an SME short.
    if fairness_penalty and any(shortfall.solution_value() > 1e-6 for shortfall in shortfalls):
        for shortfall in shortfalls:
            objective.SetCoefficient(shortfall, -fairness_penalty)
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            raise RuntimeError("penalising a free shortfall keeps a relaxation feasible")
    relaxation.slot_values = {
        (index, slot): var.solution_value()
        for index, options in by_pair.items()
        for slot, var in options.items()
        if var.solution_value() > 1e-6
    }
    return relaxation


def _shortfalls(
    lp: pywraplp.Solver, instance: Instance, board: Board, by_person: dict[int, list]
) -> list[pywraplp.Variable]:
    """Per SME below the fairness target, the meetings it lacks (free, and so without
    effect on the bound, until the objective penalises them)."""
    shortfalls = []
    for person in instance.participants:
        missing = min(instance.fairness_target, person.max_meetings) - board.count[person.id]
        if person.kind in FAIRNESS_KINDS and missing > 0 and by_person[person.id]:
            shortfall = lp.NumVar(0.0, missing, "")
            row = lp.Constraint(missing, lp.infinity())
            row.SetCoefficient(shortfall, 1.0)
            for var in by_person[person.id]:
                row.SetCoefficient(var, 1.0)
            shortfalls.append(shortfall)
    return shortfalls


def score_upper_bound(instance: Instance) -> float:
    return relax(instance).bound


def _at_most(lp: pywraplp.Solver, variables: list, limit: int, infinity: float) -> None:
    if len(variables) > limit:
        row = lp.Constraint(-infinity, limit)
        for var in variables:
            row.SetCoefficient(var, 1.0)
