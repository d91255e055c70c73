"""Hostile PDFs against the reading budget: time and peak memory of ``kkr-tui parse``.

Builds the hostile files of issue 16 with ``tests/pdf_factory.py`` and reads each with
``python -m kkr_tui parse FILE`` in a fresh process, reporting wall time, exit code, the
first line of stderr and the peak RSS of any process of that run (the reading child
included: ``RUSAGE_CHILDREN`` of a wrapper process). Also the time from SIGINT to exit
while a slow page is being read. ``--tree DIR`` runs another checkout (its ``kkr_tui``
first on ``PYTHONPATH``) to compare before and after.

    python bench/hostile.py [--tree DIR] [--only NAME,...] > hostile.json
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdf_factory import (  # noqa: E402
    DANISH_PAGES,
    MEMORY_HOG,
    NESTED_ARRAYS,
    SLOW_PAGE,
    build_meeting_pdf,
    build_shared_tounicode_pdf,
    with_page_content,
    with_pages_content,
)

#: Runs ``kkr-tui parse FILE`` and prints the run's wall time and the peak RSS of any
#: process it waited for (the CLI and its reading child).
_WRAPPER = """
import resource, subprocess, sys, time
start = time.monotonic()
run = subprocess.run([sys.executable, "-m", "kkr_tui", "parse", sys.argv[1]],
                     capture_output=True, text=True)
print(round(time.monotonic() - start, 2), run.returncode,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
      (run.stderr.strip().splitlines() or [""])[0][:160], sep="\\t")
"""


def build(folder: Path) -> dict[str, Path]:
    """The hostile files, each a meeting PDF (or a bare PDF) with one bad ingredient."""
    good = build_meeting_pdf(folder / "good.pdf", list(DANISH_PAGES))
    return {
        "nested_arrays": with_page_content(good, folder / "nested.pdf", 1, NESTED_ARRAYS),
        "slow_page": with_page_content(good, folder / "slow.pdf", 1, SLOW_PAGE, compress=True),
        "memory_hog_70MB": with_page_content(
            good, folder / "hog.pdf", 1, MEMORY_HOG, compress=True
        ),
        "fonts_203_shared_tounicode": build_shared_tounicode_pdf(folder / "fonts.pdf"),
    }


def measure(path: Path, env: dict[str, str]) -> dict[str, object]:
    """One ``parse`` run: seconds, exit code, peak RSS in MB, first line of stderr."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(path)], capture_output=True, text=True, env=env
    ).stdout.strip()
    seconds, code, rss, first = (out.split("\t") + ["", "", "", ""])[:4]
    return {
        "seconds": float(seconds or 0),
        "exit": int(code or -1),
        "peak_rss_mb": int(rss or 0),
        "stderr": first,
        "kb": path.stat().st_size // 1024,
    }


def interrupt_latency(folder: Path, env: dict[str, str]) -> float:
    """Seconds from SIGINT to exit of ``kkr-tui ingest`` while a ~10 s page is read."""
    base = build_meeting_pdf(folder / "base21.pdf", list(DANISH_PAGES) * 7)
    slow = with_pages_content(base, folder / "slow21.pdf", SLOW_PAGE, range(1, 21))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kkr_tui", "ingest", str(slow), "--db", str(folder / "i.db")],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4)  # well into the first slow page
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait()
    return round(time.monotonic() - start, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", default=str(ROOT), help="checkout whose kkr_tui to run")
    parser.add_argument("--only", default="", help="comma-separated case names")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": args.tree}
    only = {name for name in args.only.split(",") if name}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results: dict[str, object] = {"tree": args.tree}
        for name, path in build(folder).items():
            if not only or name in only:
                results[name] = measure(path, env)
        if not only or "interrupt" in only:
            results["interrupt_seconds"] = interrupt_latency(folder, env)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
