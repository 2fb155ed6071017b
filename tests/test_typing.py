"""The acting user is typed (``access.users.ActingUser``, or ``User`` where only an account can be
meant), never ``Any``: a parameter named ``user`` or ``acting_user`` of a function in src/kaifaqu
(outside the apps' tests) must carry an annotation, and ``Any`` must not be it or part of it
(``Any | None``, ``Optional[Any]``). Read from the source with ``ast``, so it holds for code that
mypy's configuration would let through (an override, a ``type: ignore``)."""

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kaifaqu"
USER_PARAMETERS = frozenset({"user", "acting_user"})


def _mentions_any(annotation: ast.expr) -> bool:
    """Whether ``Any`` (or ``typing.Any``) is the annotation or a part of it; a string
    annotation is read as the expression it holds."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = ast.parse(annotation.value, mode="eval").body
    return any(
        (isinstance(node, ast.Name) and node.id == "Any")
        or (isinstance(node, ast.Attribute) and node.attr == "Any")
        for node in ast.walk(annotation)
    )


def untyped_users(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, function, parameter) of each user parameter annotated with ``Any`` or not at all."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = node.args
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if argument.arg in USER_PARAMETERS and (
                argument.annotation is None or _mentions_any(argument.annotation)
            ):
                yield argument.lineno, node.name, argument.arg


def test_no_user_parameter_is_typed_any():
    found = [
        f"{path.relative_to(PACKAGE)}:{line} {function}({parameter})"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.relative_to(PACKAGE).parts
        for line, function, parameter in untyped_users(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_sees_every_way_of_writing_any():
    source = """
import typing
from typing import Any, Optional
def plain(user: Any): ...
def optional(*, acting_user: Optional[Any] = None): ...
def union(user: "Any | None" = None): ...
def qualified(acting_user: typing.Any): ...
async def bare(user): ...
def typed(user: ActingUser, acting_user: "ActingUser | None", other: Any): ...
class Form:
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None: ...
"""
    assert sorted(untyped_users(source)) == [
        (4, "plain", "user"),
        (5, "optional", "acting_user"),
        (6, "union", "user"),
        (7, "qualified", "acting_user"),
        (8, "bare", "user"),
        (11, "__init__", "user"),
    ]
