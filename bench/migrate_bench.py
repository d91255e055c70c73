"""How long the migration of an older database takes, and how evenly its progress moves.

Usage: ``python bench/migrate_bench.py OLD.db [--work DIR] [--keep]``

Copies ``OLD.db`` (never touched itself) into ``--work`` (default: beside it is not
used; a temporary folder on the same disk as /tmp), opens the copy writable with a
listener on the migration's events, and prints JSON: wall and CPU seconds in all and
per stage, the longest wait between two events (how long the reader's percent may
stand still), the file before and after, and the largest write-ahead log seen.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    from kkr_tui.store import MigrationEvent, Store

    work = Path(tempfile.mkdtemp(dir=args.work, prefix="migrate-bench-"))
    copy = work / "kkr.db"
    shutil.copyfile(args.old, copy)
    before = copy.stat().st_size
    events: list[tuple[float, float, str, int]] = []
    wal = Path(f"{copy}-wal")
    peak_wal = 0
    start_wall, start_cpu = time.perf_counter(), time.process_time()

    def listen(event: MigrationEvent) -> None:
        nonlocal peak_wal
        events.append(
            (
                time.perf_counter() - start_wall,
                time.process_time() - start_cpu,
                event.stage,
                event.percent,
            )
        )
        if wal.exists():
            peak_wal = max(peak_wal, wal.stat().st_size)

    import threading

    finished = threading.Event()

    def watch_wal() -> None:  # the log's size between events too
        nonlocal peak_wal
        while not finished.wait(0.5):
            if wal.exists():
                peak_wal = max(peak_wal, wal.stat().st_size)

    watcher = threading.Thread(target=watch_wal, daemon=True)
    watcher.start()
    Store(copy, on_migrate=listen).close()
    finished.set()
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    stages: dict[str, list[float]] = {}
    for (t0, c0, stage, _p), (t1, c1, _s, _q) in zip(events, events[1:], strict=False):
        spent = stages.setdefault(stage, [0.0, 0.0])
        spent[0] += t1 - t0
        spent[1] += c1 - c0
    gaps = sorted(
        ((b[0] - a[0], a[2], a[3]) for a, b in zip(events, events[1:], strict=False)),
        reverse=True,
    )
    result = {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "stages": {
            k: {"wall_s": round(w, 1), "cpu_s": round(c, 1)} for k, (w, c) in stages.items()
        },
        "events": len(events),
        "percents": sorted({e[3] for e in events}),
        "longest_waits": [
            {"s": round(g, 1), "after": stage, "percent": p} for g, stage, p in gaps[:5]
        ],
        "before_mb": round(before / 1e6, 1),
        "after_mb": round(copy.stat().st_size / 1e6, 1),
        "peak_wal_mb": round(peak_wal / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
