"""Every target form, on short texts: indicator, comparator, value (scale in the unit), unit."""

from decimal import Decimal

import pytest

from kaifaqu.policytext import extract


def targets(body: str) -> list[tuple[str, str, Decimal, str]]:
    document = extract(f"一、任务\n(一)工作。{body}(责任单位:市商务局)\n")
    (measure,) = [m for m in document.measures if m.path == "一/(一)"]
    return [(t.indicator, t.comparator, t.value, t.unit) for t in measure.targets]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("到2025年,全市规上工业企业达到6000家。", [("全市规上工业企业", ">=", 6000, "家")]),
        ("机构比例不低于60%。", [("机构比例", ">=", 60, "%")]),
        ("用地面积不少于工业用地总规模的80%。", [("用地面积", ">=", 80, "%")]),
        ("签约转化率达到50%以上。", [("签约转化率", ">=", 50, "%")]),
        ("占全市比重达80%以上。", [("占全市比重", ">=", 80, "%")]),
        ("市开发区地区生产总值突破800亿元。", [("市开发区地区生产总值", ">", 800, "亿元")]),
        ("累计实际利用外资超40亿美元。", [("累计实际利用外资", ">", 40, "亿美元")]),
        ("收入超过1.5万亿元。", [("收入", ">", Decimal("1.5"), "万亿元")]),
        ("综合能耗不超过5万吨标准煤。", [("综合能耗", "<=", 5, "万吨标准煤")]),
        ("在线监控率100%。", [("在线监控率", "=", 100, "%")]),
        ("外贸增长20%左右。", [("外贸", "=", 20, "%")]),
        ("至少引进一个投资超50亿元的产业项目。", [("投资超50亿元的产业项目", ">=", 1, "个")]),
        ("每年各引进百亿元以上项目2个。", [("百亿元以上项目", "=", 2, "个")]),
        ("每年各引进50亿元以上项目1个以上。", [("50亿元以上项目", ">=", 1, "个")]),
        ("确保全市300平方公里工业用地。", [("工业用地", "=", 300, "平方公里")]),
        (
            "重点围绕2—3个主导产业。",
            [("主导产业", ">=", 2, "个"), ("主导产业", "<=", 3, "个")],
        ),
        ("其他开发区至少翻一番。", [("其他开发区", ">=", 2, "倍")]),
        (
            "服务业增加值、研发投入占比分别达到23%、17%。",
            [("服务业增加值", ">=", 23, "%"), ("研发投入占比", ">=", 17, "%")],
        ),
        (
            "安全风险评估率、平台建成率均达到100%。",
            [("安全风险评估率", ">=", 100, "%"), ("平台建成率", ">=", 100, "%")],
        ),
        (
            "智能车间、工厂、小巨人数量突破160家。",
            [("智能车间、工厂、小巨人数量", ">", 160, "家")],
        ),
        ("排名后10位的予以通报,实现零的突破。", []),
        ("引进50亿元以上项目。", []),
    ],
)
def test_target_forms(body: str, expected: list[tuple[str, str, Decimal, str]]) -> None:
    assert targets(body) == expected


def test_a_target_keeps_the_words_it_was_read_from() -> None:
    text = "一、任务\n(一)工作。到2025年,全市规上工业企业达到6000家。(责任单位:市商务局)\n"
    (target,) = extract(text).measures[1].targets
    assert target.text == "全市规上工业企业达到6000家"
    assert text[target.span.start : target.span.end] == target.text


def test_a_measure_with_a_target_and_no_units_is_a_standing_task() -> None:
    document = extract("一、目标\n(一)发展目标。总值达到3500亿元。\n(二)指导思想。\n")
    assert [(m.path, [d.kind for d in m.deadlines], len(m.targets)) for m in document.measures] == [
        ("一", [], 0),
        ("一/(一)", ["standing"], 1),
        ("一/(二)", [], 0),
    ]


def test_a_count_in_words_without_a_comparator_is_a_slogan() -> None:
    assert targets("打造两个先行标杆区。") == []
    assert targets("建设六个千亿产业集群。") == []
