"""Monte Carlo rank intervals and Sobol indices: seeded, collapsing at the nominal choices,
analytic cases, and the vectorised path equal to one replication at a time."""

import dataclasses
import math
import tomllib

import numpy as np
import polars as pl
import pytest

from kaifaqu.scoring import (
    DataError,
    Framework,
    FrameworkError,
    Node,
    Pipeline,
    StepOptions,
    Uncertainty,
    UnitData,
    WeightNoise,
    load_pipeline,
    parse_steps,
    rank_uncertainty,
    sensitivity,
    sobol_indices,
)
from kaifaqu.scoring import _replications as replications_module
from kaifaqu.scoring import _uncertainty as uncertainty_module
from kaifaqu.scoring.cli import main

from .conftest import FIXTURES

ASEM_CHOICES = (
    WeightNoise("weights", 0.25, (1, 2)),
    StepOptions(
        "normalisation",
        "normalise",
        ({"method": "minmax", "range": [0, 100]}, {"method": "zscore", "mean": 10, "sd": 2}),
    ),
    StepOptions("winsorisation", "treat", ({"max_points": 3}, {"max_points": 5})),
)


def _asem(*choices, seed=7):
    pipeline = load_pipeline(FIXTURES / "asem.toml")
    return dataclasses.replace(pipeline, uncertainty=Uncertainty(choices, seed))


def test_intervals_collapse_to_the_nominal_rank_at_nominal_choices():
    nominal = (
        WeightNoise("weights", 0.0),
        StepOptions("normalisation", "normalise", ({"method": "minmax", "range": [0, 100]},)),
    )
    pipeline = _asem(*nominal)
    table = rank_uncertainty(pipeline, 50)
    ranks = pipeline.run().ranks["rank"].column("Index")
    kept = table.filter(table["Index.rank.median"].is_not_null())
    for column in ("Index.rank.median", "Index.rank.p05", "Index.rank.p95"):
        assert kept[column].to_list() == ranks.tolist()


def test_seeded_runs_are_identical_and_other_seeds_differ():
    first = rank_uncertainty(_asem(*ASEM_CHOICES), 200)
    again = rank_uncertainty(_asem(*ASEM_CHOICES), 200)
    other = rank_uncertainty(_asem(*ASEM_CHOICES, seed=8), 200)
    assert first.equals(again)
    assert not first.equals(other)
    che = first.row(by_predicate=pl.col("uCode") == "CHE", named=True)
    assert che["Index.rank.p05"] <= che["Index.rank.median"] <= che["Index.rank.p95"]


def test_vectorised_replications_equal_one_at_a_time(monkeypatch):
    pipeline = _asem(*ASEM_CHOICES)
    u = np.random.default_rng(3).random((40, 1 + 49 + 8 + 2 + 1))
    fast = uncertainty_module.index_ranks(pipeline, u[:, : _width(pipeline)])
    monkeypatch.setattr(uncertainty_module, "_vectorisable", lambda *args: False)
    slow = uncertainty_module.index_ranks(pipeline, u[:, : _width(pipeline)])
    assert np.array_equal(fast, slow, equal_nan=True)


def _width(pipeline):
    return uncertainty_module._Design(pipeline, pipeline.uncertainty.choices).width


def test_sobol_estimators_on_the_ishigami_function():
    # Ishigami (a = 7, b = 0.1) on [−π, π]³: S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437
    rng = np.random.default_rng(11)
    n = 2**16
    a, b = rng.uniform(-np.pi, np.pi, (n, 3)), rng.uniform(-np.pi, np.pi, (n, 3))

    def f(x):
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    ab = []
    for i in range(3):
        m = a.copy()
        m[:, i] = b[:, i]
        ab.append(f(m))
    first, total = sobol_indices(f(a), f(b), ab)
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=0.03)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.03)


def test_sensitivity_additive_choices_and_a_choice_that_changes_no_rank():
    # given a min-max range choice ([0, 100] or [0, 1]: same ranks) beside noisy weights
    same_ranks = StepOptions(
        "range",
        "normalise",
        ({"method": "minmax", "range": [0, 100]}, {"method": "minmax", "range": [0, 1]}),
    )
    indices = sensitivity(_asem(WeightNoise("weights", 0.25, (1, 2)), same_ranks), 64)
    by_choice = {row[0]: row[1:] for row in indices.iter_rows()}
    assert by_choice["range"] == (0.0, 0.0)
    # the only effective choice explains everything: first order = total = 1 (Monte Carlo error)
    assert by_choice["weights"] == pytest.approx((1.0, 1.0), abs=0.05)


