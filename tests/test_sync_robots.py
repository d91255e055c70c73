"""robots.txt in ``kkr-tui sync``: read once per run, conditionally; Disallow honoured
for kkr-tui's User-Agent, Crawl-delay a lower bound on the pause; 404 allows all, a
5xx stops the run; ``obey_robots = false`` for a mirror. All on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_fixtures import (  # noqa: F401 - config_home and site are fixtures used by name
    config_home,
    documents,
    has_line,
    site,
    states,
    sync,
    write_config,
)
from sync_site import Fault, Site

from kkr_tui.sync.client import PoliteClient
from kkr_tui.sync.config import SyncConfig
from kkr_tui.sync.robots import parse, read_robots

SJAELLAND_PAGE = "/politik/kkr/kkr-sjaelland/moedemateriale"


def robots_requests(on: Site) -> list[dict[str, str]]:
    return [headers for path, _, headers in on.requests if path == "/robots.txt"]


def test_disallowed_pages_and_files_are_skipped_with_a_line_each(
    site: Site,  # noqa: F811
    tmp_db: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hovedstaden_agenda = site.meetings["hovedstaden"][0].links[0].href
    folder = hovedstaden_agenda.rsplit("/", 1)[0] + "/"
    site.robots = (
        "User-agent: googlebot\nDisallow: /\n\n"
        f"User-agent: kkr-tui\nDisallow: {SJAELLAND_PAGE}\nDisallow: {folder}\n"
    )
    assert sync(site, tmp_db) == 0
    out = capsys.readouterr().out
    asked = [path for path, _, _ in site.requests]
    assert SJAELLAND_PAGE not in asked and hovedstaden_agenda not in asked
    assert asked[0] == "/robots.txt" and len(robots_requests(site)) == 1
    reason = "robots.txt beder crawlere om ikke at hente den"
    assert has_line(out, "sprunget", f"KKR Sjælland http://127.0.0.1:{site.port}{SJAELLAND_PAGE}")
    assert has_line(out, "sprunget", hovedstaden_agenda) and out.count(reason) == 2
    assert documents(tmp_db) == []
    # The skipped file is not marked failed: it is fetched once robots.txt allows it.
    site.robots = None
    assert sync(site, tmp_db) == 0
    assert ("KKR Hovedstaden", "2025-06-18", "agenda") in documents(tmp_db)
    assert len(documents(tmp_db)) == 4


def test_robots_txt_is_asked_for_conditionally_and_its_rules_kept(
    site: Site,  # noqa: F811
    tmp_db: Path,
) -> None:
    site.robots = f"User-agent: *\nDisallow: {SJAELLAND_PAGE}\n"
    assert sync(site, tmp_db) == 0
    assert sync(site, tmp_db) == 0
    first, second = robots_requests(site)
    assert "If-None-Match" not in first and "If-None-Match" in second
    # The 304 came with no body: the rules were the remembered ones.
    assert [path for path, _, _ in site.requests].count(SJAELLAND_PAGE) == 0
    assert (tmp_db.parent / "downloads" / ".robots.json").is_file()


def test_a_robots_txt_that_fails_stops_the_run_in_one_line(
    site: Site,  # noqa: F811
    tmp_db: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert sync(site, tmp_db) == 0
    before = (documents(tmp_db), states(tmp_db))
    capsys.readouterr()
    site.requests.clear()
    site.faults["/robots.txt"] = Fault([503])
    assert sync(site, tmp_db) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"kkr-tui sync: 127.0.0.1:{site.port}: robots.txt kunne ikke læses (serveren svarede"
        " 503 Service Unavailable); intet hentes denne gang"
    ]
    # Retried as any 5xx (retries = 2), then nothing else asked.
    assert [path for path, _, _ in site.requests] == ["/robots.txt"] * 3
    assert (documents(tmp_db), states(tmp_db)) == before


def test_obey_robots_false_reads_no_robots_txt(
    site: Site,  # noqa: F811
    tmp_db: Path,
    config_home: Path,  # noqa: F811
) -> None:
    write_config(config_home, obey_robots=True)
    site.robots = "User-agent: *\nDisallow: /\n"
    assert sync(site, tmp_db) == 0 and documents(tmp_db) == []
    (config_home / "kkr-tui" / "config.toml").write_text(
        "[sync]\ndelay = 0\nbackoff = 0\ntimeout = 2\nobey_robots = false\n", encoding="utf-8"
    )
    site.requests.clear()
    assert sync(site, tmp_db) == 0
    assert robots_requests(site) == [] and len(documents(tmp_db)) == 4


def test_crawl_delay_raises_the_pause_and_never_lowers_it(site: Site) -> None:  # noqa: F811
    site.robots = "User-agent: kkr-tui\nCrawl-delay: 2.5\n"
    with PoliteClient(SyncConfig(base_url=site.url, delay=0)) as client:
        client.obey(read_robots(client, site.url, None))
        assert client.delay == 2.5  # a fraction kept as the site wrote it
    with PoliteClient(SyncConfig(base_url=site.url, delay=4)) as client:
        client.obey(read_robots(client, site.url, None))
        assert client.delay == 4
    rules = parse("User-agent: *\nRequest-rate: 1/10s\nCrawl-delay: 3\n", "h")
    assert rules.delay() == 10
    assert parse("User-agent: other\nCrawl-delay: 9\n", "h").delay() is None
    assert parse("User-agent: *\nCrawl-delay: 7\n", "h").delay() == 7


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_missing_or_refused_robots_txt_allows_everything(site: Site, status: int) -> None:  # noqa: F811
    site.faults["/robots.txt"] = Fault([status])
    config = SyncConfig(base_url=site.url, delay=0, backoff=0)
    with PoliteClient(config) as client:
        rules = read_robots(client, site.url, None)
    assert rules.allows(f"{site.url}{SJAELLAND_PAGE}")


def test_wildcard_rules_stop_the_files_they_name_and_allow_the_rest(
    site: Site,  # noqa: F811
    tmp_db: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``Disallow: /*.pdf$`` with a longer ``Allow`` for one folder (RFC 9309: the
    longest match wins): every PDF but that folder's is skipped, unrequested. The bilag
    links carry ``?format=noformat``, so ``$`` must not match them."""
    hovedstaden_agenda = site.meetings["hovedstaden"][0].links[0].href
    folder = hovedstaden_agenda.rsplit("/", 1)[0] + "/"
    site.robots = f"User-agent: *\nDisallow: /*.pdf$\nAllow: {folder}\n"
    assert sync(site, tmp_db) == 0
    asked = site.pdf_requests()
    assert hovedstaden_agenda in asked
    sjaelland_files = [
        link.href for meeting in site.meetings["sjaelland"] for link in meeting.links
    ]
    plain = [href for href in sjaelland_files if "?" not in href]
    with_query = [href for href in sjaelland_files if "?" in href]
    assert plain and with_query
    assert not any(href in asked for href in plain)
    asked_paths = {path.split("?", 1)[0] for path in asked}
    assert all(site._path(href) in asked_paths for href in with_query)
    out = capsys.readouterr().out
    assert all(has_line(out, "sprunget", href) for href in plain)
    assert documents(tmp_db) == [("KKR Hovedstaden", "2025-06-18", "agenda")]


