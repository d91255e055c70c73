"""Benchmark bilag: search with bilag hits, and reading one large bilag.

``search``: the bundled samples plus ``--bilag`` generated bilag of ``--pages`` pages
(sample text shuffled, tied to the samples' meetings), then ``SearchIndex.answer``
for a few queries as the reader asks it (``bilag=True``) and as before (items only):
median and slowest of ``--repeat`` calls, after one warm-up (the vocabulary).

``read``: one generated bilag of ``--pages`` pages (``tests/pdf_factory``) read into a
store by ``kkr_tui.sync.bilag.read_bilag`` in a child process of this script (so its
peak RSS, ``ru_maxrss``, is its own): wall time, peak RSS of the reading process and of
the process tree, pages stored.

    python bench/bilag_bench.py search [--bilag 1000] [--pages 20] [--repeat 7]
    python bench/bilag_bench.py read [--pages 300]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

QUERIES = [
    "aarhus",
    "godkendelse referat",
    "kommunernes økonomi budget",
    "klima vand",
    "sundh",
    "sundhedsreform",
    "okonomi",
    "council:midt sundhedsreform",
    "juni 2025 sundhedsreform",
]


def build_search_store(db: Path, bilag: int, pages: int) -> None:
    """The samples, then ``bilag`` bilag of ``pages`` pages of shuffled sample text."""
    from kkr_tui.ingest import ingest_paths
    from kkr_tui.paths import sample_docs_dir
    from kkr_tui.store import Store

    rng = random.Random(15)
    with Store(db) as store:
        ingest_paths(store, [sample_docs_dir()])
        words: list[str] = []
        meetings = []
        for council in store.councils():
            for year in store.years(council):
                for row in store.meetings(council, year):
                    meetings.append((council, row.meeting_date))
                    for summary in store.meeting(row.id).items:
                        words += store.item(summary.id).title.split()
                        for part in store.item(summary.id).parts:
                            words += part.text.split()
        for n in range(bilag):
            council, date = meetings[n % len(meetings)]
            bilag_id = store.begin_bilag(
                url=f"https://example.invalid/bilag-{n}.pdf",
                council=council,
                meeting_date=date,
                item_number=None,
                title=f"Bilag {n}",
                path=f"/nowhere/bilag-{n}.pdf",
                sha256=f"{n:064x}",
                page_count=pages,
                at="2026-12-06T00:00:00+00:00",
            )
            batch = []
            for page in range(1, pages + 1):
                start = rng.randrange(max(1, len(words) - 400))
                batch.append((page, " ".join(words[start : start + 400])))
            store.add_bilag_pages(bilag_id, batch)
            store.finish_bilag(bilag_id, "ready")


def bench_search(args: argparse.Namespace) -> None:
    from kkr_tui.search import SearchIndex
    from kkr_tui.store import Store

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "kkr.db"
        t0 = time.perf_counter()
        build_search_store(db, args.bilag, args.pages)
        built = time.perf_counter() - t0
        results = {}
        with Store(db) as store:
            index = SearchIndex(store)
            index.answer("klima", bilag=True)  # the vocabulary, once
            for query in QUERIES:
                row = {}
                for bilag in (False, True):
                    times = []
                    for _ in range(args.repeat):
                        t = time.perf_counter()
                        answer = index.answer(query, limit=50, bilag=bilag)
                        times.append((time.perf_counter() - t) * 1000)
                    kinds = [h.kind for h in answer.hits]
                    row["bilag" if bilag else "items"] = {
                        "median_ms": round(statistics.median(times), 1),
                        "max_ms": round(max(times), 1),
                        "hits": len(kinds),
                        "bilag_hits": kinds.count("bilag"),
                    }
                results[query] = row
        size = db.stat().st_size
    print(
        json.dumps(
            {
                "bilag": args.bilag,
                "pages": args.pages,
                "build_s": round(built, 1),
                "db_mb": round(size / 1e6, 1),
                "queries": results,
            },
            indent=1,
            ensure_ascii=False,
        )
    )


def _status_kb(field: str) -> int:
    """A figure of this process from ``/proc/self/status`` (``VmHWM``: its peak resident
    set, reset by exec unlike ``ru_maxrss``), 0 if unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _read_child(db: str, pdf: str) -> None:
    """In the child: read ``pdf`` as a bilag into ``db``; print what it cost."""
    import kkr_tui.sources  # noqa: F401 - what reading loads, before the baseline
    from kkr_tui.store import Store
    from kkr_tui.sync.bilag import BilagSource, read_bilag

    progress: list[tuple[int, int]] = []
    with Store(db) as store:
        before = _status_kb("VmHWM")
        t = time.perf_counter()
        source = BilagSource(
            "https://example.invalid/b.pdf", "Stor rapport", pdf, "0", "KKR Midtjylland", None
        )
        outcome = read_bilag(
            store,
            source,
            "2026-12-06T00:00:00+00:00",
            cancel=threading.Event(),
            on_page=lambda page, pages: progress.append((page, pages)),
        )
        elapsed = time.perf_counter() - t
        if isinstance(outcome, tuple):  # before bilag were read in a child: (id, reason)
            bilag_id, reason = outcome
        else:
            bilag_id, reason = outcome.bilag_id, outcome.reason
        row = store.bilag(bilag_id)
    own = _status_kb("VmHWM")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 2),
                "pages_stored": row.pages_read,
                "state": row.state,
                "reason": reason,
                "progress_events": len(progress),
                "rss_before_mb": round(before / 1024, 1),
                "rss_mb": round(own / 1024, 1),
                "largest_child_rss_mb": round(children / 1024, 1),
            }
        )
    )


def bench_read(args: argparse.Namespace) -> None:
    from pdf_factory import build_meeting_pdf

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "big.pdf"
        filler = "Grundvand og drikkevand beskyttes i hele regionen. " * 60
        texts = [
            f"Stor rapport\n\nSide {n} af {args.pages}.\n{filler}\n"
            for n in range(1, args.pages + 1)
        ]
        build_meeting_pdf(pdf, texts)
        db = Path(folder) / "kkr.db"
        out = subprocess.run(
            [sys.executable, __file__, "_read", str(db), str(pdf)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(out)
        figures["pdf_mb"] = round(pdf.stat().st_size / 1e6, 2)
        figures["pages"] = args.pages
    print(json.dumps(figures, indent=1))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "_read":
        _read_child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    search = sub.add_parser("search")
    search.add_argument("--bilag", type=int, default=1000)
    search.add_argument("--pages", type=int, default=20)
    search.add_argument("--repeat", type=int, default=7)
    read = sub.add_parser("read")
    read.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    (bench_search if args.what == "search" else bench_read)(args)


if __name__ == "__main__":
    main()
