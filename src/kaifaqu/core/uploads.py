"""Uploads bounded while they stream.

``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count files, so without a handler of our own a 300 MB
upload is received and stored before any check sees its size. ``BoundedUploadHandler`` runs
before Django's handlers: it refuses a request whose ``Content-Length`` is over
``KAIFAQU_UPLOAD_MAX_MB`` and stops one whose bytes pass it, before anything is written, and marks
the request so that the view answers with a clear message (``upload_refusal``). The readers of
uploads take the same size as their ``Limits(max_bytes=upload_limit())``.
"""

from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

STOPPED = "_kaifaqu_upload_stopped"


def upload_limit() -> int:
    """The largest upload in bytes, from ``KAIFAQU_UPLOAD_MAX_MB``."""
    return int(settings.KAIFAQU_UPLOAD_MAX_MB) * 1024 * 1024


class BoundedUploadHandler(FileUploadHandler):
    """Stops an upload past ``KAIFAQU_UPLOAD_MAX_MB``: at once if ``Content-Length`` says so,
    else when the bytes received pass it."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.limit = upload_limit()
        self.received = 0
        # Raised here it would escape Django's parser; new_file stops the upload instead.
        self.declared_too_large = content_length > self.limit

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.declared_too_large:
            self._stop()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler stores the file

    def _stop(self) -> None:
        if self.request is not None:
            setattr(self.request, STOPPED, True)
        raise StopUpload(connection_reset=True)


def upload_refusal(request: HttpRequest) -> str | None:
    """Why the request's upload was stopped, for the page, or ``None``."""
    request.FILES  # noqa: B018 - parses the body, which is when the handler runs
    if not getattr(request, STOPPED, False):
        return None
    return (
        f"文件超过上限 {settings.KAIFAQU_UPLOAD_MAX_MB} MB,未上传。"
        "请把数据拆分为几个较小的文件分别上传,或删除文件中无关的工作表和图片。"
    )
