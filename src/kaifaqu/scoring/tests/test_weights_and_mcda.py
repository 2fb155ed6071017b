"""Hand-computed cases for every weighting and MCDA aggregation method, and the weight step."""

import math

import numpy as np
import pytest

from kaifaqu.scoring import (
    DataError,
    FrameworkError,
    ahp_weights,
    copeland,
    critic_weights,
    entropy_weights,
    equal_weights,
    parse_steps,
    pca_weights,
    topsis,
)

from .helpers import flat_framework, run


def test_equal_weights():
    assert equal_weights(3).tolist() == [1 / 3] * 3


def test_entropy_by_hand():
    # given a column with p = (1/4, 3/4) and one with p = (1/2, 1/2) (maximal entropy)
    x = np.array([[1.0, 5.0, 2.0], [3.0, 5.0, 0.0]])
    # then e1 = −(¼ ln ¼ + ¾ ln ¾)/ln 2, e2 = 1, e3 = 0 (0·ln 0 = 0)
    e1 = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    d = [1 - e1, 0.0, 1.0]
    expected = [v / sum(d) for v in d]
    assert entropy_weights(x) == pytest.approx(expected, abs=1e-15)


def test_entropy_refuses_negative_values():
    with pytest.raises(DataError, match="values ≥ 0") as caught:
        entropy_weights(np.array([[1.0, -1.0], [2.0, 1.0]]), ["a", "b"])
    assert caught.value.indicator == "b"


def test_ahp_saaty_matrix_with_its_published_consistency():
    # the classic 3 × 3 example: w = (0.637, 0.258, 0.105), λmax = 3.0385, CR = 0.033
    result = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert result.weights.round(3).tolist() == [0.637, 0.258, 0.105]
    assert round(result.lambda_max, 4) == 3.0385
    assert round(result.cr, 3) == 0.033
    # and a perfectly consistent matrix has CR 0 and w_i/w_j = a_ij
    consistent = ahp_weights([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])
    assert consistent.weights == pytest.approx([4 / 7, 2 / 7, 1 / 7], abs=1e-12)
    assert consistent.cr == pytest.approx(0.0, abs=1e-12)


def test_ahp_step_rejects_cr_of_a_tenth_or_more_showing_cr_and_pair():
    # given a consistent matrix with one judgment turned round (b:c = 1/4 instead of 4)
    matrix = [[1, 2, 8], [0.5, 1, "1/4"], ["1/8", 4, 1]]
    with pytest.raises(FrameworkError) as caught:
        parse_steps([{"kind": "weight", "method": "ahp", "ahp": {"T": matrix}}])
    message = str(caught.value)
    result = ahp_weights([[1, 2, 8], [0.5, 1, 0.25], [1 / 8, 4, 1]])
    assert result.cr >= 0.1
    assert f"CR = {result.cr:.4f} ≥ 0.1" in message
    assert "most inconsistent pair" in message
    assert "row 1, column ahp" in message


def test_critic_by_hand():
    # given two columns with sd 1 and 2 and correlation 0, and one copy of the first (r = 1)
    x = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 1.0], [2.0, 0.0, 2.0], [1.0, -2.0, 1.0]])
    w = critic_weights(x)
    sd = x.std(axis=0, ddof=1)
    r = np.corrcoef(x, rowvar=False)
    c = sd * (1 - r).sum(axis=1)
    assert w == pytest.approx(c / c.sum(), abs=1e-12)
    assert r[0, 1] == pytest.approx(0.0, abs=1e-12)
    assert w[0] == pytest.approx(w[2])


def test_pca_weights_follow_the_retained_component():
    # given a and b perfectly correlated and c uncorrelated with them: eigenvalues 2, 1, 0
    x = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, -1.0], [3.0, 6.0, -1.0], [4.0, 8.0, 1.0]])
    w = pca_weights(x)
    # the first component (2/3 of the retained variance) loads a and b at ½ each; the second
    # (1/3) loads c fully: raw weights ⅓, ⅓, ⅓
    assert w == pytest.approx([1 / 3, 1 / 3, 1 / 3], abs=1e-9)


