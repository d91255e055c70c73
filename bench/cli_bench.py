"""One-off commands as whole processes, against their yardsticks (issue 20).

    python bench/run.py --only cli [--sizes 100k] [--quick]

A one-off ``kkr-tui search`` is mostly start-up: the interpreter, imports, opening the
database. So it is timed as a user runs it, a process from start to exit, and compared
in the same run with what any Python program that reads SQLite and prints JSON pays:
``python -c "import sqlite3, json"`` (the target: ≤ 3.5×); ``--version`` and ``--help``
against ``python -c pass`` (≤ 2×). Command and yardstick run in turn (A B A B …) and each
ratio is the median of the pairs' ratios, so a change in the machine's load hits both
sides. CPU time (user + system of the finished child, and of anything it waited for) is
the figure to read on a shared machine: waiting for a core inflates wall time only.
At each size the search runs on the cached corpus (read only: a search never writes)
and is reported in ms (the target: ≤ 100 ms median at 100k).

The command is ``python -m kkr_tui`` with bytecode written and read (as an installed
wheel has it; this machine sets ``PYTHONDONTWRITEBYTECODE``), after warm-up runs.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from stats import bytecode_env  # noqa: E402

#: Bytecode of the timed processes (``bench/out`` is gitignored).
PYCACHE = HERE / "out" / "pycache-cli"
#: Queries timed as whole processes at each size (text, a date, a typo).
SIZE_QUERIES = ("okonomi", "februar 2025 sundhedsreform", "sundhedsrefrom")


def _env() -> dict[str, str]:
    return bytecode_env(PYCACHE)


def run_once(command: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of one process, its children it waited for included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # A blocking wait, the guard on a timer: ``subprocess.run(timeout=)`` waits by
    # polling with sleeps that grow to 50 ms, which rounded every wall figure up to the
    # next poll (a 70 ms search read as 114 ms).
    guard = threading.Timer(120, proc.kill)
    guard.start()
    try:
        proc.wait()
    finally:
        guard.cancel()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def paired(command: list[str], yardstick: list[str], runs: int, warmup: int = 2) -> dict[str, Any]:
    """Medians of ``command`` and ``yardstick`` run in turn, and of their pairs' ratios."""
    for _ in range(warmup):
        run_once(command)
        run_once(yardstick)
    a_wall, a_cpu, b_wall, b_cpu = [], [], [], []
    for _ in range(runs):
        wall, cpu = run_once(command)
        a_wall.append(wall)
        a_cpu.append(cpu)
        wall, cpu = run_once(yardstick)
        b_wall.append(wall)
        b_cpu.append(cpu)
    return {
        "cpu_ms": _ms(a_cpu),
        "wall_ms": _ms(a_wall),
        "yardstick_cpu_ms": _ms(b_cpu),
        "yardstick_wall_ms": _ms(b_wall),
        "ratio_cpu": round(statistics.median(a / b for a, b in zip(a_cpu, b_cpu, strict=True)), 2),
        "ratio_wall": round(
            statistics.median(a / b for a, b in zip(a_wall, b_wall, strict=True)), 2
        ),
        "n": runs,
    }


def alone(command: list[str], runs: int, warmup: int = 2) -> dict[str, Any]:
    """Medians of ``command`` run ``runs`` times."""
    for _ in range(warmup):
        run_once(command)
    samples = [run_once(command) for _ in range(runs)]
    return {
        "cpu_ms": _ms([c for _, c in samples]),
        "wall_ms": _ms([w for w, _ in samples]),
        "n": runs,
    }


def _kkr(*args: str) -> list[str]:
    return [sys.executable, "-m", "kkr_tui", *args]


def samples_db(folder: Path) -> Path:
    """The five bundled samples stored in a fresh database in ``folder``."""
    db = folder / "samples.db"
    subprocess.run(
        _kkr("ingest", str(ROOT / "sample_docs"), "--db", str(db)),
        env=_env(), cwd=ROOT, capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    return db


def bench_cli(sizes: list[int], runs: int) -> dict[str, Any]:
    """Whole-process figures: the samples with their yardsticks, then each size."""
    import corpus

    python = [sys.executable, "-c"]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        db = samples_db(Path(folder))
        out["samples"] = {
            "search okonomi": paired(
                _kkr("search", "okonomi", "--db", str(db)),
                [*python, "import sqlite3, json"],
                runs,
            ),
            "--version": paired(_kkr("--version"), [*python, "pass"], runs),
            "--help": paired(_kkr("--help"), [*python, "pass"], runs),
        }
    for n in sizes:
        corpus.build(n)
        path = corpus.db_path(n, 1)
        out[corpus.size_label(n)] = {
            q: alone(_kkr("search", q, "--db", str(path)), runs) for q in SIZE_QUERIES
        }
    return out
