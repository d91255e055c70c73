"""A stop reaches a connection still being made (a host that never answers the connect).

The host is a loopback socket listening with a backlog of 0 whose one queue place is
taken by a connection it never accepts: the kernel then drops every further SYN, so a
connect to it waits until its timeout (here 600 s). The reader's stop (a
:class:`StopEvent` set from another thread) and the command line's Ctrl+C (a real
SIGINT to this process) must end that wait. Decided by outcome: the run ended (in
``SyncCancelled``, exit 130) while the connect could only have gone on; the guard
(30 s) only keeps a broken build from hanging the suite.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_fixtures import RecordingThread, write_config
from sync_proxy import proxy_environment

from kkr_tui.cli import main
from kkr_tui.sync.client import PoliteClient, StopEvent, SyncCancelled
from kkr_tui.sync.config import SyncConfig, load_sync_config

GUARD = 30.0  # seconds; a working stop takes a moment, the connect timeout is 600 s


def _fetch_in_a_thread(config: SyncConfig, url: str) -> tuple[StopEvent, RecordingThread]:
    """A worker thread fetching ``url`` with ``config``, and the stop it obeys."""
    stop = StopEvent()

    def fetch() -> None:
        with PoliteClient(config, cancel=stop) as client, client.get(url):
            pass

    worker = RecordingThread(fetch)
    worker.start()
    return stop, worker


def _stop_ends(
    stop: StopEvent, worker: RecordingThread, started: threading.Event, what: str
) -> None:
    """Once ``started`` is set, a stop ends the fetch in ``SyncCancelled``."""
    assert started.wait(GUARD)
    stop.set()
    worker.join(GUARD)
    assert not worker.is_alive(), f"the stop did not reach {what}"
    assert len(worker.outcome) == 1 and isinstance(worker.outcome[0], SyncCancelled)


@pytest.fixture
def unanswered() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a listener whose accept queue is full."""
    listener = socket.socket()
    filler = socket.socket()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)  # one queued connection fills it
        filler.setblocking(False)
        filler.connect_ex(listener.getsockname())
        _r, writable, _x = select.select([], [filler], [], GUARD)
        assert writable and not filler.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        filler.close()
        listener.close()


