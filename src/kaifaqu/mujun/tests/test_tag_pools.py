"""A pool by 信息标签 (重点排污 units ranked apart, as 宁波 does), offline and from the database."""

import pytest

from kaifaqu.mujun import actions
from kaifaqu.mujun.evaluation import evaluate
from kaifaqu.mujun.models import EvaluationResult
from kaifaqu.mujun.scheme import SchemeError, parse_scheme

from .conftest import evaluate_now
from .helpers import enterprises

TAGGED = """
[scheme]
id = "tagged"
name = "重点排污单独排序"
land_threshold_mu = 5
[[indicator]]
code = "tax_per_mu"
name = "亩均税收"
numerator = "tax_paid"
denominator = "land_area_mu"
unit = "万元/亩"
[[pool]]
code = "key"
name = "重点排污"
scale = "above"
tag = "{tag}"
weights = { tax_per_mu = 100 }
benchmarks = { tax_per_mu = 10.0 }
[[pool]]
code = "above"
name = "规上"
scale = "above"
weights = { tax_per_mu = 100 }
benchmarks = { tax_per_mu = 10.0 }
[grading]
shares = [20, 60, 95]
"""


def test_units_carrying_the_tag_form_their_own_pool_ranked_apart():
    # given six enterprises, three tagged 重点排污单位 (one among other tags), one "非重点排污单位"
    frame = enterprises(
        [600.0, 500.0, 400.0, 300.0, 200.0, 100.0],
        tags=[
            "重点排污单位",
            None,
            "高新技术企业、重点排污单位",
            "非重点排污单位",
            "重点排污单位;瞪羚企业",
            "",
        ],
    )
    # when evaluated
    result = evaluate(frame, parse_scheme(TAGGED.replace("{tag}", "重点排污单位")), 2025).frame
    # then the tag alone decides the pool (a longer tag containing it does not)
    pools = dict(zip(result["uscc"], result["pool"], strict=True))
    assert pools == {
        "E000": "key",
        "E001": "above",
        "E002": "key",
        "E003": "above",
        "E004": "key",
        "E005": "above",
    }
    # and each pool ranks its own three units
    ranks = dict(zip(result["uscc"], result["rank"], strict=True))
    assert ranks == {"E000": 1, "E002": 2, "E004": 3, "E001": 1, "E003": 2, "E005": 3}


def test_a_pool_tag_must_name_a_tag():
    with pytest.raises(SchemeError) as refused:
        parse_scheme(TAGGED.replace("{tag}", " "))
    assert refused.value.problems == ['评价池「重点排污」 tag 须为标签名称,如 "重点排污单位"']


def test_a_database_run_puts_tagged_enterprises_in_the_tag_pool(run, manager):
    # given the province's first two enterprises tagged 重点排污单位 and a scheme pooling them
    from kaifaqu.catalog.models import Tag

    tag = Tag.objects.get(name="重点排污单位")  # in the shipped tag library
    results = EvaluationResult.objects.filter(run=run).order_by("enterprise_id")
    tagged = [r.enterprise for r in results[:2]]
    for enterprise in tagged:
        enterprise.tags.add(tag)
    scheme = actions.save_scheme_version(
        run.scheme, TAGGED.replace("{tag}", "重点排污单位"), acting_user=manager
    )
    # when a run under it is evaluated
    again = evaluate_now(
        actions.start_run(scheme, year=2025, region=run.region, zone=None, acting_user=manager)
    )
    # then exactly the tagged enterprises are in the 重点排污 pool, the rest in 规上
    pools = dict(EvaluationResult.objects.filter(run=again).values_list("enterprise_id", "pool"))
    assert {e for e, pool in pools.items() if pool == "key"} == {e.pk for e in tagged}
    assert {pool for e, pool in pools.items() if e not in {t.pk for t in tagged}} == {"above"}


def test_the_offline_cli_reads_the_tags_column(tmp_path):
    # given a file with a 标签 column and the tag-pool scheme as a file
    from kaifaqu.mujun.cli import main

    from .test_cli import sheet_rows

    scheme = tmp_path / "tagged.toml"
    scheme.write_text(TAGGED.replace("{tag}", "重点排污单位"), encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text(
        "统一社会信用代码,企业名称,规模,用地面积(亩),实缴税收(万元),标签\n"
        "91330003MA2AAAAA1L,甲阀门,规上,10,300,重点排污单位\n"
        "91330003MA2AAAAB3U,乙公司,规上,10,200,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.xlsx"
    # when evaluated offline
    assert (
        main(["evaluate", str(data), "--scheme", str(scheme), "--year", "2025", "-o", str(out)])
        == 0
    )
    # then the tagged enterprise is in the 重点排污 pool, the other in 规上, each first in its pool
    _, first, second = sheet_rows(out)
    assert (first[2], second[2]) == ("重点排污", "规上")
    assert (first[-4], second[-4]) == (1, 1)
