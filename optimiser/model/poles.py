r"""The pole model: seats chosen with the poles (Hess / p-median with seats), as one PuLP MILP.

Sets: communes :math:`I`; candidate pairs :math:`A \subseteq I \times J` (see
:mod:`optimiser.model.candidates`); proximity seats :math:`J_p = J \setminus \{s\}` where
:math:`s` is the service commun's seat, if any.

Variables: :math:`x_{ij} \in \{0,1\}` for :math:`(i,j) \in A` — commune *i* belongs to the pole
seated at *j*; :math:`x_{jj}` opens seat *j*. :math:`a_i \in \{0,1\}` — commune *i* stays alone
(only where the scenario allows it).

Constraints (each family is one function below):

* assignment   :math:`\sum_j x_{ij} + a_i = 1`                          for every commune *i*
* seat link    :math:`x_{ij} \le x_{jj}`                                   for (i, j) ∈ A, i ≠ j
* size         :math:`P^- x_{jj} \le \sum_i p_i x_{ij} \le P^+ x_{jj}`     for j ∈ J_p (population)
               :math:`N^- x_{jj} \le \sum_i x_{ij} \le N^+ x_{jj}`         for j ∈ J_p (communes)
* count        :math:`K^- \le \sum_{j \in J_p} x_{jj} \le K^+`
* fixed seats  :math:`x_{jj} = 1`; the service commun: :math:`x_{ms} = 1` for its members *m*
* together     :math:`x_{ij} = x_{gj}` for *i* in the group of representative *g*
* apart        :math:`x_{aj} + x_{bj} \le x_{jj}`
* opt-out      :math:`\sum_i a_i \le` ``max_alone``
* seat share   :math:`p_j x_{jj} \ge \sigma \sum_i p_i x_{ij}` for proximity seats *j* not exempt
               (services runs: the seat is a bourg-centre that can host the depot)

Objective (population-weighted travel to the seat, the p-median objective), person-minutes or
person-km:  :math:`\min \sum_{(i,j) \in A} p_i\, t_{ij}\, x_{ij} + \sum_i p_i\, T^{alone} a_i`.

Contiguity constraints are added by :mod:`optimiser.model.contiguity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from ..inputs.rules import PoleRules
from ..territory import Territory
from ..territory.roads import TravelMatrix
from .blocks import Families, constraint_block
from .candidates import CandidatePairs
from .problem import Problem
from .seat_lists import SeatLists


@dataclass
class PoleModel:
    """A built pole model: the PuLP problem and its variables, kept explicit (no ``setattr``)."""

    problem: pulp.LpProblem
    pairs: CandidatePairs
    rules: PoleRules
    x: dict[tuple[str, str], pulp.LpVariable]
    alone: dict[str, pulp.LpVariable]
    travel: dict[tuple[str, str], float]
    population: dict[str, int]
    reach: CandidatePairs | None = None
    """The full candidate pairs when ``pairs`` is only nearest-seat lists (:mod:`.seat_lists`)."""
    beyond: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """h_i: commune *i* served by a seat beyond its list (a relaxation; see :mod:`.seat_lists`)."""
    beyond_travel: dict[str, float] = field(default_factory=dict)
    cuts: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """Separator cuts added so far, (member, seat, separator): replayed when the lists widen."""
    lazy_contiguity: bool = False
    """Neighbour cuts only for the seats whose pole broke (:mod:`.contiguity.exact`)."""
    neighbour_cut_seats: set[str] = field(default_factory=set)
    families: Families = field(init=False)

    def __post_init__(self):
        self.families = Families(self.problem)
        if self.reach is None:
            self.reach = self.pairs

    def member_var(self, i: str, j: str) -> pulp.LpVariable | None:
        """The variable standing for "i is a member of the pole seated at j": x_ij; h_i when
        the pair exists but is not listed (a relaxation); ``None`` when i can never join j."""
        var = self.x.get((i, j))
        if var is None and i in self.beyond and j in self.reach.seats_of.get(i, ()):
            return self.beyond[i]
        return var

    def beyond_used(self) -> list[str]:
        """Communes the current solution serves beyond their list (h_i > 0)."""
        return [i for i, h in self.beyond.items() if (h.value() or 0.0) > 1e-6]

    @property
    def proximity_seats(self) -> list[str]:
        sc = self.rules.service_commun
        return [j for j in self.pairs.seats if sc is None or j != sc.seat]

    def assignment(self) -> dict[str, str | None]:
        """Commune → seat from the current variable values (``None``: alone)."""
        out: dict[str, str | None] = {}
        for i, seats in self.pairs.seats_of.items():
            chosen = [j for j in seats if (self.x[i, j].value() or 0.0) > 0.5]
            out[i] = chosen[0] if chosen else None
        return out

    def values_for(self, assignment: dict[str, str | None]) -> dict[str, float]:
        """Variable values (by name) encoding ``assignment``, e.g. for a warm start."""
        values = {var.name: 0.0 for var in self.x.values()}
        for var in self.alone.values():
            values[var.name] = 0.0
        for var in self.beyond.values():
            values[var.name] = 0.0
        for i, j in assignment.items():
            if j is None:
                if i in self.alone:
                    values[self.alone[i].name] = 1.0
            elif (i, j) in self.x:
                values[self.x[i, j].name] = 1.0
            elif i in self.beyond:
                values[self.beyond[i].name] = 1.0
        return values


def pair_travel(matrix: TravelMatrix, rules: PoleRules, pairs: CandidatePairs) -> dict[tuple[str, str], float]:
    """Travel from each commune to each seat it may join (minutes or km; 0 to its own seat)."""
    index = matrix.index()
    metric = matrix.time_min if rules.travel_metric == "time" else matrix.km
    return {(i, j): 0.0 if i == j else float(metric[index[i], index[j]]) for i, seats in pairs.seats_of.items() for j in seats}


def build_pole_model(territory: Territory, matrix: TravelMatrix, rules: PoleRules, pairs: CandidatePairs,
                     lists: SeatLists | None = None) -> PoleModel:
    """Variables, the constraint families and the travel objective (contiguity excluded).

    With ``lists`` (nearest-seat lists inside ``pairs``) only the listed pairs get a variable,
    and each commune with unlisted seats a "beyond" variable (:mod:`.seat_lists`)."""
    population = {c: int(p) for c, p in territory.communes["population"].items()}
    problem = Problem("poles", pulp.LpMinimize)
    travel = pair_travel(matrix, rules, pairs)
    listed = lists.listed if lists is not None else pairs
    x = {(i, j): problem.add_variable(f"x_{i}_{j}", cat=pulp.LpBinary) for i, seats in listed.seats_of.items() for j in seats}
    alone = {i: problem.add_variable(f"alone_{i}", cat=pulp.LpBinary) for i in rules.allow_alone}
    model = PoleModel(problem, listed, rules, x, alone, travel, population, reach=pairs)
    if lists is not None:
        model.beyond_travel = dict(lists.beyond_travel)
        model.beyond = {i: problem.add_variable(f"beyond_{i}", 0, 1) for i in lists.beyond_travel}
    add_travel_objective(model)
    add_assignment(model)
    add_seat_link(model)
    add_population_bounds(model)
    add_commune_count_bounds(model)
    add_pole_count(model)
    add_fixed_seats(model)
    add_together(model)
    add_apart(model)
    add_opt_out(model)
    add_seat_share(model)
    return model


def travel_expression(model: PoleModel) -> pulp.LpAffineExpression:
    """Population-weighted travel to the seat, Σ p_i t_ij x_ij (person-minutes or person-km)."""
    return pulp.LpAffineExpression([(var, model.population[i] * model.travel[i, j]) for (i, j), var in model.x.items() if i != j])


def add_travel_objective(model: PoleModel) -> None:
    """min Σ p_i t_ij x_ij + Σ p_i T_alone a_i."""
    alone = pulp.LpAffineExpression([(var, model.population[i] * model.rules.alone_penalty) for i, var in model.alone.items()])
    beyond = pulp.LpAffineExpression([(var, model.population[i] * model.beyond_travel[i]) for i, var in model.beyond.items()])
    model.problem += travel_expression(model) + alone + beyond, "travel"


@constraint_block("assignment")
def add_assignment(model: PoleModel) -> None:
    """Every commune in exactly one pole, or alone where allowed."""
    for i, seats in model.pairs.seats_of.items():
        terms = [(model.x[i, j], 1) for j in seats]
        if i in model.alone:
            terms.append((model.alone[i], 1))
        if i in model.beyond:
            terms.append((model.beyond[i], 1))
        model.problem += pulp.LpAffineExpression(terms) == 1, f"assign_{i}"


@constraint_block("seat link")
def add_seat_link(model: PoleModel) -> None:
    """Members only join open seats: x_ij ≤ x_jj (the disaggregated, tight form)."""
    for (i, j), var in model.x.items():
        if i != j:
            model.problem += var <= model.x[j, j], f"link_{i}_{j}"


def _pole_sums(model: PoleModel, j: str, relaxed: bool = False) -> tuple[pulp.LpAffineExpression, pulp.LpAffineExpression]:
    """(Σ p_i x_ij, Σ x_ij) over the communes that may join seat j; ``relaxed`` (for the lower
    bounds): also h_i for the communes that may join j but do not list it (:mod:`.seat_lists`)."""
    members = model.reach.members_of[j] if relaxed else model.pairs.members_of[j]
    pop, size = [], []
    for i in members:
        var = model.member_var(i, j)
        pop.append((var, model.population[i]))
        size.append((var, 1))
    return pulp.LpAffineExpression(pop), pulp.LpAffineExpression(size)


@constraint_block("population bounds")
def add_population_bounds(model: PoleModel) -> None:
    """P⁻ x_jj ≤ Σ p_i x_ij ≤ P⁺ x_jj for each proximity pole (inhabitants)."""
    r = model.rules
    for j in model.proximity_seats:
        pop, _ = _pole_sums(model, j)
        seat = model.x[j, j]
        if r.population_min is not None and r.population_min > 0:
            relaxed, _ = _pole_sums(model, j, relaxed=True)
            model.problem += relaxed - r.population_min * seat >= 0, f"popmin_{j}"
        if r.population_max is not None:
            model.problem += pop - r.population_max * seat <= 0, f"popmax_{j}"


@constraint_block("commune-count bounds")
def add_commune_count_bounds(model: PoleModel) -> None:
    """N⁻ x_jj ≤ Σ x_ij ≤ N⁺ x_jj for each proximity pole (communes)."""
    r = model.rules
    for j in model.proximity_seats:
        _, size = _pole_sums(model, j)
        seat = model.x[j, j]
        if r.communes_min is not None and r.communes_min > 1:
            _, relaxed = _pole_sums(model, j, relaxed=True)
            model.problem += relaxed - r.communes_min * seat >= 0, f"nmin_{j}"
        if r.communes_max is not None:
            model.problem += size - r.communes_max * seat <= 0, f"nmax_{j}"


@constraint_block("pole count")
def add_pole_count(model: PoleModel) -> None:
    """K⁻ ≤ number of proximity poles ≤ K⁺."""
    r = model.rules
    opened = pulp.lpSum(model.x[j, j] for j in model.proximity_seats)
    if r.count_min is not None and r.count_min > 0:
        model.problem += opened >= r.count_min, "count_min"
    if r.count_max is not None:
        model.problem += opened <= r.count_max, "count_max"


def add_fixed_seats(model: PoleModel) -> None:
    """Fixed seats are open; the service commun's seat is open and holds its members.

    These are variable bounds (x_jj ≥ 1), not rows: no constraint family to count."""
    for j in model.rules.fixed_seats:
        if (j, j) in model.x:
            model.x[j, j].lowBound = 1
    sc = model.rules.service_commun
    if sc is not None:
        for m in sc.members:
            if (m, sc.seat) in model.x:
                model.x[m, sc.seat].lowBound = 1


@constraint_block("together")
def add_together(model: PoleModel) -> None:
    """Communes of a group share a pole: x_ij = x_gj for the group's first member g."""
    for k, group in enumerate(model.rules.together):
        g = group[0]
        for i in group[1:]:
            for j in sorted(set(model.pairs.seats_of[g]) | set(model.pairs.seats_of[i])):
                # A missing variable is a zero: the other member cannot join j either.
                terms = [(var, coef) for var, coef in ((model.x.get((i, j)), 1), (model.x.get((g, j)), -1)) if var is not None]
                model.problem += pulp.LpAffineExpression(terms) == 0, f"together_{k}_{i}_{j}"


