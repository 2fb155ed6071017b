"""Tiny frameworks and pipelines built in code, for hand-computed cases."""

from kaifaqu.scoring import Framework, Node, Pipeline, UnitData, parse_steps


def flat_framework(*codes, directions=None, weights=None, targets=None, denominators=None):
    """Indicators under one aggregate ``T``."""
    directions, weights = directions or {}, weights or {}
    targets, denominators = targets or {}, denominators or {}
    nodes = [
        Node(
            c,
            parent="T",
            weight=weights.get(c, 1.0),
            direction=directions.get(c, 1),
            target=targets.get(c),
            denominator=denominators.get(c),
        )
        for c in codes
    ]
    return Framework([*nodes, Node("T", "Aggregate")])


def run(framework, units, indicators, steps, **columns):
    data = UnitData.from_columns(units, indicators, **columns)
    return Pipeline(framework, data, parse_steps(steps)).run()


def normalised(values, step, direction=1, **framework):
    """One indicator ``x`` over units u0, u1, … normalised by ``step``; returns the column."""
    fw = flat_framework("x", directions={"x": direction}, **framework)
    units = [f"u{i}" for i in range(len(values))]
    results = run(fw, units, {"x": values}, [{"kind": "normalise", **step}])
    return results.datasets["Normalised"].column("x").tolist()
