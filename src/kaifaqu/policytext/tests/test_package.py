"""The package is framework-free: no Django, and of the project only the spreadsheet writer."""

import ast
import doctest
import subprocess
import sys
from pathlib import Path

import kaifaqu.policytext

PACKAGE = Path(kaifaqu.policytext.__file__).parent
# The command line writes its xlsx through the project's one writer, itself plain Python.
ALLOWED = ("kaifaqu.policytext", "kaifaqu.core.sheets")


def test_importing_the_package_and_its_command_loads_no_django() -> None:
    code = (
        "import kaifaqu.policytext, kaifaqu.policytext.cli, sys; "
        "assert not any(m.startswith('django') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_source_imports_no_django_and_no_other_kaifaqu_module() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("django"), path
                assert not name.startswith("kaifaqu.") or name.startswith(ALLOWED), path


def test_the_public_surface() -> None:
    assert kaifaqu.policytext.__all__ == [
        "Deadline",
        "ExtractedDocument",
        "Measure",
        "Span",
        "Target",
        "UnitRef",
        "UnreadableDocument",
        "extract",
        "read_document",
    ]


def test_the_readme_examples_run() -> None:
    failed, tried = doctest.testfile(str(PACKAGE / "README.md"), module_relative=False)
    assert (failed, tried > 0) == (0, True)
