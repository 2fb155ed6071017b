"""File downloads: every response that hands the user a file names it here.

The name goes in ``Content-Disposition`` as RFC 6266 asks: a plain-ASCII ``filename`` for old
clients, and the real name as ``filename*=UTF-8''…``, percent-encoded. A header value must be
ASCII: Django MIME-encodes any other text (``=?utf-8?b?…?=``), which browsers do not decode, so a
Chinese name put in the header as it is reaches the user as "下载" without its extension.

``content_disposition("2025年 评价.xlsx")`` is
``attachment; filename="2025_ _.xlsx"; filename*=UTF-8''2025%E5%B9%B4%20%E8%AF%84%E4%BB%B7.xlsx``.
"""

import re
from collections.abc import Iterable
from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# What the quoted ASCII fallback cannot hold as it is: other scripts, controls, quote, backslash.
NOT_PLAIN = re.compile(r'[^\x20-\x7e]+|["\\]')


def content_disposition(filename: str) -> str:
    """The ``Content-Disposition`` of a download named ``filename``."""
    fallback = NOT_PLAIN.sub("_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """A file held in memory, as a download named ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def streaming_download(
    chunks: Iterable[bytes | str], filename: str, content_type: str
) -> StreamingHttpResponse:
    """A file sent as it is produced (a long list, row by row), as a download named ``filename``."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def file_download(file: IO[bytes], filename: str) -> FileResponse:
    """A stored file, streamed, as a download named ``filename`` (its type guessed from it)."""
    response = FileResponse(file, as_attachment=True, filename=filename)
    response["Content-Disposition"] = content_disposition(filename)
    return response
