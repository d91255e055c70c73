"""``kkr-tui sync`` with the site unreachable: one connection attempt, one Danish line.

A host that refuses, whose name cannot be looked up, or that vanishes mid-run is asked
nothing more: the run stops at the first connection that cannot be made, names the
host and the reason in plain Danish, exits 1 and leaves the store as it was. Name
lookups are answered by a stand-in for ``socket.getaddrinfo`` (so no test depends on a
DNS server or reaches the internet); connections go to 127.0.0.1 only.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sync_fixtures import (  # noqa: F401 - config_home and site are fixtures used by name
    config_home,
    documents,
    leftovers,
    site,
    states,
    sync,
)
from sync_site import Fault, Site

from kkr_tui.cli import main
from kkr_tui.failure_words import describe_sync
from kkr_tui.sync.netreason import connect_failure

Counter = list[tuple[str, object]]


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Every TCP connection attempt (sync's network backend, sync/connect.py, makes
    each one), and every name lookup, in order."""
    from kkr_tui.sync.connect import StoppableBackend

    seen: Counter = []
    real_connect = StoppableBackend.connect_tcp
    real_lookup = socket.getaddrinfo

    def connect(self: StoppableBackend, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        seen.append(("connect", (host, port)))
        return real_connect(self, host, port, *args, **kwargs)

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(("lookup", host))
        if isinstance(host, str) and host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(StoppableBackend, "connect_tcp", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return seen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_a_refused_connection_stops_at_once_with_one_danish_line(
    site: Site,  # noqa: F811
    tmp_db: Path,
    connects: Counter,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert sync(site, tmp_db) == 0
    before = (documents(tmp_db), states(tmp_db))
    capsys.readouterr()
    site.stop()
    connects.clear()
    assert sync(site, tmp_db) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"kkr-tui sync: 127.0.0.1:{site.port}: ingen forbindelse (forbindelsen blev afvist)"
    ]
    assert "Errno" not in captured.out + captured.err
    # One attempt, not one per council (nor a retry of it).
    assert [kind for kind, _ in connects if kind == "connect"] == ["connect"]
    assert (documents(tmp_db), states(tmp_db)) == before


def test_a_name_that_cannot_be_looked_up_is_one_line_and_no_database(
    tmp_db: Path,
    config_home: Path,  # noqa: F811
    connects: Counter,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["sync", "--db", str(tmp_db), "--base-url", "https://kl.invalid"])
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        "kkr-tui sync: kl.invalid: ingen forbindelse (værtsnavnet kunne ikke findes)"
    ]
    assert connects == [("connect", ("kl.invalid", 443)), ("lookup", "kl.invalid")]
    assert not tmp_db.exists()


def test_a_host_that_goes_away_mid_run_is_named_once_and_the_rest_waits(
    site: Site,  # noqa: F811
    tmp_db: Path,
    connects: Counter,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The pages answered, then the server went down at the first download: one FEJL
    line for the host, no attempt at the other files, and they are fetched next run."""
    first = site.meetings["hovedstaden"][0].links[0].href  # the first file asked for
    site.faults[first] = Fault(stop_site=True)
    assert sync(site, tmp_db) == 1
    out = capsys.readouterr().out
    host = f"127.0.0.1:{site.port}"
    failures = [line for line in out.splitlines() if line.startswith("FEJL")]
    assert failures == [f"{'FEJL':<13} {host}: ingen forbindelse (forbindelsen blev afvist)"]
    pdfs_asked = site.pdf_requests()
    assert pdfs_asked == [first]
    assert "failed" not in states(tmp_db).values()
    assert leftovers(tmp_db.parent) == []
    # Back up on the same port: the next run fetches everything the first could not.
    site.faults.clear()
    site.start(site.port)
    assert sync(site, tmp_db) == 0
    assert len(documents(tmp_db)) == 4


def _chain(*excs: BaseException) -> BaseException:
    """An exception raised from the next one, as httpx wraps httpcore wraps the OS."""
    for outer, inner in zip(excs, excs[1:], strict=False):
        outer.__cause__ = inner
    return excs[0]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: ConnectionRefusedError(errno.ECONNREFUSED, "x"), "forbindelsen blev afvist"),
        (lambda: socket.gaierror(socket.EAI_NONAME, "x"), "værtsnavnet kunne ikke findes"),
        (
            lambda: socket.gaierror(socket.EAI_AGAIN, "x"),
            "værtsnavnet kunne ikke slås op; er netværket nede?",
        ),
        (lambda: OSError(errno.ENETUNREACH, "x"), "intet netværk"),
        (lambda: OSError(errno.EHOSTUNREACH, "x"), "værten kan ikke nås"),
        (
            lambda: ssl.SSLCertVerificationError(1, "certificate verify failed"),
            "sidens certifikat kunne ikke godkendes",
        ),
        (
            lambda: ssl.SSLError(1, "wrong version number"),
            "den sikre forbindelse (TLS) kunne ikke oprettes",
        ),
        (lambda: OSError(errno.EPERM, "x"), "forbindelsen kunne ikke oprettes"),
    ],
)
def test_each_kind_of_failed_connection_has_its_danish_reason(
    make: Callable[[], BaseException], reason: str
) -> None:
    import httpcore
    import httpx

    error = _chain(httpx.ConnectError("[Errno 1] English"), httpcore.ConnectError("x"), make())
    assert describe_sync(connect_failure(error)) == f"ingen forbindelse ({reason})"


def test_the_reason_is_found_in_the_message_when_no_cause_is_kept() -> None:
    import httpx

    error = httpx.ConnectError("[Errno 111] Connection refused")
    assert describe_sync(connect_failure(error)) == "ingen forbindelse (forbindelsen blev afvist)"


def test_a_tls_handshake_that_fails_is_one_line(
    site: Site,  # noqa: F811
    tmp_db: Path,
    connects: Counter,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """https:// to a server that speaks plain HTTP: a real handshake failure, no retry."""
    code = main(["sync", "--db", str(tmp_db), "--base-url", f"https://127.0.0.1:{site.port}"])
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"kkr-tui sync: 127.0.0.1:{site.port}: ingen forbindelse"
        " (den sikre forbindelse (TLS) kunne ikke oprettes)"
    ]
    assert [kind for kind, _ in connects if kind == "connect"] == ["connect"]
    assert not tmp_db.exists()
