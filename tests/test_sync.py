"""``kkr-tui sync`` against a KL-like site on 127.0.0.1 (tests/sync_site.py).

Every test starts its own server; no test reaches the internet. Rate limit and
back-off are 0 and timeouts short (config file), so the suite stays fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_fixtures import documents, has_line, leftovers, states, sync, write_config
from sync_site import Fault, Site

from kkr_tui.cli import main
from kkr_tui.store import Store


def test_first_sync_stores_every_document_and_keeps_the_bilag(
    site: Site, tmp_db: Path, capsys
) -> None:
    assert sync(site, tmp_db) == 0
    out = capsys.readouterr().out
    assert documents(tmp_db) == [
        ("KKR Hovedstaden", "2025-06-18", "agenda"),
        ("KKR Sjælland", "2024-04-17", "agenda"),
        ("KKR Sjælland", "2024-04-17", "minutes"),
        ("KKR Sjælland", "2025-02-05", "agenda"),
    ]
    with Store(tmp_db) as store:
        rows = {row.url.rsplit("/", 1)[-1]: row for row in store.manifest()}
    bilag = rows["bilag-1.pdf?format=noformat"]
    assert bilag.state == "bilag" and bilag.block_key == "2024-04-17"
    assert bilag.title == "Bilag 2.1 Klimaplan for regionen"
    assert bilag.path is not None and Path(bilag.path).read_bytes().startswith(b"%PDF-")
    assert Path(bilag.path).parent == tmp_db.parent / "downloads" / "sjaelland" / "2024"
    agenda = rows["dagsorden-hovedstaden-2025-06-18.pdf"]
    assert agenda.state == "stored" and agenda.title == "dagsorden hovedstaden 2025 06 18"
    assert agenda.sha256 and agenda.size and agenda.etag
    # Footer and navigation PDFs are not meeting material: a line, no download.
    assert rows["privatlivspolitik.pdf"].state == "skipped"
    assert "/media/9999/privatlivspolitik.pdf" not in site.pdf_requests()
    assert "sprunget over" in out and has_line(out, "tilføjet", "KKR Sjælland 17.04.2024 referat")
    assert "hentet 6" in out and "bilag 2" in out and "fejl 0" in out
    assert all("kkr-tui/" in headers.get("User-Agent", "") for _, _, headers in site.requests)
    assert leftovers(tmp_db.parent) == []


def test_second_sync_downloads_nothing(site: Site, tmp_db: Path, capsys) -> None:
    assert sync(site, tmp_db) == 0
    before = len(site.requests)
    assert sync(site, tmp_db) == 0
    second = site.requests[before:]
    # robots.txt (404 here, so nothing to ask conditionally), five conditional page
    # requests, all answered 304, and no PDF at all.
    assert [path for path, _, _ in second[:1]] == ["/robots.txt"]
    pages = second[1:]
    assert len(pages) == 5 and all(".pdf" not in path for path, _, _ in pages)
    assert all("If-None-Match" in headers for _, _, headers in pages)
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("sider 5 (5 uændrede, 0 fejl), hentet 0, uændrede 6")


def test_a_reuploaded_document_replaces_the_old_one(site: Site, tmp_db: Path, capsys) -> None:
    assert sync(site, tmp_db) == 0
    old = site.meetings["sjaelland"][1].links[0].href
    site.meetings["sjaelland"].pop(1)
    site.add_meeting("sjaelland", "2025-02-05", variant="Rettet udgave.")
    assert sync(site, tmp_db) == 0
    out = capsys.readouterr().out
    assert has_line(out, "opdateret", "KKR Sjælland 05.02.2025 dagsorden")
    assert "forsvundet" in out
    assert documents(tmp_db).count(("KKR Sjælland", "2025-02-05", "agenda")) == 1
    gone = [url for url, state in states(tmp_db).items() if state == "gone"]
    assert gone == [site.url + old]


def test_a_link_that_disappears_is_kept_and_marked(site: Site, tmp_db: Path) -> None:
    assert sync(site, tmp_db) == 0
    removed = site.meetings["sjaelland"][0].links.pop()
    assert sync(site, tmp_db) == 0
    with Store(tmp_db) as store:
        row = next(r for r in store.manifest() if "bilag-2.pdf" in r.url)
    assert row.state == "gone" and row.title == removed.text.removeprefix("PDF ")
    assert row.path is not None and Path(row.path).is_file()
    # Back on the page: it is a bilag again, and nothing is fetched again.
    site.meetings["sjaelland"][0].links.append(removed)
    requests = len(site.pdf_requests())
    assert sync(site, tmp_db) == 0
    assert states(tmp_db)[row.url] == "bilag" and len(site.pdf_requests()) == requests


def test_a_missing_council_page_fails_alone(site: Site, tmp_db: Path, capsys) -> None:
    site.faults["/politik/kkr/kkr-sjaelland/moedemateriale"] = Fault([404])
    assert sync(site, tmp_db) == 1
    out = capsys.readouterr().out
    assert has_line(out, "FEJL", "KKR Sjælland") and "404" in out
    assert documents(tmp_db) == [("KKR Hovedstaden", "2025-06-18", "agenda")]


def test_a_server_error_is_retried(site: Site, tmp_db: Path) -> None:
    path = site.meetings["hovedstaden"][0].links[0].href
    site.faults[path] = Fault([500, 503, 200])
    assert sync(site, tmp_db) == 0
    assert site.pdf_requests().count(path) == 3
    assert ("KKR Hovedstaden", "2025-06-18", "agenda") in documents(tmp_db)


def test_too_many_requests_waits_as_told(site: Site, tmp_db: Path) -> None:
    path = site.meetings["hovedstaden"][0].links[0].href
    site.faults[path] = Fault([429, 200], headers={"Retry-After": "0"})
    assert sync(site, tmp_db) == 0
    assert site.pdf_requests().count(path) == 2


def test_a_timeout_fails_that_file_only(
    site: Site, tmp_db: Path, config_home: Path, capsys
) -> None:
    write_config(config_home, timeout=0.3, retries=1)
    path = site.meetings["hovedstaden"][0].links[0].href
    site.faults[path] = Fault(hang=True)
    assert sync(site, tmp_db) == 1
    out = capsys.readouterr().out
    assert "intet svar inden for 0.3 s" in out
    assert site.pdf_requests().count(path) == 2
    assert len(documents(tmp_db)) == 3
    assert leftovers(tmp_db.parent) == []


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("html", "ikke en PDF"),
        ("big", "for stor"),
        ("dies", "overførslen blev afbrudt"),
    ],
)
def test_bad_downloads_leave_nothing_behind(
    site: Site, tmp_db: Path, config_home: Path, capsys, fault: str, reason: str
) -> None:
    link = site.meetings["hovedstaden"][0].links[0]
    good = link.body
    if fault == "html":
        link.body = b"<!doctype html><html><body>Siden findes ikke</body></html>"
    elif fault == "big":
        write_config(config_home, max_size_mb=len(good) / 2 / 1024 / 1024)
    else:
        site.faults[link.href] = Fault(die_after=300)
    assert sync(site, tmp_db) == 1
    out = capsys.readouterr().out
    assert reason in out
    assert ("KKR Hovedstaden", "2025-06-18", "agenda") not in documents(tmp_db)
    assert list((tmp_db.parent / "downloads" / "hovedstaden").rglob("*")) in (
        [],
        [tmp_db.parent / "downloads" / "hovedstaden" / "2025"],
    )
    assert leftovers(tmp_db.parent) == []
    # Put right on the site, the next run fetches it (a failed link is tried again).
    link.body = good
    site.faults.clear()
    write_config(config_home)
    assert sync(site, tmp_db) == 0
    assert ("KKR Hovedstaden", "2025-06-18", "agenda") in documents(tmp_db)


def test_links_to_other_hosts_are_never_followed(site: Site, tmp_db: Path) -> None:
    site.extra_html["hovedstaden"] = (
        "<p>KKR Hovedstaden holder møde den 1. oktober 2025</p>"
        f"<a href='http://localhost:{site.port}/media/x/dagsorden-ude.pdf'>PDF</a>"
    )
    assert sync(site, tmp_db) == 0
    assert all(host.startswith("127.0.0.1") for _, host, _ in site.requests)
    assert not any("ude" in url for url in states(tmp_db))


def test_site_gone_changes_nothing(site: Site, tmp_db: Path, capsys) -> None:
    assert sync(site, tmp_db) == 0
    before = (documents(tmp_db), states(tmp_db))
    capsys.readouterr()
    site.stop()
    assert sync(site, tmp_db) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0] == (
        f"kkr-tui sync: 127.0.0.1:{site.port}: ingen forbindelse (forbindelsen blev afvist)"
    )
    assert (documents(tmp_db), states(tmp_db)) == before


def test_site_unreachable_on_a_first_run_creates_no_database(site: Site, tmp_db: Path) -> None:
    site.stop()
    assert sync(site, tmp_db) == 1
    assert not tmp_db.exists()


def test_dry_run_stores_and_downloads_nothing(site: Site, tmp_db: Path, capsys) -> None:
    assert sync(site, tmp_db, "--dry-run") == 0
    assert "ville hente" in capsys.readouterr().out
    assert site.pdf_requests() == [] and not tmp_db.exists()


def test_council_and_since_choose_what_is_fetched(site: Site, tmp_db: Path) -> None:
    assert sync(site, tmp_db, "--council", "Sjælland", "--since", "2025") == 0
    assert documents(tmp_db) == [("KKR Sjælland", "2025-02-05", "agenda")]
    assert all("hovedstaden" not in path for path, _, _ in site.requests)


def test_unknown_council_is_a_usage_error(tmp_db: Path, capsys) -> None:
    assert main(["sync", "--db", str(tmp_db), "--council", "fyn"]) == 2
    assert "ukendt råd" in capsys.readouterr().err


def test_cancel_mid_sync_keeps_what_was_stored(site: Site, tmp_db: Path) -> None:
    import threading

    from kkr_tui.sync.client import PoliteClient
    from kkr_tui.sync.config import SyncConfig
    from kkr_tui.sync.run import apply, fetch_pages

    config = SyncConfig(base_url=site.url, delay=0, backoff=0, timeout=2)
    cancel = threading.Event()
    downloads: list[str] = []

    def on_event(event) -> None:  # type: ignore[no-untyped-def]
        if event.line is not None and event.line.status.startswith("fetched"):
            downloads.append(event.line.subject)
            if len(downloads) == 2:
                cancel.set()

    tmp_db.parent.mkdir(parents=True)
    with Store(tmp_db) as store, PoliteClient(config, cancel=cancel) as client:
        pages = fetch_pages(client, config, ["hovedstaden", "sjaelland"], {})
        summary = apply(
            store, client, config, pages, download_root=tmp_db.parent / "dl", progress=on_event
        )
        assert summary.cancelled
        rows = [row for row in store.manifest() if row.sha256]
    assert len(rows) == 2 and all(Path(row.path or "").is_file() for row in rows)
    assert leftovers(tmp_db.parent) == []
    # The next run picks up where this one stopped.
    assert sync(site, tmp_db) == 0
    assert len(documents(tmp_db)) == 4


def test_a_document_the_store_could_not_take_is_tried_again(
    site: Site, tmp_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy or failing store is no fault of the file: its link stays 'failed' (fetched
    again next run), never 'unreadable' — whatever language the reason is worded in."""
    from kkr_tui.ingest import IngestRun

    def refuse(self: object, *args: object) -> str:
        raise RuntimeError("database is locked")

    with monkeypatch.context() as patch:  # undone alone: the suite's own patches stay
        patch.setattr(IngestRun, "_save", refuse)
        assert sync(site, tmp_db) == 1
    rows = states(tmp_db)
    agenda = next(url for url in rows if url.endswith("dagsorden-hovedstaden-2025-06-18.pdf"))
    assert rows[agenda] == "failed"
    assert "unreadable" not in rows.values()


