r"""Every pole the rules allow, listed: the columns of the set-partitioning master.

A *candidate pole* is a seat :math:`j` and a member set :math:`M \ni j` with

* :math:`M \subseteq` ``pairs.members_of[j]`` (the candidate pairs: travel limit, apart from the
  seat, seat-share pairs, 'together' groups that cannot all reach *j*, … already applied);
* contiguity: ``exact`` — :math:`M` connected in the adjacency ``nbrs``; ``shortest-path`` —
  every member :math:`i \ne j` has a neighbour :math:`k \in M` strictly closer to the seat
  (:math:`t_{kj} < t_{ij}`, Zoltners–Sinha); ``none`` — any set;
* sizes: :math:`N^- \le |M| \le N^+` (:math:`N^-` only above 1), :math:`P^- \le \sum_M p_i \le P^+`
  (:math:`P^-` only above 0), as :mod:`optimiser.model.poles` writes them;
* seat share (services runs, the bourg-centre rule): :math:`\sigma \sum_{i \in M, i \ne j} p_i
  \le (1-\sigma)\, p_j` unless *j* is exempt;
* 'together': a group is wholly in :math:`M` or wholly out; 'apart': no pair both in :math:`M`.

The service commun's seat (``service_commun``) is not a proximity pole: its columns hold every
core member, obey contiguity, 'together' and 'apart', but no size or seat-share rule (as
:mod:`optimiser.model.poles` writes them for the proximity poles alone); closed to others
(``open_to_others: false``) its only column is its core members. The EPCI is priced with it
(:mod:`.configurations`), not listed.

The rules that tie poles together (the pole count, fixed seats, communes left alone) are the
master's (:mod:`.set_partitioning`). Exact contiguity grows connected sets from the seat with the
ESU scheme (each connected set containing the seat is reached once: a vertex passed over by an
earlier branch is never re-added), pruned by the size and population maxima, which only grow.
Above ``cap`` poles the enumeration gives up (``None``): the caller keeps its other method.
"""

from __future__ import annotations

from ..inputs import Inputs
from ..model.candidates import CandidatePairs

Pole = tuple[str, tuple[str, ...]]
"""(seat, members): the seat first, then the other members sorted."""

#: Above this many candidate poles the enumeration gives up (the pricing and master grow with it).
COLUMN_CAP = 50_000

#: Sets grown (listed or refused) over all seats before the enumeration gives up: most refused
#: (a minimum size far off) would make listing slower than the other method (~1 s per 200,000).
VISIT_CAP = 400_000


def enumerable(inputs: Inputs) -> str | None:
    """Why the poles of ``inputs`` cannot be enumerated by this module, or ``None``."""
    rules = inputs.rules
    if rules.mode != "poles":
        return f"pole mode {rules.mode!r}"
    if rules.contiguity not in ("exact", "shortest-path", "none"):
        return f"contiguity {rules.contiguity!r}"
    return None


def enumerate_poles(inputs: Inputs, pairs: CandidatePairs, nbrs: dict[str, list[str]],
                    cap: int = COLUMN_CAP) -> list[Pole] | None:
    """Every candidate pole (see module docstring), seats in ``pairs.seats`` order; ``None``
    when there are more than ``cap`` or the rules are not ones this module replicates."""
    if enumerable(inputs) is not None:
        return None
    rules = inputs.rules
    population = {c: float(p) for c, p in inputs.territory.communes["population"].items()}
    group_of = {c: k for k, group in enumerate(rules.together) for c in group}
    apart = rules.apart_of()
    exempt = set(rules.seat_share_exempt)
    n_max = rules.communes_max if rules.communes_max is not None else len(inputs.territory.codes)
    p_max = rules.population_max if rules.population_max is not None else float("inf")
    index = inputs.matrix.index()
    time_min = inputs.matrix.time_min
    out: list[Pole] = []
    budget = [VISIT_CAP]
    sc = rules.service_commun
    for j in pairs.seats:
        is_sc = sc is not None and j == sc.seat
        core = frozenset(sc.members) if is_sc else frozenset()
        allowed = set(pairs.members_of[j])
        if rules.contiguity == "none":
            adjacent = {i: sorted(allowed - {i}) for i in allowed}
        else:
            adjacent = {i: [k for k in nbrs.get(i, ()) if k in allowed] for i in allowed}
        share = rules.seat_share if rules.seat_share > 0 and j not in exempt and not is_sc else 0.0

        def keep(members: frozenset[str], j=j, share=share, is_sc=is_sc, core=core) -> bool:
            if is_sc:
                return core <= members and _grouped(members, rules, group_of, apart) and _contiguous(members, j)
            if rules.communes_min is not None and rules.communes_min > 1 and len(members) < rules.communes_min:
                return False
            total = sum(population[i] for i in members)
            if rules.population_min is not None and rules.population_min > 0 and total < rules.population_min:
                return False
            if share > 0 and len(members) > 1 and share * (total - population[j]) > (1.0 - share) * population[j]:
                return False
            return _grouped(members, rules, group_of, apart) and _contiguous(members, j)

        def _contiguous(members: frozenset[str], j: str) -> bool:
            """Shortest-path contiguity (exact: every grown set is connected)."""
            if rules.contiguity == "shortest-path":
                for i in members:
                    if i == j:
                        continue
                    t_ij = time_min[index[i], index[j]]
                    if not any(time_min[index[k], index[j]] < t_ij - 1e-9 for k in nbrs.get(i, ()) if k in members):
                        return False
            return True

        found: list[frozenset[str]] = []
        limits = (len(allowed), float("inf")) if is_sc else (n_max, p_max)
        if not _grow(j, adjacent, population, *limits, keep, found, cap - len(out), budget):
            return None
        out += [(j, (j,) + tuple(sorted(m - {j}))) for m in found]
    return out


def _grouped(members: frozenset[str], rules, group_of: dict[str, int], apart: dict[str, set[str]]) -> bool:
    """'together' groups whole, no 'apart' pair."""
    for i in members:
        g = group_of.get(i)
        if g is not None and not all(k in members for k in rules.together[g]):
            return False
        if apart.get(i, set()) & members:
            return False
    return True


def _grow(seat: str, adjacent: dict[str, list[str]], population: dict[str, float], n_max: int, p_max: float,
          keep, found: list, room: int, budget: list[int]) -> bool:
    """ESU from ``seat``: every connected set holding it (within the maxima) that ``keep``
    accepts is appended to ``found``; ``False`` when more than ``room`` were found or more sets
    grown than ``budget[0]`` (decremented) allows."""
    if population[seat] > p_max:
        return True
    stack = [(frozenset((seat,)), tuple(adjacent[seat]), frozenset((seat, *adjacent[seat])), population[seat])]
    while stack:
        members, extension, closed, total = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if keep(members):
            found.append(members)
            if len(found) > room:
                return False
        if len(members) >= n_max:
            continue
        ext = list(extension)
        while ext:
            v = ext.pop()
            if total + population[v] > p_max:
                continue  # every set through v is too big; v stays closed to the siblings
            exclusive = [u for u in adjacent[v] if u not in closed]
            stack.append((members | {v}, tuple(ext) + tuple(exclusive), closed | set(exclusive), total + population[v]))
    return True
