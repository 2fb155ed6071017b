"""``kaifaqu mujun evaluate``: the table of the issue, exactly; no database."""

import subprocess
import sys

import openpyxl

from kaifaqu.mujun.cli import main

HEADER = (
    "统一社会信用代码,企业名称,规模,用地面积(亩),实缴税收(万元),工业增加值(万元),营业收入(万元),"
    "综合能耗(吨标准煤),用电量(万千瓦时),COD排放量(吨),氨氮排放量(吨),研发经费支出(万元),年平均职工人数,年份"
)
ROWS = [
    "91330003MA2AAAAA1L,甲阀门,规上,50,1204.85,6808,26000,1200,300,0.5,0.3,785.2,120,2022",
    "91330003MA2AAAAB3U,乙公司,规下,10,115.932,,,,492.9,,,,10,2022",
    "91330003MA2AAAAC53,丙电厂,规上,80,500,3000,9000,900,400,1,1,10,50,2022",
]


def write(tmp_path, rows, header=HEADER, name="data.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def sheet_rows(path):
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


def test_scheme_list_prints_id_tab_name(capsys):
    assert main(["evaluate", "--scheme", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "huangyan_2022\t台州黄岩 2022(规上六项、规下两项,公布基准值)"


def test_evaluate_writes_one_row_per_enterprise(tmp_path):
    # given three enterprises, the third a power plant (行业 44 → 免评)
    data = write(tmp_path, ROWS, header=HEADER + ",行业代码")
    data.write_text(
        data.read_text(encoding="utf-8")
        .replace(",2022\n", ",2022,1711\n", 2)
        .replace("50,2022\n", "50,2022,4411\n"),
        encoding="utf-8",
    )
    out = tmp_path / "out.xlsx"
    # when evaluated offline with the 黄岩 preset
    assert main(["evaluate", str(data), "--scheme", "huangyan_2022", "-o", str(out)]) == 0
    header, first, second, plant = sheet_rows(out)
    # then the published total, the items, and an exempt unit with its reason and no grade
    assert header[:4] == ("统一社会信用代码", "企业名称", "评价池", "亩均税收(万元/亩)")
    assert header[-5:] == ("总分", "池内排名", "等级", "状态", "数据提示")
    assert first[0] == "91330003MA2AAAAA1L"
    assert first[-5:-2] == (150.66, 1, "B")
    assert second[2] == "规下"
    assert plant[-4:-2] == (None, None)
    assert plant[-2].startswith("免评")


def test_input_refused_lists_every_problem_by_row_and_column(tmp_path, capsys):
    bad = [ROWS[0].replace("1204.85", "一千"), ROWS[1].replace("91330003MA2AAAAB3U", "123")]
    code = main(
        [
            "evaluate",
            str(write(tmp_path, bad)),
            "--scheme",
            "huangyan_2022",
            "-o",
            str(tmp_path / "o.xlsx"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "第2行「实缴税收(万元)」列" in err
    assert "第3行「统一社会信用代码」列" in err
    assert not (tmp_path / "o.xlsx").exists()


def test_missing_scheme_column_is_refused(tmp_path, capsys):
    header = HEADER.replace("年平均职工人数", "备注")
    code = main(
        [
            "evaluate",
            str(write(tmp_path, ROWS[:1], header)),
            "--scheme",
            "huangyan_2022",
            "-o",
            str(tmp_path / "o.xlsx"),
        ]
    )
    assert code == 1
    assert "缺少列「年平均职工人数(人)」" in capsys.readouterr().err


def test_prior_year_benchmark_without_the_prior_year_names_year_and_pool(tmp_path, capsys):
    code = main(
        [
            "evaluate",
            str(write(tmp_path, ROWS[:1])),
            "--scheme",
            "huaian_2024",
            "-o",
            str(tmp_path / "o.xlsx"),
        ]
    )
    assert code == 1
    assert "2021年规上" in capsys.readouterr().err


def test_prior_year_read_from_the_same_file(tmp_path):
    prior = [ROWS[0].replace(",2022", ",2021").replace("1204.85", "1000")]
    out = tmp_path / "o.xlsx"
    assert (
        main(
            [
                "evaluate",
                str(write(tmp_path, ROWS[:1] + prior)),
                "--scheme",
                "huaian_2024",
                "--year",
                "2022",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert len(sheet_rows(out)) == 2


def test_wrong_usage_exits_2(tmp_path, capsys):
    assert main(["evaluate", "x.csv", "-o", "y.xlsx"]) == 2
    assert (
        main(["evaluate", str(tmp_path / "none.csv"), "--scheme", "huangyan_2022", "-o", "y.xlsx"])
        == 2
    )
    assert main(["evaluate", str(write(tmp_path, ROWS)), "--scheme", "nope", "-o", "y.xlsx"]) == 1


def test_the_command_runs_without_django_settings(tmp_path):
    env = {"PATH": "/usr/bin:/bin"}
    script = (
        "import sys; from kaifaqu.cli import main; "
        "sys.exit(main(['mujun', 'evaluate', '--scheme', 'list']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "huangyan_2022" in done.stdout
