"""Interrupted ingests: SIGKILL at seeded random moments never leaves a half document.

Each document is stored in one transaction, so whatever moment the process dies at
(opening the schema, hashing, parsing, committing), the database must pass SQLite's
integrity and foreign-key checks, its FTS index and terms must match the items, every
stored document must hold all of its sections and items, and a rerun must finish the
job. The moments are drawn from a seeded generator so a failure can be replayed.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from reliability_corpus import assert_whole, build_corpus, expected_shape, kkr_ingest

KILLS = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, int]]]:
    from kkr_tui.paths import sample_documents

    folder = tmp_path_factory.mktemp("corpus")
    files = build_corpus(folder / "docs", sample_documents())
    return folder / "docs", expected_shape(files)


#: A kill while the process starts (imports, opening the schema) comes this long after launch.
STARTUP_WINDOW_S = 0.15


def _kill_during(
    folder: Path, db: Path, lines: int, fraction: float, cwd: Path
) -> tuple[int, float]:
    """Start an ingest, wait for ``lines`` result lines, then SIGKILL it part-way into the
    next file: ``fraction`` of the time the last file took. Return (lines seen, delay).

    The moment is measured in documents, not seconds, so a fast machine cannot finish the
    whole job inside the delay (a fixed 0-0.25 s did, on a machine where a document takes
    10 ms) and a slow one still lands inside a document: hashing, parsing or committing.
    """
    proc = kkr_ingest(folder, db, cwd=cwd, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    arrivals = [time.monotonic()]
    try:
        while len(arrivals) - 1 < lines:
            if not proc.stdout.readline():
                break
            arrivals.append(time.monotonic())
        if len(arrivals) > 2:
            delay = fraction * (arrivals[-1] - arrivals[-2])
        else:
            delay = fraction * STARTUP_WINDOW_S
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    return len(arrivals) - 1, delay


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_only_whole_documents(corpus, tmp_path: Path) -> None:
    folder, shapes = corpus
    db = tmp_path / "kkr.db"
    rng = random.Random(20250618)
    counts = [0]
    for _ in range(KILLS):
        # Files are read in sorted order and stored ones come back "unchanged" at once, so
        # waiting for stored + k lines kills while the k-th file after the stored ones (or
        # the next) is in work.
        _kill_during(folder, db, counts[-1] + rng.randint(0, 4), rng.random(), tmp_path)
        counts.append(assert_whole(db, shapes) if db.exists() else 0)
    print("documents after each kill:", counts[1:])
    assert counts == sorted(counts), "a kill lost documents stored by an earlier run"
    assert counts[-1] < len(shapes), "the kills should interrupt the job, not let it finish"
    rerun = kkr_ingest(folder, db, cwd=tmp_path)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert out.splitlines()[-1].endswith("fejl 0")
    assert assert_whole(db, shapes) == len(shapes)


def test_ctrl_c_between_files_prints_a_summary_of_what_was_stored(corpus, tmp_path: Path) -> None:
    folder, shapes = corpus
    db = tmp_path / "kkr.db"
    proc = kkr_ingest(folder, db, cwd=tmp_path)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    lines = [first, *rest.splitlines()]
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "stopper" in err  # "stopping; nothing half-read is stored", in Danish
    summary = lines[-1]
    assert summary.endswith("(afbrudt)")
    added = int(summary.split(",")[0].removeprefix("tilføjet "))
    assert added == assert_whole(db, shapes) >= 1