@pytest.mark.parametrize(
    ("rules", "path", "allowed"),
    [
        # The longest matching rule wins, whatever the order of the lines.
        ("Allow: /media/ok/\nDisallow: /media/", "/media/ok/a.pdf", True),
        ("Disallow: /media/\nAllow: /media/ok/", "/media/ok/a.pdf", True),
        ("Disallow: /media/\nAllow: /media/ok/", "/media/no/a.pdf", False),
        # Allow beats Disallow when both match equally long.
        ("Disallow: /media/\nAllow: /media/", "/media/a.pdf", True),
        # * is any run of characters; $ anchors the end (the query counts).
        ("Disallow: /*.pdf$", "/media/x/a.pdf", False),
        ("Disallow: /*.pdf$", "/media/x/a.pdf?format=noformat", True),
        ("Disallow: /*.pdf$", "/media/x/a.pdfx", True),
        ("Disallow: /media/*/referat", "/media/47543/referat-fra.pdf", False),
        ("Disallow: /media/*/referat", "/media/47543/dagsorden.pdf", True),
        # A path is compared percent-encoded either way.
        ("Disallow: /media/%C3%A6ldre/", "/media/ældre/a.pdf", False),
        ("Disallow: /media/ældre/", "/media/%C3%A6ldre/a.pdf", False),
        # An empty Disallow allows everything.
        ("Disallow:", "/media/a.pdf", True),
    ],
)
def test_rules_match_as_rfc_9309_says(rules: str, path: str, allowed: bool) -> None:
    robots = parse(f"User-agent: *\n{rules}\n", "h")
    assert robots.allows(f"https://h{path}") is allowed


def test_the_group_is_chosen_by_kkr_tuis_product_token() -> None:
    """The group named kkr-tui applies (not the ``*`` group); a group named after a word
    of the User-Agent's comment ("reader") does not."""
    text = (
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: KKR-tui\nDisallow: /privat/\n\n"
        "User-agent: reader\nDisallow: /media/\n"
    )
    robots = parse(text, "h")
    assert robots.allows("https://h/media/a.pdf")
    assert not robots.allows("https://h/privat/a.pdf")
    assert not parse(
        "User-agent: reader\nDisallow: /\n\nUser-agent: *\nDisallow: /x\n", "h"
    ).allows("https://h/x")
