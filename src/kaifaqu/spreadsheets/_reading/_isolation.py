"""Reading in a child process under memory and CPU limits, so a file no check foresaw costs that
child and never the web server, the job worker or the command that asked.

The parsers are native code: a huge allocation aborts the whole process (SIGABRT) rather than
raising, and a crafted file may make them spin. The child is started by a fork server, never
forked from the caller (whose threads' locks a fork would copy held), and its death, a
``MemoryError`` or any other failure in it comes back as a ``ReadError`` named ``unsafe_file``.
``RLIMIT_DATA`` bounds memory; ``RLIMIT_AS`` would also count the address space that Polars
reserves at start-up and stop it before it read anything.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, cast

from . import _errors
from ._types import Limits, ReadError, Table

__all__ = ["run_isolated"]

logger = logging.getLogger(__name__)

# Polars starts threads when imported, so the fork server itself imports only what starts none.
PRELOAD = ["python_calamine", "fastexcel"]
# A child gets this many times its CPU limit in wall time (the machine may be busy), plus this.
WALL_FACTOR, WALL_GRACE = 3, 10
CPU_SIGNALS = (signal.SIGXCPU, signal.SIGKILL)  # the soft and the hard RLIMIT_CPU

Reader = Callable[..., Table]


def run_isolated(
    read: Reader, data: bytes, file_name: str, limits: Limits, options: dict[str, Any]
) -> Table:
    """``read(data, file_name, limits=limits, **options)`` in a child process under ``limits``."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(sender, read, data, file_name, limits, options),
        name="kaifaqu-read",
    )
    child.start()
    sender.close()
    try:
        outcome = _receive(receiver, limits)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome is None:
        raise _errors.unsafe_file(_death(child.exitcode, limits))
    kind, value = outcome
    if kind == "table":
        return cast(Table, value)
    if kind == "refused":
        raise ReadError(**value)
    if kind == "memory":
        raise _errors.unsafe_file(
            f"读取所需内存超过上限 {_errors.size_text(limits.max_memory_bytes)}"
        )
    logger.error("reading %r failed in the child process:\n%s", file_name, value)
    raise _errors.unsafe_file("读取程序出错")


def _receive(receiver: Connection, limits: Limits) -> tuple[str, Any] | None:
    """The child's outcome, or ``None`` if it died or overran its wall time without one."""
    if not receiver.poll(limits.max_cpu_seconds * WALL_FACTOR + WALL_GRACE):
        return None
    try:
        outcome: tuple[str, Any] = receiver.recv()
    except EOFError:
        return None
    return outcome


def _death(exitcode: int | None, limits: Limits) -> str:
    if exitcode is None or -exitcode in CPU_SIGNALS:
        return f"读取用时超过上限 {limits.max_cpu_seconds:,} 秒"
    return (
        "读取程序异常退出(文件内容异常,或读取所需内存超过上限 "
        f"{_errors.size_text(limits.max_memory_bytes)})"
    )


def _child(
    sender: Connection,
    read: Reader,
    data: bytes,
    file_name: str,
    limits: Limits,
    options: dict[str, Any],
) -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (limits.max_memory_bytes, limits.max_memory_bytes))
    cpu = limits.max_cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    outcome: tuple[str, Any]
    try:
        outcome = ("table", read(data, file_name, limits=limits, **options))
    except ReadError as error:
        outcome = ("refused", error.as_dict())
    except MemoryError:
        outcome = ("memory", None)
    except Exception:  # any failure of a parser is a refusal in the parent
        outcome = ("failed", traceback.format_exc())
    del data
    sender.send(outcome)
    sender.close()
