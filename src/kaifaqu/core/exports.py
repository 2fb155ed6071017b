"""Lists out as downloads: CSV streamed as it is produced, xlsx written to a temporary file and
streamed from it, both by the writers of ``kaifaqu.core.sheets``."""

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from kaifaqu.core.downloads import CSV, file_download, streaming_download
from kaifaqu.core.sheets import csv_chunks, write_xlsx

FORMATS = ("csv", "xlsx")


def export_response(
    fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse | FileResponse:
    """The rows as a download named ``name`` plus the extension: CSV streamed as it is produced,
    xlsx written to a temporary file first (deleted once sent) and streamed from it."""
    local = _local(rows)
    if fmt == "csv":
        return streaming_download(csv_chunks(headers, local), f"{name}.csv", CSV)
    return xlsx_download(lambda file: write_xlsx(name, headers, local, file), f"{name}.xlsx")


def _local(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Date-times in local time: a spreadsheet has no time zones."""
    for row in rows:
        yield [
            timezone.localtime(v) if isinstance(v, datetime) and timezone.is_aware(v) else v
            for v in row
        ]


def xlsx_download(write: Callable[[IO[bytes]], None], filename: str) -> FileResponse:
    """A workbook that ``write`` writes (in constant-memory mode) to a temporary file, streamed
    from it as a download named ``filename``; the file is deleted once sent."""
    # The response closes the file once sent, which deletes it: no ``with`` here.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    write(file)
    file.seek(0)
    return file_download(file, filename)
