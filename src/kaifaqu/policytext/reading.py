"""``read_document``: the text of a .txt (UTF-8 or GB18030), .docx or text .pdf file.

A file that yields no text — a scanned PDF, an empty file, a format not read — is refused with
``UnreadableDocument`` and a reason in Chinese.
"""

from pathlib import Path

import docx
import pypdf
from docx.opc.exceptions import PackageNotFoundError
from pypdf.errors import PdfReadError

from .errors import UnreadableDocument

# A PDF page with fewer characters than this on average is taken for a scan.
_MIN_CHARACTERS_PER_PAGE = 20


def read_document(path: Path) -> str:
    suffix = path.suffix.lower()
    try:
        if suffix == ".txt":
            text = _text(path.read_bytes())
        elif suffix == ".docx":
            text = _docx(path)
        elif suffix == ".pdf":
            text = _pdf(path)
        else:
            raise UnreadableDocument(
                f"不支持的文件类型“{path.suffix}”:请上传 .txt、.docx 或 .pdf 文件"
            )
    except FileNotFoundError as error:
        raise UnreadableDocument(f"找不到文件 {path}") from error
    except IsADirectoryError as error:
        raise UnreadableDocument(f"{path} 是文件夹,不是文件") from error
    except PermissionError as error:
        raise UnreadableDocument(f"没有读取文件 {path.name} 的权限") from error
    except OSError as error:
        raise UnreadableDocument(f"无法读取文件 {path.name}") from error
    if not text.strip():
        raise UnreadableDocument(f"文件 {path.name} 中没有文字内容")
    return text


def _text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("文本文件的编码无法识别:请另存为 UTF-8 或 GB18030 编码")


def _docx(path: Path) -> str:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise UnreadableDocument(f"文件 {path.name} 不是有效的 Word(.docx)文档") from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    try:
        reader = pypdf.PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise UnreadableDocument(f"文件 {path.name} 不是有效的 PDF 文档") from error
    text = "\n".join(pages)
    if len(text.strip()) < _MIN_CHARACTERS_PER_PAGE * max(1, len(pages)):
        raise UnreadableDocument(
            f"PDF 文件 {path.name} 中几乎没有可提取的文字,可能是扫描件:"
            "请提供文字版 PDF、Word 或文本文件"
        )
    return text
