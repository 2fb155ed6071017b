"""Hand-computed small cases for every step kind."""

import math

import pytest

from kaifaqu.scoring import DataError, FrameworkError, parse_steps

from .helpers import flat_framework, normalised, run

NAN = math.nan


def _same(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert (math.isnan(g) and math.isnan(e)) or g == e, (got, expected)


# -- normalise ---------------------------------------------------------------------------------


def test_minmax_to_any_range_and_cost_direction():
    _same(normalised([1.0, 3.0, 5.0], {"method": "minmax", "range": [1, 100]}), [1.0, 50.5, 100.0])
    _same(
        normalised([1.0, 3.0, NAN, 5.0], {"method": "minmax"}, direction=-1),
        [100.0, 50.0, NAN, 0.0],
    )


def test_minmax_constant_column_is_an_error_unless_upper():
    with pytest.raises(DataError) as caught:
        normalised([100.0, 100.0, 100.0], {"method": "minmax"})
    assert caught.value.indicator == "x"
    _same(
        normalised([100.0, 100.0, NAN], {"method": "minmax", "constant": "upper"}),
        [100.0, 100.0, NAN],
    )


def test_zscore_uses_the_sample_sd():
    _same(normalised([2.0, 4.0, 6.0], {"method": "zscore", "mean": 10, "sd": 2}), [8.0, 10.0, 12.0])


def test_rank_and_percentile_rank():
    _same(normalised([10.0, 30.0, 10.0, 20.0], {"method": "rank"}), [1.0, 4.0, 1.0, 3.0])
    _same(
        normalised([10.0, 30.0, 20.0, 20.0, 40.0], {"method": "percentile"}),
        [0.0, 0.75, 0.25, 0.25, 1.0],
    )


def test_distance_to_target_from_metadata_with_cap():
    _same(
        normalised([0.0, 5.0, 20.0], {"method": "target", "cap": 1.0}, targets={"x": 10.0}),
        [0.0, 0.5, 1.0],
    )
    _same(
        normalised([0.0, 5.0, 20.0], {"method": "target", "targets": {"x": 20.0}}), [0.0, 0.25, 1.0]
    )


def test_distance_to_reference_unit_and_to_max():
    _same(normalised([2.0, 4.0, 6.0], {"method": "reference", "reference": "u1"}), [0.0, 1.0, 2.0])
    _same(normalised([2.0, 4.0, 6.0], {"method": "max"}), [0.0, 0.5, 1.0])


def test_goalposts_cap_both_ends_and_flip_cost():
    step = {"method": "goalposts", "goalposts": {"x": [20, 85]}}
    _same(normalised([10.0, 52.5, 90.0], step), [0.0, 0.5, 1.0])
    _same(normalised([10.0, 33.0, 90.0], step, direction=-1), [1.0, 0.8, 0.0])
    _same(normalised([52.5], {"method": "goalposts", "goalposts": {"x": [20, 85, 100]}}), [50.0])


def test_benchmark_ratio_fixed_per_pool_and_statistic():
    _same(normalised([12.0, 48.0], {"method": "benchmark", "benchmarks": {"x": 24.0}}), [0.5, 2.0])
    _same(
        normalised([12.0, 48.0], {"method": "benchmark", "benchmarks": {"x": 24.0}, "cap": 1.5}),
        [0.5, 1.5],
    )
    _same(
        normalised([12.0, 48.0], {"method": "benchmark", "statistic": "mean", "factor": 2}),
        [0.2, 0.8],
    )
    fw = flat_framework("x")
    results = run(
        fw,
        ["a", "b", "c"],
        {"x": [10.0, 30.0, 9.0]},
        [
            {
                "kind": "normalise",
                "method": "benchmark",
                "pool": "scale",
                "benchmarks": {"x": {"big": 20.0, "small": 3.0}},
            }
        ],
        attributes={"scale": ["big", "big", "small"]},
    )
    _same(results.datasets["Normalised"].column("x").tolist(), [0.5, 1.5, 3.0])


def test_benchmark_without_one_for_the_units_pool_names_unit():
    with pytest.raises(DataError) as caught:
        run(
            flat_framework("x"),
            ["a", "b"],
            {"x": [1.0, 2.0]},
            [
                {
                    "kind": "normalise",
                    "method": "benchmark",
                    "pool": "p",
                    "benchmarks": {"x": {"one": 1.0}},
                }
            ],
            attributes={"p": ["one", "two"]},
        )
    assert (caught.value.indicator, caught.value.unit) == ("x", "b")


def test_vector_and_sum():
    _same(normalised([3.0, 4.0], {"method": "vector"}), [0.6, 0.8])
    _same(normalised([1.0, 3.0, NAN], {"method": "sum"}), [0.25, 0.75, NAN])


def test_by_indicator_overrides_the_method():
    fw = flat_framework("x", "y")
    results = run(
        fw,
        ["a", "b"],
        {"x": [1.0, 3.0], "y": [5.0, 15.0]},
        [{"kind": "normalise", "method": "minmax", "by_indicator": {"y": "sum"}}],
    )
    assert results.datasets["Normalised"].column("y").tolist() == [0.25, 0.75]
    assert results.datasets["Normalised"].column("x").tolist() == [0.0, 100.0]


# -- aggregate ---------------------------------------------------------------------------------


def _aggregate(method, values, weights=None):
    fw = flat_framework("x", "y", weights=weights)
    results = run(
        fw, ["a", "b"], {"x": values[0], "y": values[1]}, [{"kind": "aggregate", "method": method}]
    )
    return results.scores.column("T").tolist()


def test_arithmetic_drops_missing_children_and_renormalises():
    assert _aggregate("arithmetic", ([50.0, 80.0], [100.0, NAN]), {"x": 1, "y": 3}) == [87.5, 80.0]


def test_geometric_and_harmonic_means():
    # exp(Σ w ln x / Σ w), as COINr computes it: exact to the last ulp or two
    assert _aggregate("geometric", ([4.0, 2.0], [16.0, NAN])) == pytest.approx([8.0, 2.0], 1e-15)
    assert _aggregate("harmonic", ([1.0, 2.0], [3.0, NAN]), {"x": 1, "y": 1}) == [1.5, 2.0]


def test_weighted_sum_keeps_weights_as_points():
    assert _aggregate("sum", ([0.5, 1.0], [2.0, NAN]), {"x": 30, "y": 20}) == [55.0, 30.0]


def test_geometric_refuses_zero_naming_child_and_unit():
    with pytest.raises(DataError) as caught:
        _aggregate("geometric", ([4.0, 0.0], [16.0, 1.0]))
    assert (caught.value.indicator, caught.value.unit) == ("x", "b")


def test_unit_without_any_child_has_no_score_and_no_rank():
    fw = flat_framework("x")
    results = run(fw, ["a", "b"], {"x": [1.0, NAN]}, [{"kind": "aggregate"}])
    assert math.isnan(results.score("b", "T"))
    assert results.rank("b", "T") is None


def test_by_level_picks_the_method_per_level():
    steps = parse_steps(
        [{"kind": "aggregate", "method": "arithmetic", "by_level": {"3": "geometric"}}]
    )
    assert steps[0].by_level == {3: "geometric"}


# -- denominate, impute, screen, transform ------------------------------------------------------


def test_denominate_divides_and_missing_denominator_makes_missing():
    fw = flat_framework("x", "y", denominators={"x": "area"})
    results = run(
        fw,
        ["a", "b"],
        {"x": [10.0, 9.0], "y": [1.0, 2.0]},
        [{"kind": "denominate"}],
        denominators={"area": [4.0, None]},
    )
    _same(results.datasets["Denominated"].column("x").tolist(), [2.5, NAN])
    assert results.datasets["Denominated"].column("y").tolist() == [1.0, 2.0]


def test_zero_denominator_names_indicator_and_unit():
    fw = flat_framework("x", denominators={"x": "area"})
    with pytest.raises(DataError) as caught:
        run(
            fw,
            ["a", "b"],
            {"x": [10.0, 9.0]},
            [{"kind": "denominate"}],
            denominators={"area": [4.0, 0.0]},
        )
    assert (caught.value.indicator, caught.value.unit) == ("x", "b")
    assert str(caught.value) == "indicator x, unit b: zero denominator 'area'"


def _impute(method, values, groups, **extra):
    fw = flat_framework("x")
    units = [f"u{i}" for i in range(len(values))]
    results = run(
        fw,
        units,
        {"x": values},
        [{"kind": "impute", "method": method, **extra}],
        attributes={"g": groups},
    )
    return results.datasets["Imputed"].column("x").tolist()


def test_impute_mean_median_and_by_group():
    values = [1.0, 2.0, NAN, 10.0, 20.0, 40.0, NAN]
    groups = ["e", "e", "e", "w", "w", "w", None]
    _same(_impute("mean", values, groups), [1.0, 2.0, 14.6, 10.0, 20.0, 40.0, 14.6])
    _same(_impute("median", values, groups), [1.0, 2.0, 10.0, 10.0, 20.0, 40.0, 10.0])
    # a unit with no group keeps its missing value and feeds no group
    _same(_impute("group_mean", values, groups, group="g"), [1.0, 2.0, 1.5, 10.0, 20.0, 40.0, NAN])
    _same(
        _impute("group_median", [1.0, 2.0, 4.0, 7.0, NAN], ["e"] * 5, group="g"),
        [1.0, 2.0, 4.0, 7.0, 3.0],
    )


def test_impute_by_group_can_refuse_a_unit_without_group():
    with pytest.raises(DataError) as caught:
        _impute("group_mean", [1.0, NAN], ["e", None], group="g", no_group="error")
    assert (caught.value.indicator, caught.value.unit) == ("x", "u1")


def test_screen_drops_below_threshold_strictly_and_lists_availability():
    fw = flat_framework("x", "y", "z", "w")
    results = run(
        fw,
        ["full", "three", "two"],
        {"x": [1.0, 1.0, 1.0], "y": [2.0, 2.0, 2.0], "z": [3.0, 3.0, NAN], "w": [4.0, NAN, NAN]},
        [{"kind": "screen", "min_availability": 0.75}],
    )
    assert results.units.tolist() == ["full", "three"]
    assert [(u.code, u.availability) for u in results.screened_out] == [("two", 0.5)]


def test_screen_after_impute_changes_nothing_that_imputation_filled():
    fw = flat_framework("x", "y")
    steps = [{"kind": "impute", "method": "mean"}, {"kind": "screen", "min_availability": 1.0}]
    results = run(fw, ["a", "b"], {"x": [1.0, NAN], "y": [2.0, 4.0]}, steps)
    assert results.units.tolist() == ["a", "b"]


def test_transform_log_and_refusal_of_non_positive():
    fw = flat_framework("x")
    results = run(fw, ["a", "b"], {"x": [1.0, math.e]}, [{"kind": "transform", "method": "log"}])
    assert results.datasets["Transformed"].column("x").tolist() == [0.0, 1.0]
    with pytest.raises(DataError) as caught:
        run(fw, ["a", "b"], {"x": [1.0, 0.0]}, [{"kind": "transform", "method": "log"}])
    assert (caught.value.indicator, caught.value.unit) == ("x", "b")


def test_round_then_rank_ranks_the_rounded_scores():
    fw = flat_framework("x")
    steps = [{"kind": "aggregate"}, {"kind": "round", "digits": 2}, {"kind": "rank"}]
    results = run(fw, ["a", "b", "c"], {"x": [2.675, 2.6749, 2.68]}, steps)
    assert results.scores.column("T").tolist() == [2.68, 2.67, 2.68]
    assert [results.rank(u, "T") for u in ("a", "b", "c")] == [1, 3, 1]
    before = run(
        fw,
        ["a", "b", "c"],
        {"x": [2.675, 2.6749, 2.68]},
        [{"kind": "aggregate"}, {"kind": "rank"}, {"kind": "round", "digits": 2}],
    )
    assert [before.rank(u, "T") for u in ("a", "b", "c")] == [2, 3, 1]


def test_rank_within_groups_keeps_unit_without_group_unranked():
    fw = flat_framework("x")
    results = run(
        fw,
        ["a", "b", "c", "d", "e"],
        {"x": [5.0, 7.0, 5.0, 1.0, 9.0]},
        [{"kind": "aggregate"}, {"kind": "rank", "within": "g"}],
        attributes={"g": ["p", "p", "p", "q", None]},
    )
    assert [results.rank(u, "T", "rank.g") for u in "abcde"] == [2, 1, 2, 1, None]
    assert [results.rank(u, "T") for u in "abcde"] == [3, 2, 3, 5, 1]


@pytest.mark.parametrize(
    ("step", "key"),
    [
        ({"kind": "normalize"}, "kind"),
        ({"kind": "normalise", "method": "minmaxx"}, "method"),
        ({"kind": "screen"}, "min_availability"),
        ({"kind": "impute", "method": "group_mean"}, "group"),
        ({"kind": "classify", "shares": [20, 60]}, "grades"),
        ({"kind": "classify", "shares": [60, 20, 95]}, "shares"),
        ({"kind": "aggregate", "by_level": {"top": "geometric"}}, "by_level"),
    ],
)
def test_bad_step_keys_are_named(step, key):
    with pytest.raises(FrameworkError) as caught:
        parse_steps([{"kind": "round"}, step], "p.toml")
    assert (caught.value.row, caught.value.column) == (2, key)
