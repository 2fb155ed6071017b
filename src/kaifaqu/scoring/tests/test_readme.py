"""The README's Python examples run as written, from a folder holding the ASEM pipeline, so a
documented example cannot break again."""

import doctest
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES

README = Path(__file__).parents[1] / "README.md"
ASEM_FILES = ("asem.toml", "ASEM_iData.csv", "ASEM_iMeta.csv")


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given the README's working folder: the ASEM pipeline under the name it uses
    for name in ASEM_FILES:
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    # when its examples run
    failed, attempted = doctest.testfile(
        str(README), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    # then every one passes, and they wrote what they say
    assert (failed, attempted > 0) == (0, True)
    assert (tmp_path / "out.xlsx").is_file()
