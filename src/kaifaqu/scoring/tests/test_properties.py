"""Engine invariants (Hypothesis): weights, monotonicity, rank permutation invariance."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kaifaqu.scoring import Framework, Node, competition_rank

from .helpers import run

weights = st.lists(st.floats(0.01, 100), min_size=1, max_size=8)
values = st.floats(0, 1000, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(weights, weights)
def test_relative_weights_sum_to_one_within_each_parent(left, right):
    nodes = [Node(f"a{i}", parent="A", weight=w) for i, w in enumerate(left)]
    nodes += [Node(f"b{i}", parent="B", weight=w) for i, w in enumerate(right)]
    nodes += [
        Node("A", "Aggregate", parent="I", weight=1),
        Node("B", "Aggregate", parent="I", weight=2),
        Node("I", "Aggregate"),
    ]
    fw = Framework(nodes)
    for parent in ("A", "B", "I"):
        assert abs(sum(fw.relative_weights(parent).values()) - 1) < 1e-12


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(values, values, values), min_size=2, max_size=12),
    st.integers(0, 11),
    st.floats(0.001, 500),
    st.sampled_from(["arithmetic", "geometric"]),
)
def test_score_never_falls_when_a_benefit_indicator_rises(rows, who, rise, method):
    # given fixed weights, fixed goalposts (no data-dependent scaling), no outlier treatment
    nodes = [
        Node(c, parent="T", weight=w, direction=d)
        for c, w, d in (("x", 2, 1), ("y", 1, 1), ("z", 1, -1))
    ]
    fw = Framework([*nodes, Node("T", "Aggregate")])
    posts = {c: [0, 1500, 99] for c in "xyz"}
    steps = [
        {"kind": "normalise", "method": "goalposts", "goalposts": posts},
        {"kind": "aggregate", "method": method},
    ]
    who = who % len(rows)
    units = [f"u{i}" for i in range(len(rows))]
    shift = np.array(rows, dtype=float) + 1  # geometric means need positive scores
    before = run(fw, units, {c: shift[:, k] for k, c in enumerate("xyz")}, steps)
    shift[who, 0] += rise
    after = run(fw, units, {c: shift[:, k] for k, c in enumerate("xyz")}, steps)
    assert after.score(units[who], "T") >= before.score(units[who], "T")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.integers(0, 20).map(float), st.just(np.nan)), min_size=1, max_size=40),
    st.randoms(use_true_random=False),
)
def test_ranks_are_invariant_under_permutation(scores, random):
    score = np.array(scores)
    groups = np.array([i % 3 for i in range(len(scores))])
    order = list(range(len(scores)))
    random.shuffle(order)
    ranks = competition_rank(score, groups=groups)
    shuffled = competition_rank(score[order], groups=groups[order])
    assert np.array_equal(ranks[order], shuffled, equal_nan=True)
    # and they are competition ranks: 1 + the number strictly better in the group
    for i, s in enumerate(score):
        if not np.isnan(s):
            better = np.sum((groups == groups[i]) & (score > s))
            assert ranks[i] == better + 1