def test_choices_from_the_pipeline_file(tmp_path):
    text = (FIXTURES / "asem.toml").read_text()
    text = text.replace('"ASEM_iData.csv"', f'"{FIXTURES / "ASEM_iData.csv"}"')
    text = text.replace('"ASEM_iMeta.csv"', f'"{FIXTURES / "ASEM_iMeta.csv"}"')
    text += (
        "[uncertainty]\nseed = 5\n"
        '[[uncertainty.choice]]\nkind = "weights"\nspread = 0.25\nlevels = [1, 2]\n'
        '[[uncertainty.choice]]\nkind = "step"\nname = "imputation"\nstep = "impute"\n'
        'options = [{ method = "group_mean" }, { method = "group_median" }]\n'
    )
    (tmp_path / "p.toml").write_text(text)
    pipeline = load_pipeline(tmp_path / "p.toml")
    assert pipeline.uncertainty.seed == 5
    assert [c.name for c in pipeline.uncertainty.choices] == ["weights", "imputation"]
    out = str(tmp_path / "o.csv")
    assert main(["run", str(tmp_path / "p.toml"), "--uncertainty", "30", "-o", out]) == 0
    header = (tmp_path / "o.csv").read_text().splitlines()[0]
    assert header.endswith(
        "Index.rank.mean,Index.rank.median,Index.rank.p05,Index.rank.p95,"
        "Index.score.mean,Index.score.median,Index.score.p05,Index.score.p95"
    )


def test_a_bad_option_is_refused_before_running():
    bad = StepOptions("n", "normalise", ({"method": "nonsense"},))
    with pytest.raises(FrameworkError, match="method must be one of"):
        rank_uncertainty(_asem(bad), 10)


def _three_levels(*choices):
    """Indicators (level 1) under three pillars (level 2) under the index (level 3)."""
    parents = {"i1": "P1", "i2": "P1", "i3": "P1", "i4": "P2", "i5": "P2", "i6": "P3"}
    nodes = [Node(code, parent=parent, weight=1) for code, parent in parents.items()]
    nodes += [Node(p, "Aggregate", parent="T", weight=1) for p in ("P1", "P2", "P3")]
    framework = Framework([*nodes, Node("T", "Aggregate")])
    rng = np.random.default_rng(0)
    data = UnitData.from_columns(
        [f"u{i}" for i in range(8)], {code: rng.random(8) for code in parents}
    )
    steps = parse_steps([{"kind": "normalise", "method": "minmax"}, {"kind": "aggregate"}])
    return Pipeline(framework, data, steps, Uncertainty(choices, 3))


def _changed_weights_per_level(pipeline):
    """How many weights one replication changes, per level of the weighted node."""
    design = uncertainty_module._Design(pipeline, pipeline.uncertainty.choices)
    noise = design.noise(np.random.default_rng(1).random((1, design.width)))
    fw = pipeline.framework
    counts = dict.fromkeys(range(1, fw.max_level + 1), 0)
    for code, multipliers in noise.items():
        for child, m in zip(fw.children(code), multipliers[:, 0], strict=True):
            counts[fw.level(child)] += int(m != 1)
    return counts


@pytest.mark.parametrize(
    ("levels", "changed"),
    [
        ((1,), {1: 6, 2: 0, 3: 0}),  # COINr Level = 1: the indicators' weights
        ((2,), {1: 0, 2: 3, 3: 0}),  # Level = 2: the pillars' weights
        ((1, 2), {1: 6, 2: 3, 3: 0}),  # Level = 1:2
        (None, {1: 6, 2: 3, 3: 0}),  # every level
    ],
)
def test_levels_name_the_level_whose_weights_are_perturbed_as_coinr_does(levels, changed):
    pipeline = _three_levels(WeightNoise("weights", 0.25, levels))
    assert _changed_weights_per_level(pipeline) == changed


