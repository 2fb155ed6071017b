"""Numbering into measures, web debris left out, and spans into the original Traditional text."""

from datetime import date

from kaifaqu.policytext import extract

TRADITIONAL = (
    "網站首頁 實用文 書信\n當前位置:人人簡歷網 > 職場\n\n"
    "南京市推進經濟開發區創新提升實施方案\n\n"
    "一、總體要求\n\n以習近平新時代中國特色社會主義思想為指導。\n\n"
    "二、高水平推進開放合作\n\n"
    "(一)提高利用外資質量\n\n"
    "依法合規在外商投資項目前期準備等方面給予支持。(責任單位:市商務局、市發改委、各經開區及相關區)\n\n"
    "(二)提升對外貿易水平\n\n到2025年,全市規上工業企業達到6000家。2022年6月底前完成。"
    "(牽頭單位:省商務廳;\n責任單位:各市、縣(區)政府)\n\n"
    "各區、各部門要深刻認識重大意義。\n\n抄送:市委各部門。\n\n"
    "南京市人民政府辦公廳                   2021年2月23日印發"
)


def test_numbering_becomes_paths_and_headings() -> None:
    document = extract(TRADITIONAL)
    assert [(m.path, m.heading) for m in document.measures] == [
        ("一", "总体要求"),
        ("二", "高水平推进开放合作"),
        ("二/(一)", "提高利用外资质量"),
        ("二/(二)", "提升对外贸易水平"),
    ]
    assert document.title == "南京市推进经济开发区创新提升实施方案"


def test_every_span_points_at_the_original_traditional_characters() -> None:
    document = extract(TRADITIONAL)
    text = document.text
    assert text == TRADITIONAL
    first, second = document.measures[2], document.measures[3]
    assert [(u.name, text[u.span.start : u.span.end]) for u in first.units] == [
        ("市商务局", "市商務局"),
        ("市发改委", "市發改委"),
        ("各经开区及相关区", "各經開區及相關區"),
    ]
    assert [(u.name, u.role, text[u.span.start : u.span.end]) for u in second.units] == [
        ("省商务厅", "lead", "省商務廳"),
        ("各市、县(区)政府", "support", "各市、縣(區)政府"),
    ]
    assert [text[d.span.start : d.span.end] for d in second.deadlines] == [
        "到2025年",
        "2022年6月底前",
    ]
    (target,) = second.targets
    assert text[target.span.start : target.span.end] == "全市規上工業企業達到6000家"
    assert target.indicator == "全市规上工业企业"


def test_a_measure_ends_with_its_block_and_debris_is_no_measure() -> None:
    document = extract(TRADITIONAL)
    text = document.text
    first, second = document.measures[2], document.measures[3]
    assert text[first.span.start : first.span.end].startswith("(一)提高利用外資質量")
    assert text[first.span.start : first.span.end].endswith("各經開區及相關區)")
    assert text[second.span.start : second.span.end].endswith("責任單位:各市、縣(區)政府)")
    assert "各部門" not in text[second.span.start : second.span.end]
    assert all("網站" not in text[m.span.start : m.span.end] for m in document.measures)


def test_the_four_numbering_styles_nest() -> None:
    document = extract("一、甲\n(一)乙\n1.丙\n(1)丁。(责任单位:市商务局)\n2.戊\n二、己\n")
    assert [m.path for m in document.measures] == [
        "一",
        "一/(一)",
        "一/(一)/1",
        "一/(一)/1/(1)",
        "一/(一)/2",
        "二",
    ]


def test_full_width_numbering_is_read() -> None:
    document = extract("一、甲\n(一)乙。(责任单位:市商务局)\n1.丙\n")
    assert [m.path for m in document.measures] == ["一", "一/(一)", "一/(一)/1"]


def test_every_kind_of_line_break_separates_lines() -> None:
    text = "一、甲\r(一)乙。(责任单位:市商务局)\r\n(二)丙\u2029(三)丁\x0b1.戊"
    document = extract(text)
    assert [m.path for m in document.measures] == [
        "一",
        "一/(一)",
        "一/(二)",
        "一/(三)",
        "一/(三)/1",
    ]
    (unit,) = document.measures[1].units
    assert text[unit.span.start : unit.span.end] == "市商务局"


def test_headings_inside_a_line_whose_paragraphs_lost_their_breaks() -> None:
    document = extract(
        "一、总体要求(一)指导思想。坚持创新。二、主要任务(一)提高质量。"
        "(责任单位:市商务局)1.细化措施。(责任单位:市发改委)"
    )
    assert [(m.path, [u.name for u in m.units]) for m in document.measures] == [
        ("一", []),
        ("一/(一)", []),
        ("二", []),
        ("二/(一)", ["市商务局"]),
        ("二/(一)/1", ["市发改委"]),
    ]


def test_a_site_menu_before_the_text_does_not_cut_it_short() -> None:
    document = extract("1.首页\n上一篇\n一、任务\n(一)甲项。(责任单位:市商务局)\n扫一扫\n")
    assert [m.path for m in document.measures] == ["1", "一", "一/(一)"]


def test_a_preamble_that_states_a_target_is_a_measure() -> None:
    text = (
        "关于推进园区发展的实施方案\n"
        "各区人民政府:\n"
        "为落实《园区三年行动计划(2021—2023年)》,力争到2026年全市园区营业收入突破5000亿元。\n"
        "一、主要任务\n(一)招商。推进招商。(责任单位:市商务局)\n"
    )
    document = extract(text)
    opening = document.measures[0]
    assert (opening.path, opening.heading, opening.units) == ("前言", "", ())
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in opening.targets] == [
        ("全市园区营业收入", ">", 5000, "亿元")
    ]
    assert [(d.due, d.text) for d in opening.deadlines] == [(date(2026, 12, 31), "到2026年")]
    assert text[opening.span.start : opening.span.end].startswith("为落实《园区")
    assert [m.path for m in document.measures[1:]] == ["一", "一/(一)"]


def test_a_preamble_without_a_target_is_no_measure() -> None:
    text = (
        "关于推进园区发展的实施方案\n"
        "为落实《园区三年行动计划(2021—2023年)》,推进“十四五”期间园区发展,制定本方案。\n"
        "一、主要任务\n(一)招商。推进招商。(责任单位:市商务局)\n"
    )
    assert [m.path for m in extract(text).measures] == ["一", "一/(一)"]
