"""The package stands alone: no Django, and of the rest of Kaifaqu only framework-free modules.
No database; run with ``-p no:django`` if you like."""

import ast
import subprocess
import sys
from pathlib import Path

import kaifaqu.spreadsheets

PACKAGE = Path(kaifaqu.spreadsheets.__file__).parent
# Plain-Python modules outside the package that it may use (the vocabulary, the USCC check and
# the list writers, whose packages' __init__ is empty, so importing them loads nothing else).
ALLOWED = {"kaifaqu.catalog.uscc", "kaifaqu.core.sheets", "kaifaqu.vocabulary"}


def test_every_module_imports_with_django_blocked():
    # Given django made unimportable, when every module of the package is imported, then none fails
    code = (
        "import pkgutil, sys, importlib, kaifaqu.spreadsheets as p\n"
        "sys.modules['django'] = None\n"
        "for info in pkgutil.walk_packages(p.__path__, 'kaifaqu.spreadsheets.'):\n"
        "    if '.tests' not in info.name:\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted(m for m, v in sys.modules.items() if m.startswith('django') and v))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stderr, result.stdout.strip()) == (0, "", "[]")


def test_source_imports_no_django_and_no_django_app():
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
                if name.startswith("kaifaqu."):
                    assert name.startswith("kaifaqu.spreadsheets") or name in ALLOWED, (path, name)