def test_a_level_without_weights_is_refused():
    pipeline = _three_levels(WeightNoise("w", 0.25, (3,)))
    with pytest.raises(
        FrameworkError,
        match=r"w: level 3 has no weights to perturb \(levels "
        r"with weights: 1, 2\)",
    ):
        rank_uncertainty(pipeline, 5)


@pytest.mark.parametrize("levels", ["[]", "2", '["2"]'])
def test_levels_must_be_a_list_of_whole_numbers(levels):
    raw = {"choice": [{"kind": "weights", "levels": tomllib.loads(f"x = {levels}")["x"]}]}
    with pytest.raises(FrameworkError, match="levels must be a non-empty list"):
        uncertainty_module.parse_uncertainty(raw)


def _type7(values, q):
    """R's type 7 by hand: h = (n − 1)·q on the sorted values, interpolated between neighbours."""
    x = sorted(values)
    h = (len(x) - 1) * q
    j = math.floor(h)
    return x[j] if j + 1 == len(x) else x[j] + (h - j) * (x[j + 1] - x[j])


def _type1(values, q):
    """R's type 1 by hand: the smallest value whose empirical CDF reaches q."""
    x = sorted(values)
    return x[max(math.ceil(len(x) * q), 1) - 1]


def test_quantiles_are_type_7_by_default_and_type_1_on_request(tmp_path):
    # given ASEM with noisy weights and an alternative normalisation, 100 replications
    pipeline = _asem(*ASEM_CHOICES)
    file = tmp_path / "reps.parquet"
    table = rank_uncertainty(pipeline, 100, replications_file=file)
    per_unit = pl.read_parquet(file).group_by("uCode").agg("rank", "score")
    draws = {row[0]: (row[1], row[2]) for row in per_unit.iter_rows()}
    interpolated = 0
    for row in table.iter_rows(named=True):
        ranks, scores = draws[row["uCode"]]
        for what, values in (("rank", ranks), ("score", scores)):
            assert row[f"Index.{what}.p05"] == pytest.approx(_type7(values, 0.05), rel=1e-12)
            assert row[f"Index.{what}.p95"] == pytest.approx(_type7(values, 0.95), rel=1e-12)
            assert row[f"Index.{what}.mean"] == pytest.approx(sum(values) / 100, rel=1e-12)
            middle = sorted(values)[49:51]
            assert row[f"Index.{what}.median"] == pytest.approx(sum(middle) / 2, rel=1e-12)
        interpolated += not float(row["Index.rank.p95"]).is_integer()
    assert interpolated > 0  # type 7 lands between whole ranks where type 1 cannot
    # when type 1 and other quantiles are asked for
    spec = dataclasses.replace(
        pipeline.uncertainty, quantiles=(0.1, 0.9), quantile_method="inverted_cdf"
    )
    type1 = rank_uncertainty(dataclasses.replace(pipeline, uncertainty=spec), 100)
    for row in type1.iter_rows(named=True):
        ranks, _ = draws[row["uCode"]]
        assert (row["Index.rank.p10"], row["Index.rank.p90"]) == (
            _type1(ranks, 0.1),
            _type1(ranks, 0.9),
        )


def test_the_replications_file_and_the_sampled_parameters(tmp_path):
    pipeline = _asem(*ASEM_CHOICES)
    file = tmp_path / "reps.parquet"
    rank_uncertainty(pipeline, 30, replications_file=file)
    reps = pl.read_parquet(file).sort("replication", maintain_order=True)
    assert reps.columns == ["replication", "uCode", "rank", "score"]
    assert reps.shape == (30 * 51, 4)
    assert reps["replication"].unique().to_list() == list(range(1, 31))
    u = np.random.default_rng(7).random((30, _width(pipeline)))
    expected = uncertainty_module.index_ranks(pipeline, u)
    for r in (1, 17, 30):
        got = reps.filter(pl.col("replication") == r)
        assert got["uCode"].to_list() == [str(c) for c in pipeline.data.codes]
        assert got["rank"].to_list() == expected[:, r - 1].astype(int).tolist()
    parameters = pl.read_parquet(tmp_path / "reps.parameters.parquet")
    weights = [c for c in parameters.columns if c.startswith("weights.")]
    assert parameters.columns == ["replication", *weights, "normalisation", "winsorisation"]
    assert len(weights) == 49 + 8  # COINr Level 1:2 on ASEM: indicators' and pillars' weights
    assert parameters["replication"].to_list() == list(range(1, 31))
    assert set(parameters["normalisation"]) == {
        '{"method": "minmax", "range": [0, 100]}',
        '{"method": "zscore", "mean": 10, "sd": 2}',
    }
    assert parameters.select(weights).min_horizontal().min() >= 0.75
    assert parameters.select(weights).max_horizontal().max() < 1.25


