"""A scheme document's two layouts: the legacy one (version 0) and the pipeline document
(version 1), read to the same scheme; the upgrade keeps comments; faults name their place."""

from pathlib import Path

import pytest

from kaifaqu.mujun.scheme import SchemeError, parse_scheme, preset_text
from kaifaqu.mujun.scheme_format import upgrade_scheme

LEGACY = Path(__file__).parent / "legacy"
PRESETS = ("anhui_5", "huaian_2024", "huangyan_2022")


def _legacy(preset_id: str) -> str:
    return (LEGACY / f"{preset_id}.toml").read_text(encoding="utf-8")


def _problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text)
    return caught.value.problems


@pytest.mark.parametrize("preset_id", PRESETS)
def test_a_legacy_document_and_its_conversion_are_the_same_scheme(preset_id):
    # given a preset as it shipped in the legacy layout
    legacy = _legacy(preset_id)
    # when it is converted
    converted = upgrade_scheme(legacy)
    # then both read to equal schemes, each keeping its own text
    assert parse_scheme(converted) == parse_scheme(legacy)
    assert parse_scheme(legacy).text == legacy
    assert parse_scheme(converted).text == converted
    # and the shipped preset is that conversion, comments and all
    assert preset_text(preset_id) == converted
    comments = [line for line in legacy.splitlines() if line.startswith("#")]
    assert comments
    assert set(comments) <= set(converted.splitlines())


def test_the_converted_layout_is_a_pipeline_document():
    converted = upgrade_scheme(_legacy("huangyan_2022"))
    assert "[document]\n# 方案文档格式第1版" in converted
    assert 'kind = "mujun_scheme"\nformat_version = 1\n' in converted
    assert "weights =" not in converted
    assert (
        '[[pool.framework]]\ncode = "tax_per_mu"\nname = "亩均税收"\nunit = "万元/亩"\n'
        'parent = "total"\nweight = 50\n'
    ) in converted
    assert "[pool.benchmarks]\ntax_per_mu = 11.5932\ntax_per_kwh = 0.2352\n" in converted
    scheme = parse_scheme(converted)
    assert scheme.pool("above").framework.index == "total"
    assert scheme.pool("above").framework.relative_weights("total")["tax_per_mu"] == 0.3


def test_upgrading_a_current_document_returns_it_unchanged():
    current = preset_text("huaian_2024")
    assert upgrade_scheme(current) is current


def test_caps_move_to_the_pools_own_table():
    legacy = _legacy("huangyan_2022").replace(
        "rd_intensity = 0.0302 }", "rd_intensity = 0.0302 }\ncaps = { tax_per_mu = 1.5 }", 1
    )
    converted = upgrade_scheme(legacy)
    assert "[pool.caps]\ntax_per_mu = 1.5\n" in converted
    assert parse_scheme(converted).pool("above").caps == {"tax_per_mu": 1.5}
    assert parse_scheme(converted) == parse_scheme(legacy)


def test_an_unknown_format_version_is_refused_naming_the_fix():
    text = preset_text("huaian_2024").replace("format_version = 1", "format_version = 2", 1)
    assert _problems(text) == [
        "[document] format_version = 2 不是本系统能读的版本:请改为 format_version = 1 "
        "并按第1版格式填写,或删去 [document] 表按旧格式(第0版)填写后由系统转换"
    ]
    with pytest.raises(SchemeError):
        upgrade_scheme(text)


def test_a_document_of_another_kind_is_refused():
    text = preset_text("huaian_2024").replace('"mujun_scheme"', '"assessment"', 1)
    assert _problems(text) == ['[document] kind 须为 "mujun_scheme"(亩均评价方案)']


def test_a_framework_entry_error_names_its_pool_entry_and_key():
    # given the 规上 pool's third framework entry with a weight that is no number
    text = preset_text("huaian_2024").replace("weight = 35", 'weight = "三十五"', 1)
    # then the one problem names the pool, the entry's number and the key
    assert _problems(text) == [
        "评价池「规上」 第3个 [[pool.framework]] 条目 weight:not a number: '三十五'"
    ]


def test_an_entry_outside_the_total_is_refused_by_its_number():
    text = preset_text("huaian_2024").replace(
        'parent = "total"\nweight = 35', 'parent = "tax_per_mu"\nweight = 35', 1
    )
    assert _problems(text) == [
        "评价池「规上」 第3个 [[pool.framework]] 条目 parent:"
        "parent 'tax_per_mu' is not an Aggregate"
    ]
    nested = preset_text("huaian_2024").replace(
        'code = "tax_per_kwh"\nname = "单位电耗税收"\nunit = "万元/万千瓦时"\n',
        'code = "tax_per_kwh"\nname = "单位电耗税收"\nunit = "万元/万千瓦时"\ndirection = -1\n',
        1,
    )
    assert _problems(nested) == [
        "评价池「规上」 第4个 [[pool.framework]] 条目「tax_per_kwh」须为总分下的正向指标"
        '(parent = "total",不设 type 与 direction)'
    ]


def test_a_current_pool_with_legacy_weights_is_told_where_they_go():
    text = preset_text("huaian_2024").replace(
        'scale = "above"\n', 'scale = "above"\nweights = { tax_per_mu = 100 }\n', 1
    )
    assert _problems(text) == [
        "评价池「规上」 的指标与权重写在 [[pool.framework]] 中,第1版格式不用 weights"
    ]


def test_a_framework_name_that_differs_from_its_indicator_is_refused():
    text = preset_text("huaian_2024").replace(
        'name = "亩均销售收入"\nunit = "万元/亩"\nparent',
        'name = "销售收入"\nunit = "万元/亩"\nparent',
        1,
    )
    assert _problems(text) == ["评价池「规上」 指标「rev_per_mu」的名称须与 [[indicator]] 中的一致"]
