"""Heavy work a viewer can trigger, run in a separate process with a time limit.

A front-line upload is cut against Ukraine's outline: seconds of geometry for
a detailed line. Run in the app's own process it would hold the interpreter
(and every other session's rerun) for that long, and a hostile file could hold
it for minutes. In a child process it runs beside the server, and a child that
takes longer than its limit is killed; the viewer is told which limit it hit.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

UPLOAD_TIME_LIMIT_S = 60  # a 10,000-vertex line (frontline.MAX_VERTICES) takes a few seconds


def _child(send: Connection, target: Callable[..., Any], args: tuple) -> None:
    try:
        send.send((True, target(*args)))
    except Exception:  # reported to the parent as a failure, never raised in the server
        send.send((False, traceback.format_exc(limit=3)))
    finally:
        send.close()


def run_with_time_limit(target: Callable[..., Any], args: tuple, seconds: float) -> tuple[Any, str | None]:
    """``target(*args)`` in a fresh process: ``(result, None)``, or ``(None, why)`` if it failed or ran too long.

    ``target`` must be a module-level function and its arguments and result
    picklable. Started with "spawn": a fork would copy the server's threads
    mid-lock.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, target, args), daemon=True)
    process.start()
    send.close()  # the child holds the only writing end: its exit ends the pipe
    try:
        if not receive.poll(seconds):
            return None, f"it took longer than the limit of {seconds:g} s for this work (UPLOAD_TIME_LIMIT_S)"
        done, value = receive.recv()
    except EOFError:
        return None, "the computation stopped without a result"
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receive.close()
    return (value, None) if done else (None, "the computation failed")