@pytest.fixture
def connecting(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set when a connect starts waiting for the host's answer (the backend's
    ``select`` on a socket to be writable, not the name lookup's): a stop set after
    this finds the connect under way, not about to start (where it is looked at
    anyway, so a stop set earlier would pass without the wake-up)."""
    from kkr_tui.sync import connect

    waiting = threading.Event()

    class Watched(connect.DefaultSelector):  # type: ignore[misc,valid-type]
        def select(self, timeout: float | None = None) -> Any:
            if any(key.events & connect.EVENT_WRITE for key in self.get_map().values()):
                waiting.set()
            return super().select(timeout)

    monkeypatch.setattr(connect, "DefaultSelector", Watched)
    return waiting


def test_a_stop_event_ends_a_connect_the_host_never_answers(
    unanswered: str, connecting: threading.Event
) -> None:
    config = SyncConfig(base_url=unanswered, delay=0, backoff=0, connect_timeout=600, retries=0)
    stop, worker = _fetch_in_a_thread(config, unanswered + "/robots.txt")
    _stop_ends(stop, worker, connecting, "the connect")


def test_ctrl_c_ends_a_sync_whose_first_connect_is_never_answered(
    unanswered: str,
    connecting: threading.Event,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A real SIGINT to this process while `kkr-tui sync` connects (main thread)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write_config(tmp_path / "config", connect_timeout=600, timeout=600, retries=0)
    db = tmp_path / "kkr.db"
    sent: list[bool] = []

    def interrupt() -> None:
        if connecting.wait(GUARD):
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    code = main(["sync", "--db", str(db), "--base-url", unanswered])
    assert sent == [True]
    assert code == 130
    assert "afbrudt" in capsys.readouterr().out
    assert not db.exists()


def test_the_connect_timeout_is_its_own_setting(tmp_path: Path) -> None:
    """``connect_timeout`` in ``[sync]`` (default 10 s, shorter than a read's 30 s)."""
    assert SyncConfig().connect_timeout == 10.0 < SyncConfig().timeout
    path = tmp_path / "config.toml"
    path.write_text("[sync]\nconnect_timeout = 3.5\n", encoding="utf-8")
    config = load_sync_config(path)
    assert config.connect_timeout == 3.5 and not config.problems
    path.write_text('[sync]\nconnect_timeout = "soon"\n', encoding="utf-8")
    config = load_sync_config(path)
    assert config.connect_timeout == 10.0 and config.problems


def test_a_connect_not_answered_in_connect_timeout_is_a_timeout_of_that_many_seconds(
    unanswered: str,
) -> None:
    """The connect waits ``connect_timeout`` (not the read's ``timeout``), and says so."""
    from kkr_tui.sync.client import FetchError

    config = SyncConfig(
        base_url=unanswered, delay=0, backoff=0, connect_timeout=0.2, timeout=600, retries=0
    )
    with (
        PoliteClient(config) as client,
        pytest.raises(FetchError) as caught,
        client.get(unanswered + "/robots.txt"),
    ):
        pass
    assert caught.value.failure.cause == "timeout"
    assert dict(caught.value.failure.params) == {"seconds": 0.2}


def test_a_stop_event_ends_a_name_lookup_that_does_not_return(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The resolver's ``getaddrinfo`` (a stand-in that blocks until released; no DNS
    server is asked) cannot be interrupted: the stop leaves it behind instead."""
    looking, release = threading.Event(), threading.Event()
    real_lookup = socket.getaddrinfo

    def hanging_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "kl.example":
            looking.set()
            release.wait()
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
    config = SyncConfig(base_url="http://kl.example", delay=0, backoff=0, retries=0)
    stop, worker = _fetch_in_a_thread(config, "http://kl.example/robots.txt")
    try:
        assert looking.wait(GUARD)
        stop.set()
        worker.join(GUARD)
        ended_while_looking = not worker.is_alive() and not release.is_set()
    finally:
        release.set()
    assert ended_while_looking, "the stop did not reach the name lookup"
    assert len(worker.outcome) == 1 and isinstance(worker.outcome[0], SyncCancelled)


@pytest.mark.parametrize("scheme", ["http", "socks5"])
def test_a_stop_event_ends_a_connect_to_a_proxy_that_never_answers(
    scheme: str, unanswered: str, connecting: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ALL_PROXY`` names the host that never answers: the connection to the proxy is
    made by the same backend, so the stop reaches it (the site's name is never looked
    up: the proxy would do that). SOCKS needs socksio (a test extra)."""
    if scheme == "socks5":
        pytest.importorskip("socksio")
    proxy_environment(monkeypatch, all_proxy=unanswered.replace("http", scheme, 1))
    config = SyncConfig(base_url="http://kl.example", delay=0, backoff=0, connect_timeout=600)
    stop, worker = _fetch_in_a_thread(config, "http://kl.example/robots.txt")
    _stop_ends(stop, worker, connecting, "the connect to the proxy")


@pytest.fixture
def silent_tls() -> Iterator[tuple[str, threading.Event]]:
    """``https://127.0.0.1:PORT`` of a host that takes the connection, reads the TLS
    greeting and never answers it; the event is set once the greeting arrived."""
    listener = socket.socket()
    greeted = threading.Event()
    held: list[socket.socket] = []

    def take() -> None:
        with contextlib.suppress(OSError):
            conn, _address = listener.accept()
            held.append(conn)
            if conn.recv(1):
                greeted.set()

    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    threading.Thread(target=take, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}", greeted
    finally:
        for conn in held:
            conn.close()
        listener.close()


def test_a_stop_event_ends_a_tls_handshake_the_host_never_answers(
    silent_tls: tuple[str, threading.Event],
) -> None:
    url, greeted = silent_tls
    config = SyncConfig(base_url=url, delay=0, backoff=0, connect_timeout=600, retries=0)
    stop, worker = _fetch_in_a_thread(config, url + "/robots.txt")
    _stop_ends(stop, worker, greeted, "the TLS handshake")
