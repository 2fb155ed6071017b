"""Static files: the few front-end files taken from node_modules, and their collection at start.

The pages load one file of each npm package (ECharts, htmx). Finding only those, instead of the
packages' whole ``dist`` folders (51 MB for ECharts, minutes of compression), keeps collectstatic
short enough that a production server collects at start (``project/wsgi.py``) and never answers
500 for a file missing from the manifest.
"""

import fcntl
import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, Literal, overload

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command


class VendorFinder(finders.BaseFinder):
    """The files of ``settings.KAIFAQU_VENDOR_FILES``: (static folder, file), each found alone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files = {
            str(PurePosixPath(prefix) / Path(file).name): Path(file)
            for prefix, file in settings.KAIFAQU_VENDOR_FILES
        }

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        found = [str(file) for name, file in self.files.items() if name == path and file.is_file()]
        return found if find_all else next(iter(found), None)

    def list(
        self, ignore_patterns: Iterable[str] | None
    ) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, file in self.files.items():
            if file.is_file():
                storage = FileSystemStorage(location=file.parent)
                storage.prefix = str(PurePosixPath(name).parent)  # type: ignore[attr-defined]
                yield file.name, storage


def collect_static_files() -> None:
    """Run collectstatic when the manifest is missing or older than a file it should hold.

    Only the production storage has a manifest; development serves files where they lie. A lock
    keeps the workers of a server that start together from collecting at the same time.
    """
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".collecting").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = root / staticfiles_storage.manifest_name
        if not manifest.exists() or manifest.stat().st_mtime < newest_source_time():
            call_command("collectstatic", interactive=False, verbosity=0)


def newest_source_time() -> float:
    """When the most recently changed file that collectstatic would copy was changed."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns  # type: ignore[attr-defined]
    return max(
        os.stat(storage.path(path)).st_mtime
        for finder in finders.get_finders()
        for path, storage in finder.list(ignore)
    )
