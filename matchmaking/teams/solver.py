"""Choose a consortium jointly with OR-Tools CP-SAT: one organisation per role slot.

Pure data in, pure data out (no ORM), so the platform (`teams.services`) and the offline
measure (`teams.evaluation`, `manage.py evaluate_teams`) run the same selection.

The objective adds up, for the chosen members,
- their fit to the call (`Candidate.fit`, in standard deviations of the matcher's score)
  plus their bond with the coordinator (worked together before, or through a common
  partner: `Candidate.bond`);
- coverage of the call's aspects: each aspect counts once, through the chosen member
  that covers it best, so two organisations with the same strength earn it once and a
  partner covering another aspect is preferred;
- bonds between chosen members (`pair_bonds`): a team that has worked together before.
Rules are constraints: one member per slot, of a kind the slot accepts; at least N
countries (the coordinator's counts); at least N SMEs (the coordinator counts).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# CP-SAT works on integers: every score is multiplied by this and rounded.
SCALE = 1000
# On two cores, fewer workers may never prove optimality (measured); the time limit
# bounds a request either way, and the best team found so far is used.
NUM_WORKERS = 8
TIME_LIMIT_SECONDS = 5.0
ALTERNATIVES = 3


@dataclass(frozen=True)
class Slot:
    """A role to fill; `kinds` are the organisation kinds it accepts (empty: any)."""

    label: str
    kinds: frozenset[str] = frozenset()

    def accepts(self, kind: str | None) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class Rules:
    min_countries: int = 1
    min_smes: int = 0


@dataclass(frozen=True)
class Candidate:
    id: object
    kind: str | None
    country: str
    sme: bool
    fit: float
    bond: float = 0.0
    # Aspect index -> how well this candidate covers it (same units as `fit`).
    aspects: Mapping[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Coordinator:
    country: str
    sme: bool


@dataclass
class Team:
    members: dict[int, Candidate]  # slot index -> chosen candidate
    alternatives: dict[int, list[Candidate]]
    objective: float
    optimal: bool


@dataclass
class NoTeam:
    """Why no team satisfies the rules, in words a coordinator can act on."""

    reason: str


def propose_team(
    *,
    coordinator: Coordinator,
    slots: Sequence[Slot],
    candidates: Sequence[Candidate],
    rules: Rules,
    pair_bonds: Mapping[tuple[object, object], float] | None = None,
    aspect_weights: Sequence[float] = (),
    time_limit: float = TIME_LIMIT_SECONDS,
) -> Team | NoTeam:
    """The best team under the rules, or NoTeam naming the rule that cannot be met."""
    from ortools.sat.python import cp_model

    if not slots:
        return NoTeam("the call names no role to fill")
    reason = _impossible(coordinator, slots, candidates, rules)
    if reason:
        return NoTeam(reason)
    model = cp_model.CpModel()
    choose = {
        (c, s): model.new_bool_var(f"x{c}_{s}")
        for c, candidate in enumerate(candidates)
        for s, slot in enumerate(slots)
        if slot.accepts(candidate.kind)
    }
    chosen = {}
    for c in range(len(candidates)):
        options = [var for (cc, _s), var in choose.items() if cc == c]
        if options:
            chosen[c] = model.new_bool_var(f"in{c}")
            model.add(sum(options) == chosen[c])
    for s in range(len(slots)):
        model.add_exactly_one(var for (_c, ss), var in choose.items() if ss == s)

    countries = sorted({candidate.country for candidate in candidates} - {coordinator.country})
    represented = []
    for country in countries:
        present = model.new_bool_var(f"country_{country}")
        members = [chosen[c] for c in chosen if candidates[c].country == country]
        model.add(present <= sum(members))
        represented.append(present)
    model.add(sum(represented) + 1 >= rules.min_countries)
    smes = [chosen[c] for c in chosen if candidates[c].sme]
    model.add(sum(smes) + int(coordinator.sme) >= rules.min_smes)

    terms = [_points(candidates[c].fit + candidates[c].bond) * var for c, var in chosen.items()]
    for aspect, weight in enumerate(aspect_weights):
        covering = [c for c in chosen if candidates[c].aspects.get(aspect, 0.0) > 0]
        if not covering:
            continue
        picks = {c: model.new_bool_var(f"a{aspect}_{c}") for c in covering}
        model.add(sum(picks.values()) <= 1)
        for c, pick in picks.items():
            model.add_implication(pick, chosen[c])
            terms.append(_points(weight * candidates[c].aspects[aspect]) * pick)
    index = {candidate.id: c for c, candidate in enumerate(candidates)}
    for (a, b), bond in (pair_bonds or {}).items():
        if a in index and b in index and index[a] in chosen and index[b] in chosen:
            both = model.new_bool_var(f"p{index[a]}_{index[b]}")
            model.add_implication(both, chosen[index[a]])
            model.add_implication(both, chosen[index[b]])
            terms.append(_points(bond) * both)
    model.maximize(sum(terms))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = NUM_WORKERS
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return NoTeam(_infeasible_reason(rules))
    members = {s: candidates[c] for (c, s), var in choose.items() if solver.boolean_value(var)}
    return Team(
        members=members,
        alternatives=_alternatives(slots, candidates, members),
        objective=solver.objective_value / SCALE,
        optimal=status == cp_model.OPTIMAL,
    )


def _points(value: float) -> int:
    return round(value * SCALE)


def _impossible(
    coordinator: Coordinator, slots: Sequence[Slot], candidates: Sequence[Candidate], rules: Rules
) -> str | None:
    """Rules no choice can meet, found without the solver so the message can be specific."""
    for slot in slots:
        if not any(slot.accepts(candidate.kind) for candidate in candidates):
            return f"no candidate organisation fits the role “{slot.label}”"
    if rules.min_countries > len(slots) + 1:
        return (
            f"a team of {len(slots) + 1} cannot span {rules.min_countries} countries: "
            "add roles or lower the number of countries"
        )
    if rules.min_smes > len(slots) + int(coordinator.sme):
        return f"a team of {len(slots) + 1} cannot include {rules.min_smes} SMEs"
    countries = {candidate.country for candidate in candidates} | {coordinator.country}
    if len(countries) < rules.min_countries:
        return (
            f"the candidate organisations come from {len(countries)} countries, "
            f"fewer than the {rules.min_countries} the call requires"
        )
    if rules.min_smes > int(coordinator.sme) and not any(c.sme for c in candidates):
        return "no candidate organisation is an SME, and the call requires one"
    return None


def _infeasible_reason(rules: Rules) -> str:
    return (
        f"no team satisfies the rules together (one member per role, at least "
        f"{rules.min_countries} countries, at least {rules.min_smes} SMEs): "
        "widen the roles or relax a rule"
    )


def _alternatives(
    slots: Sequence[Slot], candidates: Sequence[Candidate], members: Mapping[int, Candidate]
) -> dict[int, list[Candidate]]:
    """Per slot, the best-fitting other candidates that fit its role (not in the team)."""
    taken = {member.id for member in members.values()}
    result = {}
    for s, slot in enumerate(slots):
        fitting = [c for c in candidates if slot.accepts(c.kind) and c.id not in taken]
        fitting.sort(key=lambda c: c.fit + c.bond, reverse=True)
        result[s] = fitting[:ALTERNATIVES]
    return result
