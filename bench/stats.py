"""Timing helpers shared by the benchmarks: repeat, then summarise as median and p95.

Figures on a shared 2-core machine are noisy, so every figure is a distribution, never a
single run; p95 uses the nearest-rank method (with few runs it is the slowest run).
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def bytecode_env(pycache: object, **extra: str) -> dict[str, str]:
    """The environment for a timed kkr-tui process: bytecode written and read (in
    ``pycache``), as an installed wheel has it, plus ``extra``.

    With ``PYTHONDONTWRITEBYTECODE`` set (this machine sets it) and a source tree whose
    ``__pycache__`` is older than its sources, every launch compiled kkr-tui's modules
    from source (25-55 ms), which no user's installed copy pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.update(extra)
    return env


def summary(samples_s: list[float], *, unit: str = "ms") -> dict[str, Any]:
    """``{"median": .., "p95": .., "n": ..}`` in ``unit`` ("ms" or "s")."""
    if not samples_s:
        return {"median": None, "p95": None, "n": 0}
    scale = 1000.0 if unit == "ms" else 1.0
    ordered = sorted(samples_s)
    rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
    return {
        f"median_{unit}": round(statistics.median(ordered) * scale, 2),
        f"p95_{unit}": round(ordered[rank] * scale, 2),
        "n": len(ordered),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def repeat(fn: Callable[[], Any], runs: int) -> list[float]:
    """Seconds of ``runs`` calls."""
    return [timed(fn)[0] for _ in range(runs)]


def repeat_with_cpu(fn: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    """Seconds of ``runs`` calls, wall and this process's CPU time (user + system):
    on a shared machine the CPU time leaves out the waits for a core."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu
