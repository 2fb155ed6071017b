"""Telling an evidence file's type by its content, then holding its name to it.

A renamed program (``合同.pdf`` that is an .exe) must not be stored and later handed to a
colleague as a PDF, so the first bytes decide what a file is and its extension must agree.
Which types are accepted is a setting (``KAIFAQU_ATTACHMENT_TYPES``); how each one is recognised
is a fact of its format, kept here.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How much of a package's content-types part is read: it is a few kilobytes in real files.
PART_LIMIT = 256 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    mime: str
    label: str
    content: str  # what ``identify`` must find


FILE_TYPES = {
    file_type.extension: file_type
    for file_type in (
        FileType("pdf", "application/pdf", "PDF 文档", "pdf"),
        FileType("ofd", "application/ofd", "OFD 版式文档", "ofd"),
        FileType("jpg", "image/jpeg", "JPEG 图片", "jpeg"),
        FileType("jpeg", "image/jpeg", "JPEG 图片", "jpeg"),
        FileType("png", "image/png", "PNG 图片", "png"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档",
            "docx",
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel 工作簿",
            "xlsx",
        ),
        FileType("doc", "application/msword", "Word 97-2003 文档", "ole"),
        FileType("xls", "application/vnd.ms-excel", "Excel 97-2003 工作簿", "ole"),
    )
}
SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (OLE_MAGIC, "ole"),
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
# What a found content is, in words, for a refusal.
FOUND = {
    "pdf": "PDF 文档",
    "ofd": "OFD 版式文档",
    "png": "PNG 图片",
    "jpeg": "JPEG 图片",
    "ole": "Office 97-2003 文件",
    "docx": "Word 文档",
    "xlsx": "Excel 工作簿",
    "zip": "压缩包",
    "exe": "Windows 可执行程序",
    "elf": "Linux 可执行程序",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
}


class FileRefused(ValueError):
    """A file of a type not accepted, or whose content is not what its name says."""


def extension(file_name: str) -> str:
    return PurePath(file_name).suffix.lower().lstrip(".")


def identify(file: IO[bytes]) -> str | None:
    """What ``file`` holds (a key of ``FOUND``), from its content; None if not recognised."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(ZIP_MAGIC):
        return _package(file)
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def _package(file: IO[bytes]) -> str:
    """An OFD, a Word or Excel package, or another zip, from the package's own parts."""
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            if "OFD.xml" in names:
                return "ofd"
            if "[Content_Types].xml" not in names:
                return "zip"
            with package.open("[Content_Types].xml") as part:
                types = part.read(PART_LIMIT)
    except zipfile.BadZipFile:
        return "zip"
    finally:
        file.seek(0)
    if b"wordprocessingml.document.main+xml" in types:
        return "docx"
    if b"spreadsheetml.sheet.main+xml" in types:
        return "xlsx"
    return "zip"


def accepted_types(allowed: list[str]) -> list[FileType]:
    return [FILE_TYPES[ext] for ext in allowed if ext in FILE_TYPES]


def check_file(file_name: str, file: IO[bytes], allowed: list[str]) -> FileType:
    """The type of an upload named ``file_name``, if its extension is ``allowed`` and its
    content is what the extension says; else FileRefused with a message naming what to do."""
    ext = extension(file_name)
    accepted = accepted_types(allowed)
    listing = "、".join(sorted({t.label for t in accepted}))
    file_type = FILE_TYPES.get(ext)
    if file_type is None or file_type not in accepted:
        shown = f".{ext}" if ext else "(没有扩展名)"
        raise FileRefused(
            f"文件「{file_name}」的扩展名是 {shown},不接受这类文件。可上传:{listing}。"
        )
    found = identify(file)
    if found != file_type.content:
        what = FOUND.get(found or "", "无法识别的内容")
        raise FileRefused(
            f"文件「{file_name}」的扩展名是 .{ext},但内容是{what},不是{file_type.label}。"
            "请上传原始文件,不要修改扩展名。"
        )
    return file_type