def test_topsis_textbook_example():
    # given the textbook layout (4 alternatives, 4 criteria, the last a cost, weights 0.1, 0.4,
    # 0.3, 0.2), vector normalisation, ideal = max (min for the cost), computed step by step
    raw = np.array(
        [[7.0, 9.0, 9.0, 8.0], [8.0, 7.0, 8.0, 7.0], [9.0, 6.0, 8.0, 9.0], [6.0, 7.0, 8.0, 6.0]]
    )
    w = np.array([0.1, 0.4, 0.3, 0.2])
    r = raw / np.sqrt((raw**2).sum(axis=0))
    v = r * w
    best = np.array([v[:, 0].max(), v[:, 1].max(), v[:, 2].max(), v[:, 3].min()])
    worst = np.array([v[:, 0].min(), v[:, 1].min(), v[:, 2].min(), v[:, 3].max()])
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    expected = d_worst / (d_best + d_worst)
    # when the engine gets the cost column with its direction applied (× −1)
    got = topsis(raw * np.array([1, 1, 1, -1]), w)
    assert got == pytest.approx(expected, abs=1e-12)


def test_topsis_sum_normalisation():
    x = np.array([[1.0, 3.0], [3.0, 1.0], [4.0, 4.0]])
    v = x / x.sum(axis=0) * 0.5
    d_best = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    assert topsis(x, np.array([1.0, 1.0]), "sum") == pytest.approx(d_worst / (d_best + d_worst))


def test_copeland_by_hand():
    # a beats b on x (w 2) and loses on y (w 1): a wins; c loses to both on every child
    x = np.array([[3.0, 1.0], [2.0, 2.0], [0.0, 0.0], [np.nan, np.nan]])
    got = copeland(x, np.array([2.0, 1.0]))
    assert got[:3].tolist() == [2.0, 0.0, -2.0]
    assert math.isnan(got[3])


def test_weight_step_per_level_and_recorded_weights():
    # given equal weights for T's children and entropy for nothing else
    fw = flat_framework("x", "y", weights={"x": 3, "y": 1})
    steps = [
        {"kind": "normalise", "method": "minmax", "range": [1, 2]},
        {"kind": "weight", "method": "equal", "levels": [2]},
        {"kind": "aggregate"},
    ]
    results = run(fw, ["a", "b", "c"], {"x": [0.0, 1.0, 2.0], "y": [2.0, 1.0, 0.0]}, steps)
    assert results.weights("T") == {"x": 0.5, "y": 0.5}
    assert results.score("a", "T") == 1.5
    assert results.log["weighted"] == {"T": {"x": 1.0, "y": 1.0}}


def test_weight_step_entropy_uses_the_normalised_values():
    fw = flat_framework("x", "y")
    steps = [
        {"kind": "normalise", "method": "none"},
        {"kind": "weight", "method": "entropy"},
        {"kind": "aggregate"},
    ]
    results = run(fw, ["a", "b"], {"x": [1.0, 3.0], "y": [5.0, 5.0]}, steps)
    assert results.weights("T") == {"x": 1.0, "y": 0.0}


def test_aggregate_step_topsis_and_copeland():
    fw = flat_framework("x", "y")
    data = {"x": [1.0, 2.0, 2.0], "y": [2.0, 1.0, 2.0]}
    norm = {"kind": "normalise", "method": "none"}
    t = run(fw, ["a", "b", "c"], data, [norm, {"kind": "aggregate", "method": "topsis"}])
    assert t.scores.column("T").tolist() == [0.5, 0.5, 1.0]
    c = run(fw, ["a", "b", "c"], data, [norm, {"kind": "aggregate", "method": "copeland"}])
    assert c.scores.column("T").tolist() == [-1.0, -1.0, 2.0]
