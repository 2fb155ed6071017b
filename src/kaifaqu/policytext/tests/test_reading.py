from pathlib import Path

import pytest

from kaifaqu.policytext import UnreadableDocument, extract, read_document

from .files import write_docx, write_pdf

MEASURE = "(一)提高利用外资质量。(责任单位:市商务局、市发改委)"


def test_a_utf8_text_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_text(f"一、总体要求\n{MEASURE}\n", encoding="utf-8")
    assert read_document(path) == f"一、总体要求\n{MEASURE}\n"


def test_a_utf8_file_with_a_byte_order_mark_loses_the_mark(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes("\ufeff一、总体要求".encode())
    assert read_document(path) == "一、总体要求"


def test_a_gb18030_text_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(f"一、总体要求\n{MEASURE}".encode("gb18030"))
    assert read_document(path) == f"一、总体要求\n{MEASURE}"


def test_a_docx_is_read_paragraph_by_paragraph(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "policy.docx", ["一、总体要求", MEASURE])
    assert read_document(path) == f"一、总体要求\n{MEASURE}"
    measure = extract(read_document(path)).measures[1]
    assert [unit.name for unit in measure.units] == ["市商务局", "市发改委"]


def test_a_text_pdf_is_read(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "policy.pdf", ["一、总体要求", MEASURE])
    assert read_document(path).split("\n")[:2] == ["一、总体要求", MEASURE]
    measure = extract(read_document(path)).measures[1]
    assert (measure.path, [unit.name for unit in measure.units]) == (
        "一/(一)",
        ["市商务局", "市发改委"],
    )


def test_a_pdf_with_no_text_is_refused_as_a_scan(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(UnreadableDocument) as refused:
        read_document(path)
    assert str(refused.value) == (
        "PDF 文件 scan.pdf 中几乎没有可提取的文字,可能是扫描件:请提供文字版 PDF、Word 或文本文件"
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"  \n", "文件 empty.txt 中没有文字内容"),
        ("broken.pdf", b"not a pdf", "文件 broken.pdf 不是有效的 PDF 文档"),
        ("broken.docx", b"not a zip", "文件 broken.docx 不是有效的 Word(.docx)文档"),
        ("policy.doc", b"old", "不支持的文件类型“.doc”:请上传 .txt、.docx 或 .pdf 文件"),
        (
            "latin.txt",
            b"\xff\xfe\xfa\xfb\x80",
            "文本文件的编码无法识别:请另存为 UTF-8 或 GB18030 编码",
        ),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument) as refused:
        read_document(path)
    assert str(refused.value) == reason


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as refused:
        read_document(tmp_path / "missing.txt")
    assert str(refused.value) == f"找不到文件 {tmp_path / 'missing.txt'}"
