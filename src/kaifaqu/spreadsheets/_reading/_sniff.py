"""Telling formats apart by content, then holding the file name to it.

Clerks rename files and business systems export web pages as ".xls", so the extension alone says
little; the content decides, and a name that disagrees with it is refused with both named.
"""

from __future__ import annotations

from pathlib import PurePath

from . import _errors
from ._zipsafe import ZipFacts

__all__ = [
    "EXTENSIONS",
    "container",
    "describe_text",
    "extension",
    "ole_is_encrypted",
    "zip_format",
]

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted xlsx is an OLE file holding this stream instead of a zip.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",
}
XLSX_MAIN_PARTS = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroEnabled.main+xml",
)
OTHER_ZIPS = (
    (b"ms-excel.sheet.binary", "Excel 二进制工作簿(.xlsb)"),
    (b"wordprocessingml", "Word 文档"),
    (b"presentationml", "PowerPoint 演示文稿"),
)
DESCRIPTIONS = {
    "xlsx": "Excel 工作簿(.xlsx)",
    "xls": "Excel 97-2003 工作簿(.xls)",
    "ods": "OpenDocument 表格(.ods)",
    "text": "文本文件(如 CSV)",
}


def extension(file_name: str) -> str:
    return PurePath(file_name).suffix.lower()


def container(data: bytes) -> str:
    """``"zip"``, ``"ole"`` or ``"text"``, from the first bytes."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return "text"


def ole_is_encrypted(data: bytes) -> bool:
    return ENCRYPTED_PACKAGE in data


def zip_format(facts: ZipFacts) -> tuple[str | None, str]:
    """``("xlsx" | "ods" | None, what it is in words)`` from the mimetype or content types part."""
    mimetype = facts.kept.get("mimetype")
    if mimetype is not None:
        if mimetype.strip() == ODS_MIMETYPE:
            return "ods", DESCRIPTIONS["ods"]
        return None, "OpenDocument 文件,但不是表格"
    types = facts.kept.get("[Content_Types].xml", b"")
    if any(part in types for part in XLSX_MAIN_PARTS):
        return "xlsx", DESCRIPTIONS["xlsx"]
    for marker, what in OTHER_ZIPS:
        if marker in types:
            return None, f"内容是{what},不是 Excel 工作簿"
    return None, "内容是压缩包(zip),不是 Excel 工作簿"


def describe_text(data: bytes) -> str:
    """What a non-workbook file is, for a name that promised a workbook."""
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        return "网页(HTML)"
    if start.startswith(b"<?xml"):
        return "XML 文件(如 Excel 2003 XML 表格)"
    return DESCRIPTIONS["text"]


def refuse_mismatch(file_name: str, expected: str | None, found: str, what: str) -> None:
    """Raise ``unknown_format`` unless the name's extension promises what the content is."""
    if expected == found:
        return
    ext = extension(file_name) or "(没有扩展名)"
    if expected is None:
        raise _errors.unknown_format(file_name, f"不支持扩展名为 {ext} 的文件")
    raise _errors.unknown_format(file_name, f"文件名的扩展名是 {ext},但内容是{what}")
