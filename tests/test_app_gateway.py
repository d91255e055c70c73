"""The store gateway: one thread owns the Store; the reader's calls go before background steps."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import threading
from pathlib import Path

import pytest
from app_fixtures import build_store, make_app, settle, small_meetings

from kkr_tui.app import db as app_db
from kkr_tui.app.db import StoreGateway
from kkr_tui.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_store(tmp_path / "kkr.db", small_meetings())


async def _hold_thread(gateway: StoreGateway) -> tuple[threading.Event, asyncio.Future]:
    """Occupy the store thread until the returned event is set."""
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    held = asyncio.ensure_future(gateway.run(hold))
    while not started.is_set():
        await asyncio.sleep(0.001)
    return release, held


async def test_foreground_calls_overtake_queued_background_steps(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=0)
    order: list[str] = []
    try:
        await gateway.open()
        release, held = await _hold_thread(gateway)
        steps = [
            asyncio.ensure_future(gateway.run_background(order.append, f"bg{i}")) for i in range(5)
        ]
        await asyncio.sleep(0)
        opened = asyncio.ensure_future(gateway.run(order.append, "open"))
        meeting = asyncio.ensure_future(gateway.call(Store.councils))
        await asyncio.sleep(0)
        assert gateway.pending_foreground() == 2
        release.set()
        await asyncio.gather(held, opened, meeting, *steps)
    finally:
        gateway.close()
    assert order == ["open", "bg0", "bg1", "bg2", "bg3", "bg4"]
    assert meeting.result()


async def test_a_foreground_call_waits_for_at_most_the_running_step(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=0)
    order: list[str] = []
    try:
        await gateway.open()
        step_running, release = threading.Event(), threading.Event()

        def slow_step() -> None:
            step_running.set()
            release.wait(10)
            order.append("step")

        first = asyncio.ensure_future(gateway.run_background(slow_step))
        rest = [
            asyncio.ensure_future(gateway.run_background(order.append, "next")) for _ in range(3)
        ]
        while not step_running.is_set():
            await asyncio.sleep(0.001)
        opened = asyncio.ensure_future(gateway.run(order.append, "open"))
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(first, opened, *rest)
    finally:
        gateway.close()
    assert order == ["step", "open", "next", "next", "next"]


async def test_background_steps_wait_while_the_reader_is_busy(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=3600)
    ran: list[str] = []
    await gateway.run_background(ran.append, "before any call")
    await gateway.call(Store.councils)
    step = asyncio.ensure_future(gateway.run_background(ran.append, "held"))
    for _ in range(3):
        assert await gateway.call(Store.councils)
    assert not step.done()
    await asyncio.to_thread(gateway.close)
    assert ran == ["before any call"]
    assert isinstance(
        (await asyncio.gather(step, return_exceptions=True))[0], asyncio.CancelledError
    )


async def test_every_call_runs_on_the_thread_that_opened_the_store(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=0)
    try:
        await gateway.open()
        opener = await gateway.run(threading.get_ident)
        background = await gateway.run_background(threading.get_ident)
        assert opener == background != threading.get_ident()
        assert gateway.store is not None
    finally:
        gateway.close()
    assert gateway.store is None


async def test_a_cancelled_call_that_has_not_started_never_runs(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=0)
    ran: list[str] = []
    try:
        await gateway.open()
        release, held = await _hold_thread(gateway)
        dropped = asyncio.ensure_future(gateway.run(ran.append, "dropped"))
        step = asyncio.ensure_future(gateway.run_background(ran.append, "step"))
        await asyncio.sleep(0)
        dropped.cancel()
        step.cancel()
        await asyncio.wait([dropped, step])
        await asyncio.sleep(0)
        kept = asyncio.ensure_future(gateway.run(ran.append, "kept"))
        release.set()
        await asyncio.gather(held, kept)
    finally:
        gateway.close()
    assert ran == ["kept"]


async def test_errors_reach_the_caller_and_the_thread_goes_on(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=0)
    try:
        with pytest.raises(ZeroDivisionError):
            await gateway.run_background(lambda: 1 / 0)
        assert await gateway.call(Store.is_empty) is False
    finally:
        gateway.close()


async def test_close_drops_queued_background_steps_and_refuses_new_calls(db: Path) -> None:
    gateway = StoreGateway(db, idle_s=0)
    ran: list[str] = []
    await gateway.open()
    release, held = await _hold_thread(gateway)
    steps = [asyncio.ensure_future(gateway.run_background(ran.append, "step")) for _ in range(3)]
    last = asyncio.ensure_future(gateway.run(ran.append, "foreground"))
    await asyncio.sleep(0)
    closing = asyncio.ensure_future(asyncio.to_thread(gateway.close))
    while not gateway.closed:
        await asyncio.sleep(0.001)
    release.set()
    await closing
    await held
    await last
    assert ran == ["foreground"]
    results = await asyncio.gather(*steps, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert gateway.store is None
    with pytest.raises(RuntimeError):
        await gateway.run(ran.append, "late")


async def test_read_only_background_bookkeeping_is_skipped(db: Path) -> None:
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    gateway = StoreGateway(db, read_only=True)
    try:
        assert await gateway.call_background(Store.detect_changes_step) == (0, True)
        await gateway.call(Store.mark_read, 1)  # the store skips it: nothing to record
        await gateway.warm_search()
        hits = await gateway.search("sundhedsreformen")
        assert hits
    finally:
        gateway.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


async def test_background_bookkeeping_runs_on_a_writable_store(db: Path) -> None:
    """The what's-new steps run through the gateway and record their baseline: a document
    changed afterwards is then marked, which it would not be on a first look."""

    with Store(db) as store:
        meetings = sum(len(store.meetings(c, y)) for c in store.councils() for y in store.years(c))
    gateway = StoreGateway(db, idle_s=0)
    try:
        steps = [await gateway.call_background(Store.detect_changes_step)]
        while not steps[-1][1] and len(steps) <= meetings:  # each step handles >= 1 meeting
            steps.append(await gateway.call_background(Store.detect_changes_step))
    finally:
        gateway.close()
    assert steps[-1][1], "the steps never finished"
    assert sum(marked for marked, _ in steps) == 0  # a first look marks nothing
    with Store(db) as store:
        changed = dataclasses.replace(
            small_meetings()[0], source="changed.txt", place="Et andet sted"
        )
        changed = dataclasses.replace(
            changed,
            sections=tuple(
                dataclasses.replace(
                    s,
                    items=tuple(
                        dataclasses.replace(i, title=i.title + " (ændret)") for i in s.items
                    ),
                )
                for s in changed.sections
            ),
        )
        store.save_document(changed, path="changed.txt", sha256="changed", parser_version="t")
        assert store.detect_changes() > 0


@pytest.mark.parametrize("read_only", [False, True])
async def test_the_app_warms_search_after_the_tree_loads(db: Path, read_only: bool) -> None:
    app = make_app(db, read_only=read_only)
    warmed: list[bool] = []
    warm = app.gateway.warm_search

    async def recorded() -> None:
        warmed.append(app.tree.root.children[0].data.loaded)
        await warm()

    app.gateway.warm_search = recorded
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert warmed == [True]
        index = app.gateway.search_index
        assert index is not None and await app.gateway.run(index.prepare_step) is True


async def test_warming_search_ends_with_a_full_collection_on_the_store_thread(db: Path) -> None:
    import gc
    import threading

    collected: list[tuple[int, str]] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            collected.append((info["generation"], threading.current_thread().name))

    gateway = StoreGateway(db, idle_s=0)
    gc.callbacks.append(seen)
    try:
        await gateway.warm_search()
        main = threading.current_thread().name
        assert any(gen == 2 and thread != main for gen, thread in collected), collected
    finally:
        gc.callbacks.remove(seen)
        gateway.close()


async def test_the_apps_store_names_call_the_real_store_methods(db: Path) -> None:
    """The app spells ``Store.item`` through ``kkr_tui.app.db`` (a stand-in at run time,
    so the first frame does not import the store); it must reach the same methods."""
    gateway = StoreGateway(db)
    try:
        assert await gateway.call(app_db.Store.councils) == await gateway.call(Store.councils)
        meeting_id = (await gateway.call(app_db.Store.meetings, "KKR Hovedstaden", 2025))[0].id
        assert await gateway.call(app_db.Store.meeting, meeting_id) == await gateway.call(
            Store.meeting, meeting_id
        )
        with pytest.raises(AttributeError):
            await gateway.call(app_db.Store.no_such_method)
    finally:
        gateway.close()