def test_batches_and_slices_change_nothing(tmp_path, monkeypatch):
    pipeline = _asem(*ASEM_CHOICES)
    whole = rank_uncertainty(pipeline, 40, replications_file=tmp_path / "a.parquet")
    monkeypatch.setattr(uncertainty_module, "BATCH_BYTES", 1)  # one replication per batch
    monkeypatch.setattr(replications_module, "SLICE_BYTES", 16 * 40 * 7)  # seven units a slice
    small = rank_uncertainty(pipeline, 40, replications_file=tmp_path / "b.parquet")
    assert small.equals(whole)
    key = ["replication", "uCode"]
    assert (
        pl.read_parquet(tmp_path / "b.parquet")
        .sort(key)
        .equals(pl.read_parquet(tmp_path / "a.parquet").sort(key))
    )


def test_only_the_named_level_moves_the_scores():
    # given the pillars' weights perturbed (COINr Level = 2), indicators' weights as they are
    pipeline = _three_levels(WeightNoise("weights", 0.25, (2,)))
    design = uncertainty_module._Design(pipeline, pipeline.uncertainty.choices)
    u = np.random.default_rng(2).random((5, design.width))
    drawn = design.parameters(u)
    assert drawn.columns == ["replication", "weights.P1", "weights.P2", "weights.P3"]
    nominal = pipeline.run()
    pillars = np.column_stack([nominal.scores.column(p) for p in ("P1", "P2", "P3")])
    # then each replication's index is the mean of the nominal pillars with the drawn weights
    (block,) = uncertainty_module.replication_blocks(pipeline, design, u, 5)
    factors = drawn.select(["weights.P1", "weights.P2", "weights.P3"]).to_numpy()
    by_hand = pillars @ factors.T / factors.sum(axis=1)
    assert block.scores == pytest.approx(by_hand, rel=1e-12)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"quantile_method": "type7"}, "quantile_method must be one of inverted_cdf"),
        ({"quantiles": [0.05, 95]}, r"quantiles must lie in \[0, 1\]"),
    ],
)
def test_quantile_options_are_checked(table, message):
    with pytest.raises(FrameworkError, match=message):
        uncertainty_module.parse_uncertainty({"choice": [{"kind": "weights"}], **table})


def test_cli_streams_the_replications(tmp_path):
    text = (FIXTURES / "asem.toml").read_text()
    text = text.replace('"ASEM_iData.csv"', f'"{FIXTURES / "ASEM_iData.csv"}"')
    text = text.replace('"ASEM_iMeta.csv"', f'"{FIXTURES / "ASEM_iMeta.csv"}"')
    text += '[uncertainty]\nquantiles = [0.25, 0.75]\n[[uncertainty.choice]]\nkind = "weights"\n'
    (tmp_path / "p.toml").write_text(text)
    reps = str(tmp_path / "reps.parquet")
    assert main(["run", str(tmp_path / "p.toml"), "--replications", reps]) == 2
    out = str(tmp_path / "o.csv")
    args = ["run", str(tmp_path / "p.toml"), "--uncertainty", "12", "--replications", reps]
    assert main([*args, "-o", out]) == 0
    assert pl.read_parquet(reps).shape == (12 * 51, 4)
    assert pl.read_parquet(tmp_path / "reps.parameters.parquet").shape == (12, 1 + 49 + 8 + 2)
    assert (tmp_path / "o.csv").read_text().splitlines()[0].endswith("Index.score.p75")


def test_a_refusal_inside_the_streamed_replications_is_raised_as_itself(tmp_path):
    # given an option that the data refuse (a geometric mean over min-max scores with zeros)
    geometric = StepOptions("agg", "aggregate", ({"method": "geometric"},))
    with pytest.raises(DataError, match="the geometric mean refuses zero or negative values"):
        rank_uncertainty(_asem(geometric), 5, replications_file=tmp_path / "r.parquet")