def test_a_full_disk_mid_sync_says_disk_full_and_is_tried_again(
    site: Site, tmp_db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The disk fills while sync stores a document: its ``--json`` result says
    ``disk_full`` (a code a script can act on: free some space), not the ``not_stored``
    of a busy database, and its link stays 'failed' with that code, fetched next run."""
    import json

    from kkr_tui.ingest import IngestRun
    from kkr_tui.store import DiskFullError

    def full(self: object, *args: object) -> str:
        raise DiskFullError("disken er fuld: kkr.db kan ikke skrives")

    with monkeypatch.context() as patch:  # undone alone: the suite's own patches stay
        patch.setattr(IngestRun, "_save", full)
        assert sync(site, tmp_db, "--json") == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    refused = [r for r in lines if r["type"] == "result" and r["status"] == "failed"]
    assert refused and {r["failure"]["cause"] for r in refused} == {"disk_full"}
    assert refused[0]["text"].startswith("disken er fuld, så det blev ikke gemt")
    assert lines[-1]["stopped"] == "disk_full"
    rows = states(tmp_db)
    assert "unreadable" not in rows.values()
    with Store(tmp_db) as store:
        failed = [row for row in store.manifest() if row.state == "failed"]
    assert failed and all("disk_full" in (row.reason or "") for row in failed)
    assert sync(site, tmp_db) == 0  # room again: stored
    assert "failed" not in states(tmp_db).values()
