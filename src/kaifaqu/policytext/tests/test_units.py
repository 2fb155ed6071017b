"""Every form of responsibility the extractor reads, on short texts."""

from datetime import date

from kaifaqu.policytext import extract


def units(body: str) -> list[tuple[str, str]]:
    """(name, role) of the one measure "(一)…" whose text is ``body``."""
    document = extract(f"一、任务\n(一)工作。{body}\n")
    (measure,) = [m for m in document.measures if m.path == "一/(一)"]
    return [(unit.name, unit.role) for unit in measure.units]


def test_a_duty_block_makes_every_listed_unit_a_lead() -> None:
    assert units("推进工作。(责任单位:市商务局、市发改委、各经开区及相关区)") == [
        ("市商务局", "lead"),
        ("市发改委", "lead"),
        ("各经开区及相关区", "lead"),
    ]


def test_lead_and_duty_labels_tell_lead_from_support() -> None:
    assert units("推进工作。(牵头单位:省商务厅;责任单位:省发改委、省财政厅)") == [
        ("省商务厅", "lead"),
        ("省发改委", "support"),
        ("省财政厅", "support"),
    ]


def test_a_block_broken_across_lines_with_nested_brackets_is_one_block() -> None:
    assert units("推进工作。(牵头单位:省商务厅;\n责任单位:各市、县(区)政府,市商务局(自贸办))") == [
        ("省商务厅", "lead"),
        ("各市、县(区)政府", "support"),
        ("市商务局(自贸办)", "support"),
    ]


def test_full_width_brackets_and_colons_are_read() -> None:
    assert units("推进工作。(责任单位:市商务局;市发改委,市财政局)") == [
        ("市商务局", "lead"),
        ("市发改委", "lead"),
        ("市财政局", "lead"),
    ]


def test_a_name_opened_by_ge_keeps_the_members_joined_to_it() -> None:
    assert units("推进工作。(责任单位:市委编办,各县区、功能板块,各省级开发区)") == [
        ("市委编办", "lead"),
        ("各县区、功能板块", "lead"),
        ("各省级开发区", "lead"),
    ]


def test_lead_with_supporting_units() -> None:
    assert units("推进工作。(市商务局牵头,市发改委、市财政局配合)") == [
        ("市商务局", "lead"),
        ("市发改委", "support"),
        ("市财政局", "support"),
    ]


def test_x_fuze_in_a_block() -> None:
    assert units("推进工作。(市商务局负责)") == [("市商务局", "lead")]


def test_you_x_huitong_y_in_a_block() -> None:
    assert units("推进工作。(由市商务局会同市发改委负责)") == [
        ("市商务局", "lead"),
        ("市发改委", "support"),
    ]


def test_units_listed_with_deng_share_the_duty() -> None:
    assert units("推进工作。(省发改委、省住建厅等单位,各市、州、县人民政府分工负责)") == [
        ("省发改委", "lead"),
        ("省住建厅", "lead"),
        ("各市、州、县人民政府", "lead"),
    ]


def test_you_x_huitong_y_in_a_sentence() -> None:
    assert units("由市商务局会同市发改委、市财政局制定办法。") == [
        ("市商务局", "lead"),
        ("市发改委", "support"),
        ("市财政局", "support"),
    ]


def test_x_fuze_and_x_qiantou_in_sentences() -> None:
    assert units("办法由市商务局负责制定。") == [("市商务局", "lead")]
    assert units("建立机制,市商务局牵头,市发改委配合。") == [
        ("市商务局", "lead"),
        ("市发改委", "support"),
    ]
    assert units("由链长负责统筹协调。") == [("链长", "lead")]


def test_a_responsibility_system_or_person_names_no_unit() -> None:
    assert units("推行重点项目链长负责制,定期调度。") == []
    assert units("推行招商引资首问负责制,由园区管委会负责落实。") == [("园区管委会", "lead")]
    assert units("各园区管委会负责人要亲自抓。") == []


def test_a_unit_line_without_brackets() -> None:
    assert units("推进工作。\n责任单位:市商务局、市发改委") == [
        ("市商务局", "lead"),
        ("市发改委", "lead"),
    ]


