"""Every deadline form, on short texts; a date of issue given or read from the text."""

from datetime import date

import pytest

from kaifaqu.policytext import extract

ISSUED = date(2022, 4, 2)


def deadlines(body: str, issued: date | None = ISSUED) -> list[tuple[str, object, str]]:
    document = extract(f"一、任务\n(一)工作。{body}(责任单位:市商务局)\n", issued=issued)
    (measure,) = [m for m in document.measures if m.path == "一/(一)"]
    return [(d.kind, d.due or d.recurrence, d.text) for d in measure.deadlines]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("2022年6月底前完成。", [("date", date(2022, 6, 30), "2022年6月底前")]),
        ("2022年12月底前建立机制。", [("date", date(2022, 12, 31), "2022年12月底前")]),
        ("2023年3月15日前报送。", [("date", date(2023, 3, 15), "2023年3月15日前")]),
        ("20229月底前理顺关系。", [("date", date(2022, 9, 30), "20229月底前")]),
        ("到2022年底,完成改造。", [("date", date(2022, 12, 31), "2022年底")]),
        ("年底前完成。", [("date", date(2022, 12, 31), "年底前")]),
        ("到2025年,企业达到6000家。", [("date", date(2025, 12, 31), "到2025年")]),
        ("十四五末,总值突破800亿元。", [("date", date(2025, 12, 31), "十四五末")]),
        ("到“十四五”末,建成平台。", [("date", date(2025, 12, 31), "“十四五”末")]),
        ("“十四五”期间实现突破。", [("date", date(2025, 12, 31), "“十四五”期间")]),
        ("工程2023年开工建设。", [("date", date(2023, 12, 31), "2023年")]),
        ("每年召开一次会议。", [("recurring", "yearly", "每年")]),
        ("每季度报送进展。", [("recurring", "quarterly", "每季度")]),
        ("按季度通报。", [("recurring", "quarterly", "按季度")]),
        ("每月调度。", [("recurring", "monthly", "每月")]),
        ("定期开展评估,定期通报。", [("recurring", "periodic", "定期")]),
        ("推进工作。", [("standing", None, "")]),
        ("力争通过三年专项整治。", [("standing", None, "")]),
        ("执行《用地指标》(2018版)要求。", [("standing", None, "")]),
        ("到20xx年,建成基地。", [("standing", None, "")]),
        ("到2024年底前完成改造。", [("date", date(2024, 12, 31), "2024年底前")]),
        ("2023年上半年完成。", [("date", date(2023, 6, 30), "2023年上半年")]),
        ("下半年启动。", [("date", date(2022, 12, 31), "下半年")]),
        ("一季度完成摸底。", [("date", date(2023, 3, 31), "一季度")]),
        ("2023年第三季度末前建成。", [("date", date(2023, 9, 30), "2023年第三季度末前")]),
        ("三年内完成整合。", [("date", date(2025, 4, 2), "三年内")]),
        ("6个月内出台细则。", [("date", date(2022, 10, 2), "6个月内")]),
        ("2023年起实施。", [("standing", None, "")]),
        ("自2023年开展评估。", [("standing", None, "")]),
        ("园区产值比2020年翻一番。", [("standing", None, "")]),
        ("占比较“十三五”末提高5个百分点。", [("standing", None, "")]),
        ("与2020年相比,能耗下降。", [("standing", None, "")]),
        ("研发投入占比到2025年达到3%。", [("date", date(2025, 12, 31), "到2025年")]),
        ("落实《三年行动计划(2021—2023年)》。", [("standing", None, "")]),
    ],
)
def test_deadline_forms(body: str, expected: list[tuple[str, object, str]]) -> None:
    assert deadlines(body) == expected


def test_a_month_with_no_year_is_the_first_such_month_end_on_or_after_issue() -> None:
    assert deadlines("6月底前制定办法。") == [("date", date(2022, 6, 30), "6月底前")]
    assert deadlines("3月底前制定办法。") == [("date", date(2023, 3, 31), "3月底前")]
    assert deadlines("4月底前制定办法。", issued=date(2022, 4, 30)) == [
        ("date", date(2022, 4, 30), "4月底前")
    ]


def test_the_date_of_issue_is_read_from_the_text_when_not_given() -> None:
    document = extract(
        "一、任务\n(一)工作。6月底前完成。(责任单位:市商务局)\n\n"
        "南京市人民政府办公厅    2021年2月23日印发"
    )
    assert document.issued == date(2021, 2, 23)
    assert document.issuer == "南京市人民政府办公厅"
    assert document.measures[1].deadlines[0].due == date(2021, 6, 30)


def test_an_info_table_gives_the_particulars() -> None:
    document = extract(
        "标 题 市政府关于印发行动方案的通知\n文 号 连政发〔2022〕32号 主 题 词\n"
        "发布机构 市政府办 发文日期 2022-04-02\n一、任务\n(一)年底前完成。(责任单位:市商务局)\n"
    )
    assert (document.title, document.doc_number, document.issuer, document.issued) == (
        "市政府关于印发行动方案的通知",
        "连政发〔2022〕32号",
        "市政府办",
        date(2022, 4, 2),
    )
    assert document.measures[1].deadlines[0].due == date(2022, 12, 31)


def test_with_no_date_of_issue_the_title_year_dates_a_deadline_with_no_year() -> None:
    document = extract("2019年全省开发区工作要点\n一、任务\n(一)年底前完成。(责任单位:省商务厅)\n")
    assert document.issued is None
    assert document.measures[1].deadlines[0].due == date(2019, 12, 31)


def test_a_lead_in_deadline_belongs_to_the_items_it_introduces() -> None:
    document = extract(
        "一、任务\n(一)到2027年,完成以下工作。\n1.甲项。(责任单位:市商务局)\n"
        "2.乙项,每年评估。(责任单位:市发改委)\n"
    )
    assert [(m.path, [d.due or d.recurrence for d in m.deadlines]) for m in document.measures] == [
        ("一", []),
        ("一/(一)", []),
        ("一/(一)/1", [date(2027, 12, 31)]),
        ("一/(一)/2", ["yearly", date(2027, 12, 31)]),
    ]


def test_a_period_counted_from_issue_needs_the_date_of_issue() -> None:
    assert deadlines("三年内完成整合,一季度完成摸底。", issued=None) == [("standing", None, "")]
    assert deadlines("三年内完成整合,一季度完成摸底。", issued=date(2023, 1, 10)) == [
        ("date", date(2026, 1, 10), "三年内"),
        ("date", date(2023, 3, 31), "一季度"),
    ]
