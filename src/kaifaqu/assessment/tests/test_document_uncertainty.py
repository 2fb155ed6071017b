"""A framework document's ``[uncertainty]`` is read by the engine's own parser: the same keys,
defaults and refusals as a pipeline file (levels in COINr's meaning, quantiles, their method)."""

import pytest

from kaifaqu.assessment.framework import DocumentError, parse_document, preset_text
from kaifaqu.scoring import UnitData, WeightNoise


def _with_uncertainty_keys(text: str) -> str:
    return preset_text("provincial_six").replace("[uncertainty]\n", f"[uncertainty]\n{text}\n", 1)


def test_quantiles_and_their_method_reach_the_pipeline():
    doc = parse_document(
        _with_uncertainty_keys(
            'quantiles = [0.05, 0.1, 0.9, 0.95]\nquantile_method = "inverted_cdf"'
        )
    )
    spec = doc.pipeline(
        UnitData.from_columns(["Z"], {c: [1.0] for c in doc.indicators})
    ).uncertainty
    assert (spec.quantiles, spec.quantile_method) == ((0.05, 0.1, 0.9, 0.95), "inverted_cdf")
    assert spec.choices[0] == WeightNoise("维度权重±25%", 0.25, (2,))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ('quantile_method = "type7"', "quantile_method must be one of"),
        ("quantiles = [5, 95]", r"quantiles must lie in \[0, 1\]"),
        ("replications = 10", "unknown key 'replications'"),
        ("quantiles = [0.1, 0.9]", "不确定性分析的 quantiles 须包含 0.05 和 0.95"),
    ],
)
def test_a_bad_uncertainty_table_is_refused_when_the_document_is_read(keys, message):
    with pytest.raises(DocumentError, match=message):
        parse_document(_with_uncertainty_keys(keys))