def test_a_yixia_block_gives_its_units_to_the_items_below() -> None:
    document = extract(
        "一、任务\n(以下各项均由市商务局负责)\n(一)甲项工作。\n(二)乙项工作。(责任单位:市发改委)\n"
    )
    assert [(m.path, [u.name for u in m.units]) for m in document.measures] == [
        ("一", []),
        ("一/(一)", ["市商务局"]),
        ("一/(二)", ["市发改委"]),
    ]


def test_the_yixia_lead_in_of_a_label_list_is_skipped() -> None:
    document = extract("一、任务\n(以下任务责任单位:市商务局、市发改委)\n(一)甲项工作。\n")
    assert [u.name for u in document.measures[1].units] == ["市商务局", "市发改委"]


def test_a_bracket_that_names_no_unit_is_not_a_block() -> None:
    assert units("促进我市经济开发区(以下简称经开区)开放创新。") == []
    assert units("开展跨境电商业务(B型)。") == []


def test_a_measure_with_two_blocks_is_a_task_per_block() -> None:
    document = extract(
        "一、任务\n1.甲乙两事。2022年6月底前完成甲。(责任单位:市商务局)"
        "每年开展乙。(责任单位:市发改委)\n"
    )
    assert [
        (m.path, [u.name for u in m.units], [d.due or d.recurrence for d in m.deadlines])
        for m in document.measures
    ] == [
        ("一", [], []),
        ("一/1", [], []),
        ("一/1#1", ["市商务局"], [date(2022, 6, 30)]),
        ("一/1#2", ["市发改委"], ["yearly"]),
    ]


def test_units_named_for_every_later_task_are_added_to_each_later_block() -> None:
    document = extract(
        "一、任务\n(一)甲项。(牵头单位:省商务厅;责任单位:省财政厅,"
        "以下均需各市、县(区)政府落实,不再列出)\n"
        "(二)乙项。(牵头单位:省科技厅)\n(三)丙项。(责任单位:省发展改革委)\n"
    )
    assert [(m.path, [(u.name, u.role) for u in m.units]) for m in document.measures] == [
        ("一", []),
        (
            "一/(一)",
            [("省商务厅", "lead"), ("省财政厅", "support"), ("各市、县(区)政府", "support")],
        ),
        ("一/(二)", [("省科技厅", "lead"), ("各市、县(区)政府", "support")]),
        ("一/(三)", [("省发展改革委", "lead"), ("各市、县(区)政府", "lead")]),
    ]
    text = document.text
    inherited = document.measures[2].units[1]
    assert text[inherited.span.start : inherited.span.end] == "各市、县(区)政府"
    assert inherited.span.start < document.measures[2].span.start


def test_consecutive_label_lines_are_one_block() -> None:
    assert units("推进工作。\n牵头单位:省商务厅;\n责任单位:省财政厅、省发改委") == [
        ("省商务厅", "lead"),
        ("省财政厅", "support"),
        ("省发改委", "support"),
    ]


def test_lead_with_units_working_by_their_duties() -> None:
    assert units("推进工作。(省商务厅牵头,省发展改革委、省财政厅按职责分工负责)") == [
        ("省商务厅", "lead"),
        ("省发展改革委", "support"),
        ("省财政厅", "support"),
    ]
    assert units("推进工作。(参加单位:省财政厅)") == [("省财政厅", "support")]


def test_a_collective_ends_where_the_next_item_is_an_institution_of_its_own() -> None:
    assert units("推进工作。(责任单位:各市、县(区)政府、赣江新区管委会、各开发区)") == [
        ("各市、县(区)政府", "lead"),
        ("赣江新区管委会", "lead"),
        ("各开发区", "lead"),
    ]


def test_the_last_block_of_a_measure_takes_the_text_after_it() -> None:
    document = extract(
        "一、任务\n1.两事。建立甲。(责任单位:市商务局)建立乙。(责任单位:市发改委)每季度报送。\n"
    )
    assert [(m.path, [d.recurrence or d.kind for d in m.deadlines]) for m in document.measures] == [
        ("一", []),
        ("一/1", []),
        ("一/1#1", ["standing"]),
        ("一/1#2", ["quarterly"]),
    ]