@constraint_block("apart")
def add_apart(model: PoleModel) -> None:
    """Communes kept apart never share a seat: x_aj + x_bj ≤ x_jj."""
    for a, b in model.rules.apart:
        for j in sorted(set(model.pairs.seats_of[a]) & set(model.pairs.seats_of[b])):  # a stable order: runs repeat exactly
            model.problem += model.x[a, j] + model.x[b, j] <= model.x[j, j], f"apart_{a}_{b}_{j}"


@constraint_block("opt-out")
def add_opt_out(model: PoleModel) -> None:
    """At most ``max_alone`` communes stay out of every pole."""
    if model.alone and model.rules.max_alone is not None:
        model.problem += pulp.lpSum(model.alone.values()) <= model.rules.max_alone, "max_alone"


@constraint_block("seat share")
def add_seat_share(model: PoleModel) -> None:
    """p_j x_jj ≥ σ Σ_i p_i x_ij, i.e. σ Σ_{i≠j} p_i x_ij − (1 − σ) p_j x_jj ≤ 0: the seat holds
    at least the share σ of its pole's inhabitants (linear, as x_jj = 0 closes the pole)."""
    share = model.rules.seat_share
    if share <= 0:
        return
    exempt = set(model.rules.seat_share_exempt)
    for j in model.proximity_seats:
        if j in exempt:
            continue
        terms = [(model.x[i, j], share * model.population[i]) for i in model.pairs.members_of[j] if i != j]
        if not terms:
            continue
        terms.append((model.x[j, j], -(1.0 - share) * model.population[j]))
        model.problem += pulp.LpAffineExpression(terms) <= 0, f"seatshare_{j}"
