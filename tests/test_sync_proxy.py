"""Sync through a proxy, and over TLS, on the public httpx/httpcore transport.

``kkr-tui sync`` gives httpx a transport of its own (its connections a stop can end),
and httpx then reads no proxy from the environment: :mod:`kkr_tui.sync.transport`
reads them itself, as httpx would. These tests decide by what the local proxy
(``sync_proxy.Proxy``) saw: a sync with ``HTTP_PROXY`` set goes through it,
``NO_PROXY`` keeps a host away from it, ``https://`` goes through a ``CONNECT`` tunnel
(also to a proxy spoken to over TLS). TLS is real: a certificate authority made for
the test (trustme), trusted through ``SSL_CERT_FILE`` as httpx's default context
reads it; an unknown authority is refused as before. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from sync_fixtures import documents, sync
from sync_proxy import Proxy, SocksProxy, proxy_environment
from sync_site import Site

from kkr_tui.sync.client import FetchError, PoliteClient
from kkr_tui.sync.config import SyncConfig
from kkr_tui.sync.transport import environment_proxies

EXPECTED = [
    ("KKR Hovedstaden", "2025-06-18", "agenda"),
    ("KKR Sjælland", "2024-04-17", "agenda"),
    ("KKR Sjælland", "2024-04-17", "minutes"),
    ("KKR Sjælland", "2025-02-05", "agenda"),
]


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    proxy = Proxy().start()
    yield proxy
    proxy.stop()


@pytest.fixture
def authority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A certificate authority trusted as ``SSL_CERT_FILE`` (httpx's default context
    reads it) for this test only."""
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return ca


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _tls_site(ca: trustme.CA) -> Site:
    site = Site()
    site.add_meeting("sjaelland", "2024-04-17", minutes=True)
    return site.start(tls=_server_context(ca))


def test_a_sync_goes_through_the_proxy_the_environment_names(
    site: Site, proxy: Proxy, tmp_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_environment(monkeypatch, http_proxy=proxy.url)
    assert sync(site, tmp_db) == 0
    assert documents(tmp_db) == EXPECTED
    assert proxy.seen and len(proxy.seen) == len(site.requests)
    assert all(line.startswith(f"GET {site.url}/") for line in proxy.seen)


def test_no_proxy_sends_a_host_past_the_proxy(
    site: Site, proxy: Proxy, tmp_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_environment(monkeypatch, http_proxy=proxy.url, no_proxy="example.org, 127.0.0.1")
    assert sync(site, tmp_db) == 0
    assert documents(tmp_db) == EXPECTED
    assert proxy.seen == [] and site.requests


def test_the_environment_is_read_as_httpx_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lower case wins over upper case (the standard library's rule), a proxy without a
    scheme is http://, NO_PROXY names become httpx's mount patterns, ``*`` means none."""
    proxy_environment(monkeypatch, all_proxy="proxy.example:3128")
    monkeypatch.setenv("https_proxy", "http://tls-proxy.example:8080")
    monkeypatch.setenv("NO_PROXY", "kl.dk,.intra,10.0.0.1,::1,localhost,https://www.kl.dk")
    assert environment_proxies() == {
        "https://": "http://tls-proxy.example:8080",
        "all://": "http://proxy.example:3128",
        "all://*kl.dk": None,
        "all://*.intra": None,
        "all://10.0.0.1": None,
        "all://[::1]": None,
        "all://localhost": None,
        "https://www.kl.dk": None,
    }
    monkeypatch.setenv("NO_PROXY", "kl.dk,*")
    assert environment_proxies() == {}


def test_https_is_verified_and_fetched(
    authority: trustme.CA, tmp_db: Path, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_environment(monkeypatch)
    site = _tls_site(authority)
    try:
        assert site.url.startswith("https://")
        assert sync(site, tmp_db) == 0
    finally:
        site.stop()
    assert documents(tmp_db) == EXPECTED[1:3]


def test_a_certificate_of_an_unknown_authority_is_refused(
    authority: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_environment(monkeypatch)
    site = _tls_site(trustme.CA())  # not the trusted one
    config = SyncConfig(base_url=site.url, delay=0, backoff=0, retries=0)
    try:
        with (
            PoliteClient(config) as client,
            pytest.raises(FetchError) as caught,
            client.get(site.url + "/robots.txt"),
        ):
            pass
    finally:
        site.stop()
    assert caught.value.failure.cause == "no_connection"
    assert dict(caught.value.failure.params) == {"why": "certificate"}
    assert site.requests == []


@pytest.mark.parametrize("proxy_tls", [False, True], ids=["http-proxy", "https-proxy"])
def test_https_goes_through_a_proxy_tunnel(
    proxy_tls: bool,
    authority: trustme.CA,
    tmp_db: Path,
    config_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``CONNECT`` through the proxy, TLS to the site inside it; to an ``https://``
    proxy that is TLS inside TLS."""
    site = _tls_site(authority)
    proxy = Proxy(tls=_server_context(authority) if proxy_tls else None).start()
    proxy_environment(monkeypatch, https_proxy=proxy.url)
    try:
        assert sync(site, tmp_db) == 0
    finally:
        proxy.stop()
        site.stop()
    assert documents(tmp_db) == EXPECTED[1:3]
    assert proxy.seen and set(proxy.seen) == {f"CONNECT 127.0.0.1:{site.port}"}


def test_a_proxy_that_cannot_be_used_is_one_line_and_the_site_is_not_asked(
    site: Site, tmp_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scheme httpx does not know (httpx itself would refuse to make the client, in
    English): the run ends as an unreachable site does, in one Danish line, and never
    goes past the proxy setting to the site."""
    proxy_environment(monkeypatch, all_proxy="ftp://user:secret@127.0.0.1:9")
    assert sync(site, tmp_db) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"kkr-tui sync: 127.0.0.1:{site.port}: ingen forbindelse (proxyen i HTTP_PROXY,"
        " HTTPS_PROXY eller ALL_PROXY kan ikke bruges: ukendt skema, eller SOCKS uden"
        " pakken socksio)"
    ]
    assert site.requests == [] and not tmp_db.exists()
    assert sync(site, tmp_db, "--json") == 1
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["error"]["params"] == {"why": "proxy_unusable"}
    assert "secret" not in summary["error"]["detail"]


def test_a_sync_goes_through_a_socks_proxy(
    site: Site, tmp_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ALL_PROXY=socks5://…`` (httpcore's SOCKS proxy needs socksio, a test extra)."""
    pytest.importorskip("socksio")
    proxy = SocksProxy().start()
    proxy_environment(monkeypatch, all_proxy=proxy.url)
    try:
        assert sync(site, tmp_db) == 0
    finally:
        proxy.stop()
    assert documents(tmp_db) == EXPECTED
    assert proxy.seen and set(proxy.seen) == {f"CONNECT 127.0.0.1:{site.port}"}


def test_a_test_never_sees_the_machines_proxies() -> None:
    """The suite's own guard (conftest.no_machine_proxy): whatever proxies the machine
    running the tests names, sync sees none unless a test sets them."""
    from kkr_tui.sync.transport import environment_proxies

    assert environment_proxies() == {}
