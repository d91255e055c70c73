"""Child-process probes: each runs one thing in a fresh interpreter and prints JSON.

Start-up time and peak memory only mean something in a fresh process (imports, caches),
so :mod:`bench.run` launches these with ``BENCH_T0`` = the parent's ``time.time()``
just before the launch; "since launch" figures therefore include interpreter start and
imports, which is what a user waits for.

    python bench/probes.py empty                 # minimal Textual app: first frame
    python bench/probes.py app DB [--read-only]  # kkr-tui: first frame, open + expand meetings
    python bench/probes.py search DB QUERY...    # search once per query, peak RSS

First frame = the first refresh after ``on_mount`` (``call_after_refresh``), i.e. the
first time the screen has been composed and painted, run headless via ``App.run_test``.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 40)
DEADLINE_S = 120.0


def since_launch() -> float:
    """Seconds since the parent launched this process."""
    return time.time() - float(os.environ.get("BENCH_T0", time.time()))


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    ``VmHWM`` from /proc: ``ru_maxrss`` survives ``execve``, so a probe started from a
    bench process holding the naive baseline's texts (1 GB at 100k items) reported that
    process's peak instead of its own. ``ru_maxrss`` only where /proc is missing.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def _until(predicate: Any, timeout: float = DEADLINE_S) -> float:
    """Poll every millisecond until ``predicate()``; returns perf_counter at that moment."""
    end = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > end:
            raise TimeoutError("probe timed out")
        await asyncio.sleep(0.001)
    return time.perf_counter()


def probe_empty() -> dict:
    """A minimal Textual app (header, static, footer): the floor for first frame."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    marks: dict[str, float] = {}

    class Empty(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("empty")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: marks.setdefault("first_frame", since_launch()))

    async def main() -> None:
        app = Empty()
        async with app.run_test(size=SIZE):
            await _until(lambda: "first_frame" in marks)

    asyncio.run(main())
    return {"first_frame_s": marks["first_frame"], "peak_rss_mb": peak_rss_mb()}


def probe_app(db: str, read_only: bool = False) -> dict:
    """kkr-tui on a corpus: first frame, newest meeting shown, meetings opened and expanded.

    Meetings are opened quickly one after another, then again after pauses while the
    app's background work (the "what's new" look on a writable store, the
    search-vocabulary warm-up) shares the store thread. Then the probe waits for the
    warm-up to end and searches once: peak RSS is taken after that, with the vocabulary
    loaded, the honest figure for a long session.
    """
    from kkr_tui.app.app import KkrApp

    marks: dict[str, float] = {}

    class Timed(KkrApp):
        # Textual calls every on_mount along the MRO, so KkrApp's still runs.
        def on_mount(self) -> None:
            self.call_after_refresh(lambda: marks.setdefault("first_frame", since_launch()))

    async def main() -> dict:
        app = Timed(
            Path(db),
            sample_docs=[],
            config_path=Path(os.devnull),
            theme="textual-dark",
            read_only=read_only,
        )
        warm = app.gateway.warm_search

        async def timed_warm() -> None:
            await warm()
            marks["search_ready"] = since_launch()

        app.gateway.warm_search = timed_warm  # type: ignore[method-assign]
        opened: list[float] = []
        expanded: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            await _until(lambda: app.pane.shown is not None and app.pane.shown[0] == "meeting")
            marks["meeting_shown"] = since_launch()
            tree = app.tree
            year = tree.root.children[0].children[0]
            meetings = [n for n in year.children if n.data and n.data.kind == "meeting"][1:11]
            # Let the start-up screen be painted first, as a reader sees it before the first
            # key: without this the first open absorbed the start-up layout (~75 ms).
            await pilot.pause()
            for node in meetings:
                view = ("meeting", node.data.key)
                t = time.perf_counter()
                app.show(view)
                opened.append(await _until(lambda v=view: app.pane.shown == v) - t)
                t = time.perf_counter()
                node.expand()
                await _until(lambda n=node: n.data.loaded)
                expanded.append(await _until(lambda: True) - t)
                await pilot.pause()
            marks["opened_all"] = since_launch()
            rss_opened = peak_rss_mb()
            idle_opens, busy_opens = await _open_after_pauses(app, meetings, marks)
            await _until(lambda: "search_ready" in marks)
            t = time.perf_counter()
            await app.gateway.search("sundhedsreform", limit=50)
            search_s = time.perf_counter() - t
        return {
            "read_only": read_only,
            "first_frame_s": marks["first_frame"],
            "newest_meeting_shown_s": marks["meeting_shown"],
            "open_meeting_s": opened,
            "expand_meeting_s": expanded,
            "open_meeting_after_pause_s": idle_opens,
            "open_meeting_after_pause_during_background_s": busy_opens,
            "opened_all_s": marks["opened_all"],
            "search_ready_s": marks["search_ready"],
            "first_search_after_warm_s": search_s,
            "peak_rss_before_warm_end_mb": rss_opened,
            "peak_rss_mb": peak_rss_mb(),
        }

    return asyncio.run(main())


async def _open_after_pauses(
    app: Any, meetings: list[Any], marks: dict[str, float], count: int = 10
) -> tuple[list[float], list[float]]:
    """Open meetings one by one after a pause each, as a reader does between meetings.

    The app runs background steps only once the store thread has been idle for a
    moment, so the quick opens above rarely meet one. These come each after a pause a
    little longer than that moment, so they can, while background work (the warm-up,
    the "what's new" look) is still going. Returns (all, those during it).
    """
    from kkr_tui.app.db import IDLE_BEFORE_BACKGROUND_S

    opened: list[float] = []
    during: list[float] = []
    for index in range(count):
        await asyncio.sleep(IDLE_BEFORE_BACKGROUND_S + 0.1)
        busy = "search_ready" not in marks or any(
            w.group == "changes" and w.is_running for w in app.workers
        )
        view = ("meeting", meetings[index % len(meetings)].data.key)
        if app.pane.shown == view:
            view = ("meeting", meetings[(index + 1) % len(meetings)].data.key)
        t = time.perf_counter()
        app.show(view)
        took = await _until(lambda v=view: app.pane.shown == v) - t
        opened.append(took)
        if busy:
            during.append(took)
    return opened, during


def probe_search(db: str, queries: list[str]) -> dict:
    """Open the store read-only and run each query once; first-query cost and peak RSS."""
    from kkr_tui.search import SearchIndex
    from kkr_tui.store import Store

    rss_before = peak_rss_mb()
    store = Store(db, read_only=True)
    index = SearchIndex(store)
    times = []
    for query in queries:
        t = time.perf_counter()
        index.search(query, limit=50)
        times.append(time.perf_counter() - t)
    vocab = index.vocabulary()
    return {
        "first_query_s": times[0] if times else None,
        "query_s": times,
        "rss_after_imports_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "vocabulary_terms": len(vocab),
        "vocabulary_mb": round(vocab.nbytes() / 1e6, 1),
    }


def main(argv: list[str]) -> int:
    """Dispatch to a probe and print its JSON on the last line."""
    kind = argv[0]
    if kind == "empty":
        result = probe_empty()
    elif kind == "app":
        result = probe_app(argv[1], read_only="--read-only" in argv[2:])
    elif kind == "search":
        result = probe_search(argv[1], argv[2:])
    else:
        raise SystemExit(f"unknown probe {kind}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
