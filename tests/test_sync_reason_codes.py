"""What sync stores about a failure is a code, worded when shown (issue 15).

The manifest's and the bilag rows' ``reason`` once held the sentence of the day, in
the language of the day: switching to English, or rewording a message, left the old
text on screen. Now they hold a code (``reason_codes``) and ``stored_words`` says it in
the language chosen when it is shown; rows an older kkr-tui stored (words) are shown
as they are. All on 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_fixtures import (  # noqa: F401 - config_home and site are fixtures used by name
    config_home,
    site,
    sync,
)
from sync_site import Fault, Site

from kkr_tui import i18n
from kkr_tui.failure_words import describe_sync, stored_words
from kkr_tui.model import FileFailure, PageWarning, SyncFailure
from kkr_tui.reason_codes import decode, encode
from kkr_tui.store import Store


def _row(db: Path, url_part: str) -> tuple[str, str | None]:
    with Store(db) as store:
        rows = [row for row in store.manifest() if url_part in row.url]
    assert len(rows) == 1
    return rows[0].state, rows[0].reason


def test_a_failed_download_is_stored_as_a_code_and_worded_in_the_language_shown(
    site: Site,  # noqa: F811
    tmp_db: Path,
) -> None:
    link = site.meetings["hovedstaden"][0].links[0]
    site.faults[link.href] = Fault([404])
    assert sync(site, tmp_db) == 1
    state, reason = _row(tmp_db, link.href)
    assert state == "failed" and reason is not None
    assert json.loads(reason) == {
        "kind": "sync",
        "cause": "http_status",
        "params": {"status": 404, "phrase": "Not Found"},
    }
    assert stored_words(reason) == "serveren svarede 404 Not Found"
    i18n.set_language("en")
    assert stored_words(reason) == "the server answered 404 Not Found"


def test_a_skipped_footer_pdf_is_stored_as_a_code(
    site: Site,  # noqa: F811
    tmp_db: Path,
) -> None:
    assert sync(site, tmp_db) == 0
    state, reason = _row(tmp_db, "privatlivspolitik")
    assert state == "skipped" and decode(reason) == SyncFailure("outside_blocks")
    assert stored_words(reason) == "ikke mødemateriale (uden for mødeblokkene)"


def test_an_unreadable_bilag_is_stored_as_a_code(
    site: Site,  # noqa: F811
    tmp_db: Path,
) -> None:
    from pdf_factory import build_textless_pdf

    site.add_meeting("midtjylland", "2025-03-12", minutes=True, bilag=("Notat om vand",))
    scan = build_textless_pdf(tmp_db.parent.parent / "scan.pdf", pages=1).read_bytes()
    site.meetings["midtjylland"][0].links[-1].body = scan
    assert sync(site, tmp_db, "--council", "midtjylland") == 0
    with Store(tmp_db) as store:
        bilag = store.meeting_bilag("KKR Midtjylland", "2025-03-12")[-1]
    assert bilag.state == "unreadable"
    assert decode(bilag.reason) == FileFailure("scanned")
    assert "tekstlag" in stored_words(bilag.reason)
    i18n.set_language("en")
    assert "text layer" in stored_words(bilag.reason)


def test_words_an_older_kkr_tui_stored_are_shown_as_they_are() -> None:
    old = "serveren svarede 500 Internal Server Error"
    assert decode(old) == old and stored_words(old) == old
    # Anything that only looks like a code is words too, never an error.
    for odd in ('{"kind": 1}', '{"kind":"sync"}', '{"kind":"nope","cause":"x"}', "{"):
        assert stored_words(odd) == odd
    assert stored_words(None) == ""


@pytest.mark.parametrize(
    "reason",
    [
        SyncFailure("timeout", (("seconds", 30.0),)),
        SyncFailure("no_connection", (("why", "refused"),)),
        SyncFailure("transfer_broke", (("why", ""),)),
        SyncFailure("too_large", (("size", 300 * 1024 * 1024), ("limit", 200 * 1024 * 1024))),
        SyncFailure("robots_unavailable", inner=SyncFailure("http_status", (("status", 503),))),
        FileFailure("timeout", (("seconds", 600),)),
        FileFailure("not_a_meeting", (("why", "no_structure"),)),
        (PageWarning("failed", 17, "", "timeout", (("seconds", 30),)),),
        (PageWarning("failed", 3, "Invalid stream"),),
    ],
)
def test_every_kind_of_reason_comes_back_as_it_went_in(
    reason: FileFailure | SyncFailure | tuple[PageWarning, ...],
) -> None:
    text = encode(reason)
    assert decode(text) == reason
    words = stored_words(text)
    assert words and not words.startswith("{")
    # No words are stored: nothing of the Danish sentence is in the text.
    assert not set(words.split()) & set(text.replace('"', " ").split()) - {"s", "30", "600"}


def test_sync_failures_read_in_danish() -> None:
    assert describe_sync(SyncFailure("no_connection", (("why", "refused"),))) == (
        "ingen forbindelse (forbindelsen blev afvist)"
    )
    assert describe_sync(SyncFailure("transfer_broke", (("why", ""),))) == (
        "overførslen blev afbrudt (serveren holdt op med at sende)"
    )
    assert describe_sync(
        SyncFailure("too_large", (("size", 300 * 1024 * 1024), ("limit", 200 * 1024 * 1024)))
    ) == ("filen er for stor (300.0 MB, grænsen er 200.0 MB)")
    assert describe_sync(SyncFailure("newer_cause")) == "newer_cause"  # type: ignore[arg-type]


def test_a_page_warning_with_a_cause_keeps_no_words() -> None:
    warning = PageWarning("failed", 2, "tog længere end 1 s", "timeout", (("seconds", 1.0),))
    text = encode((warning,))
    assert "tog" not in text
    assert stored_words(text) == "side 2 kunne ikke læses (tog længere end 1 s); dens tekst mangler"
