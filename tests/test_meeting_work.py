"""Meeting work without the app: related items, agenda+minutes, notes, reading state, briefings."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from meeting_work_fixtures import (
    agenda_000,
    item_by_number,
    minutes_000,
    sample_paths,
    save,
    topic_meeting,
)
from related_pairs import RELATED, figures, score_pairs

from kkr_tui.cli import main
from kkr_tui.ingest import ingest_paths
from kkr_tui.meetingwork.briefing import briefing, briefing_markdown, md_escape
from kkr_tui.meetingwork.lookup import find_item, find_meeting
from kkr_tui.meetingwork.merged import merged_item, merged_meeting
from kkr_tui.meetingwork.related import THRESHOLD, is_standing_title, related_items
from kkr_tui.store import Store
from kkr_tui.wording import citation

HOV = "KKR Hovedstaden"


@pytest.fixture
def samples_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "kkr.db")
    ingest_paths(store, sample_paths(), progress=None, cancel=None)
    yield store
    store.close()


def _related(store: Store, date: str, number: str) -> list[tuple[str | None, str, str]]:
    """Related items in KKR Hovedstaden's own meetings (the other councils: their own tests)."""
    found = related_items(store, item_by_number(store, HOV, date, number))
    return [(r.meeting_date, r.number, r.reason) for r in found if r.council == HOV]


# -- related ---------------------------------------------------------------------------


def test_related_on_the_samples(samples_store: Store) -> None:
    assert _related(samples_store, "2025-06-18", "3.3") == [("2025-02-03", "3.2", "topic")]
    assert _related(samples_store, "2025-02-03", "3.2") == [("2025-06-18", "3.3", "topic")]
    assert sorted(_related(samples_store, "2025-02-03", "3.7")) == [
        ("2022-03-25", "3.2", "topic"),
        ("2022-03-25", "3.3", "topic"),
    ]


def test_the_refugee_quota_relates_across_councils(samples_store: Store) -> None:
    """Issue 17: Midtjylland 3.7 and Hovedstaden 3.5 of 18.06.2025 are the same yearly task."""
    quota = item_by_number(samples_store, "KKR Midtjylland", "2025-06-18", "3.7")
    found = [(r.council, r.number, r.reason) for r in related_items(samples_store, quota)]
    assert ("KKR Hovedstaden", "3.5", "topic") in found
    source = item_by_number(samples_store, HOV, "2025-06-18", "3.5")
    assert ("KKR Midtjylland", "3.7") in [
        (r.council, r.number) for r in related_items(samples_store, source)
    ]


def test_standing_items_have_no_related(samples_store: Store) -> None:
    for date, number in [("2025-06-18", "1.1"), ("2025-06-18", "1.2"), ("2025-06-18", "2.1")]:
        assert _related(samples_store, date, number) == []
    assert _related(samples_store, "2022-03-25", "5.1") == []  # "Møde i KKR Hovedstaden den …"
    for number in ("1.1", "2.1", "6.1", "7.1"):  # Midtjylland's own wording of them
        item = item_by_number(samples_store, "KKR Midtjylland", "2025-06-18", number)
        assert related_items(samples_store, item) == [], number


def test_meeting_wide_case_number_is_no_evidence(samples_store: Store) -> None:
    # Every item of the 18.06.2025 agenda carries SAG-2025-02162.
    rows = samples_store.find_items_by_case_number("SAG-2025-02162")
    assert len(rows) >= 10
    found = related_items(samples_store, item_by_number(samples_store, HOV, "2025-06-18", "3.8"))
    assert all(r.reason == "topic" for r in found)
    assert [(r.council, r.number) for r in found] == [("KKR Midtjylland", "3.3")]  # it-drift


@pytest.mark.slow
def test_labelled_pairs_precision_and_recall(samples_store: Store) -> None:
    """The threshold's data: every cross-meeting pair of the samples, labelled."""
    pairs = score_pairs(samples_store)
    precision, recall, related, _ = figures(pairs, THRESHOLD)
    assert related == len(RELATED)
    assert precision >= 0.9 and recall >= 0.8, (precision, recall)


def test_standing_titles() -> None:
    for title in (
        "Godkendelse af referat fra mødet i KKR Midtjylland den 8. april 2025",
        "Punkter til kommende møde",
        "Punkter til næste møde",
        "Eventuelt",
        "Siden sidst",
    ):
        assert is_standing_title(title), title
    assert not is_standing_title("Landstallet for flygtninge 2026")


def test_related_across_councils_and_specific_case_numbers(tmp_path: Path) -> None:
    with Store(tmp_path / "kkr.db") as store:
        save(
            store,
            topic_meeting(
                "KKR Sjælland",
                "2024-06-01",
                [
                    ("3.1", "Landstal for flygtninge 2025", "SAG-2024-00001"),
                    ("3.2", "Budget for regionens busser", "SAG-2024-00777"),
                ],
            ),
        )
        save(
            store,
            topic_meeting(
                "KKR Midtjylland",
                "2025-06-01",
                [
                    ("3.1", "Kommunefordeling af flygtninge for 2026", "SAG-2025-00002"),
                    ("3.2", "Takster i den kollektive trafik", "SAG-2024-00777"),
                ],
            ),
        )
        save(
            store,
            topic_meeting(
                "KKR Nordjylland",
                "2025-03-01",
                [
                    ("3.1", "Kommunefordeling af flygtninge 2025", "SAG-2025-00100"),
                    ("3.2", "Noget helt andet", "SAG-2025-00100"),
                    ("3.3", "Endnu et punkt", "SAG-2025-00100"),
                ],
            ),
        )
        source = item_by_number(store, "KKR Sjælland", "2024-06-01", "3.1")
        found = [(r.council, r.number, r.reason) for r in related_items(store, source)]
        assert found == [
            ("KKR Midtjylland", "3.1", "topic"),
            ("KKR Nordjylland", "3.1", "topic"),
        ]
        bus = item_by_number(store, "KKR Sjælland", "2024-06-01", "3.2")
        assert [(r.council, r.reason) for r in related_items(store, bus)] == [
            ("KKR Midtjylland", "case")
        ]


# -- agenda and minutes -------------------------------------------------------------------


def test_agenda_then_minutes_merge(tmp_path: Path) -> None:
    with Store(tmp_path / "kkr.db") as store:
        save(store, agenda_000())
        agenda_only = merged_meeting(store, store.meetings(HOV, 2025)[0].id)
        assert all(m.minutes is None and m.beslutning is None for m in agenda_only)
        save(store, minutes_000(drop_indstilling="3.4"))
        meeting_id = store.meetings(HOV, 2025)[0].id
        merged = {m.number: m for m in merged_meeting(store, meeting_id)}
        assert len(merged) == 12
        assert all(m.agenda is not None and m.minutes is not None for m in merged.values())
        assert merged["3.4"].indstilling.startswith("Det indstilles")
        assert merged["3.4"].indstilling_source == "agenda"
        assert merged["3.4"].reading.outcome == "changed"
        assert merged["3.5"].reading.outcome == "postponed" and merged["3.5"].reading.departs
        assert merged["3.3"].reading.outcome == "approved" and not merged["3.3"].reading.departs
        assert merged["3.6"].reading.outcome == "noted"
        agenda_item = merged["3.5"].agenda.id
        assert merged_item(store, agenda_item).beslutning == "Punktet blev udsat til næste møde."


def test_minutes_without_agenda_take_indstilling_from_minutes(samples_store: Store) -> None:
    meeting_id = next(
        m.id for m in samples_store.meetings(HOV, 2025) if m.meeting_date == "2025-02-03"
    )
    merged = {m.number: m for m in merged_meeting(samples_store, meeting_id)}
    assert merged["3.7"].agenda is None and merged["3.7"].indstilling_source == "minutes"
    assert merged["3.7"].reading.outcome == "approved"
    # "tiltrådte indstillingen" plus a question and a follow-up: remarks, not a departure
    assert merged["3.8"].reading.outcome == "approved" and merged["3.8"].reading.remarks
    assert not merged["3.8"].reading.departs


# -- notes ------------------------------------------------------------------------------------


def test_note_survives_minutes_replacing_agenda_and_reingest(tmp_path: Path) -> None:
    with Store(tmp_path / "kkr.db") as store:
        save(store, agenda_000())
        agenda_item = item_by_number(store, HOV, "2025-06-18", "3.4")
        store.save_note(agenda_item, "Spørg til **cykelstier** [vigtigt]")
        save(store, minutes_000())
        minutes_item = item_by_number(store, HOV, "2025-06-18", "3.4")
        assert minutes_item != agenda_item
        assert store.item(minutes_item).doc_type == "minutes"
        note = store.note_for(minutes_item)
        assert note is not None and note.text == "Spørg til **cykelstier** [vigtigt]"
        # Re-ingest the minutes (a new parse: new ids), the note is still there.
        for doc in store.meeting(store.meetings(HOV, 2025)[0].id).documents:
            store.delete_document(doc.id)
        save(store, minutes_000())
        again = item_by_number(store, HOV, "2025-06-18", "3.4")
        assert store.note_for(again).text.startswith("Spørg til")
        assert store.item_marks([again])[again].has_note
        other = item_by_number(store, HOV, "2025-06-18", "3.5")
        assert store.note_for(other) is None and not store.item_marks([other])[other].has_note
        hits = store.search_notes("cykelsti")
        assert [h.item_id for h in hits] == [again]
        assert store.search_notes("cykelsti ukendtord") == []
        assert store.save_note(again, "   ") is None
        assert store.note_for(again) is None and store.all_notes() == []


def test_note_follows_a_renumbered_item(tmp_path: Path) -> None:
    with Store(tmp_path / "kkr.db") as store:
        save(
            store, topic_meeting(HOV, "2025-09-01", [("3.1", "Alpha", None), ("3.2", "Beta", None)])
        )
        store.save_note(item_by_number(store, HOV, "2025-09-01", "3.2"), "om beta")
        minutes = topic_meeting(HOV, "2025-09-01", [("3.1", "Beta", None), ("3.2", "Gamma", None)])
        import dataclasses

        save(store, dataclasses.replace(minutes, doc_type="minutes", source="m.txt"))
        assert store.note_for(item_by_number(store, HOV, "2025-09-01", "3.1")).text == "om beta"
        assert store.note_for(item_by_number(store, HOV, "2025-09-01", "3.2")) is None


# -- reading state -----------------------------------------------------------------------------


def test_new_and_changed_since_last_look(tmp_path: Path) -> None:
    with Store(tmp_path / "kkr.db") as store:
        save(store, agenda_000())
        assert store.detect_changes() == 0  # first look: nothing is "new"
        assert store.changed_items() == []
        opened = item_by_number(store, HOV, "2025-06-18", "3.3")
        store.mark_read(opened)
        save(store, minutes_000())
        save(store, topic_meeting(HOV, "2025-09-01", [("3.1", "Nyt punkt", None)]))
        marked = store.detect_changes()
        changes = {(c.meeting_date, c.number): c.kind for c in store.changed_items()}
        assert marked == len(changes) == 13
        assert changes[("2025-06-18", "3.3")] == "changed"
        assert changes[("2025-09-01", "3.1")] == "new"
        assert store.detect_changes() == 0  # nothing changed since
        item = item_by_number(store, HOV, "2025-06-18", "3.3")
        assert store.item_marks([item])[item].change == "changed"
        store.mark_read(item)
        mark = store.item_marks([item])[item]
        assert mark.change is None and mark.read
        assert len(store.changed_items()) == 12


def test_detection_in_steps_keeps_a_first_look_a_baseline(tmp_path: Path) -> None:
    """The app detects in small steps; a first look spread over steps, even one
    interrupted by closing the app, must still mark nothing, and later steps must
    find exactly what a single pass finds."""
    with Store(tmp_path / "kkr.db") as store:
        for n in range(3):
            save(store, topic_meeting(HOV, f"2024-0{n + 1}-10", [("3.1", f"Punkt {n}", None)]))
        assert store.detect_changes_step(max_meetings=1) == (0, False)
    with Store(tmp_path / "kkr.db") as store:  # reopened mid-baseline
        assert store.detect_changes_step(max_meetings=1) == (0, False)
        assert store.detect_changes_step(max_meetings=1) == (0, True)
        assert store.changed_items() == []
        save(store, topic_meeting(HOV, "2024-01-10", [("3.1", "Punkt 0, ændret", None)]))
        save(store, topic_meeting(HOV, "2025-01-10", [("3.1", "Nyt", None)]))
        steps = []
        while not steps or not steps[-1][1]:
            steps.append(store.detect_changes_step(max_meetings=1))
        assert steps == [(1, False), (1, True)]
        kinds = {(c.meeting_date, c.number): c.kind for c in store.changed_items()}
        assert kinds == {("2024-01-10", "3.1"): "changed", ("2025-01-10", "3.1"): "new"}
        assert store.detect_changes() == 0


def test_a_meeting_whose_document_is_gone_is_forgotten_and_seen_anew(tmp_path: Path) -> None:
    with Store(tmp_path / "kkr.db") as store:
        january = topic_meeting(HOV, "2024-01-10", [("3.1", "Punkt", None)])
        save(store, january)
        save(store, topic_meeting(HOV, "2024-02-10", [("3.1", "Andet", None)]))
        assert store.detect_changes() == 0
        digest = hashlib.sha256(repr(january).encode()).hexdigest()
        store.delete_document(store.find_document(digest).id)
        assert store.detect_changes() == 0
        seen = store._conn.execute("SELECT meeting_date FROM seen_documents").fetchall()
        assert seen == [("2024-02-10",)]
        save(store, topic_meeting(HOV, "2024-01-10", [("3.1", "Punkt", None)]))
        assert store.detect_changes() == 0  # same content as last seen: nothing to mark
        save(store, topic_meeting(HOV, "2024-01-10", [("3.1", "Punkt, nu ændret", None)]))
        assert store.detect_changes() == 1


# -- briefing, citation, lookups, CLI ------------------------------------------------------------


def test_briefing_of_a_meeting_with_agenda_and_minutes(samples_store: Store) -> None:
    save(samples_store, minutes_000())
    item = item_by_number(samples_store, HOV, "2025-06-18", "3.3")
    samples_store.save_note(
        item, "Husk [link](https://evil.example) og # ikke overskrift\nanden linje\n- tredje"
    )
    text = briefing_markdown(samples_store, find_meeting(samples_store, "hovedstaden 18.06.2025"))
    assert text.startswith("# KKR Hovedstaden · møde 18.06.2025\n")
    assert "### 3.3 Status for udrulning af Sundhedsreformen" in text
    assert "KKR Hovedstaden, møde 18.06.2025, pkt. 3.3 (SAG-2025-02162)" in text
    section = text[text.index("### 3.3") : text.index("### 3.4")]
    assert "**Indstilling (fra dagsordenen):**" in section
    assert "**Beslutning** — ✓ godkendt som indstillet" in section
    # the note: data, its own line breaks kept (hard breaks), no list made of its "- "
    assert (
        "Husk \\[link\\](https://evil.example) og \\# ikke overskrift\\\nanden linje\\\n"
        "&#45; tredje"
    ) in section
    # sources as a reader cites them, never the file's name
    assert "Kilde: Referat, KKR Hovedstaden 18.06.2025, s. 12–14" in section
    assert "000_" not in text and ".txt" not in text
    postponed = text[text.index("### 3.5") : text.index("### 3.6")]
    assert "⚠ udsat — afviger fra indstillingen" in postponed
    assert "afviger fra indstillingen: 2" in text
    assert "\\-" not in text


def test_briefing_lists_nested_and_related_decisions(samples_store: Store) -> None:
    text = briefing_markdown(samples_store, find_meeting(samples_store, "midtjylland 18.06.2025"))
    section = text[text.index("### 3.5") : text.index("### 3.6")]
    assert "\n- at KKR Midtjylland drøfter" in section
    assert "\n    - Et fortsat stærkt Central Denmark EU Office\n" in section
    assert "\n- at KKR Midtjylland godkender, at KKR Midtjylland fungerer" in section
    assert "\\-" not in text and "Kilde: Referat, KKR Midtjylland 18.06.2025, s. 12–14" in text
    hov = briefing_markdown(samples_store, find_meeting(samples_store, "hovedstaden 03.02.2025"))
    quota = hov[hov.index("### 3.7") : hov.index("### 3.8")]  # pædagoger 2025/2026
    assert "**Sådan besluttede andre møder:**" not in quota  # 2022's were agendas only
    reform = hov[hov.index("### 3.2 ") : hov.index("### 3.3 ")]
    assert "**Sådan besluttede andre møder:**" not in reform  # later meetings are not earlier


def test_briefing_html_is_one_printable_file(samples_store: Store) -> None:
    meeting_id = find_meeting(samples_store, "midtjylland 18.06.2025")
    html = briefing(samples_store, meeting_id, "html")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert "<ul>\n<li>at KKR Midtjylland drøfter" in html
    assert "<ul>\n<li>Et fortsat stærkt Central Denmark EU Office</li>" in html


def test_source_line_cites_document_date_page_and_address() -> None:
    from kkr_tui.meetingwork.briefing import source_line

    line = source_line("agenda", HOV, "2025-06-18", 12, 12, "https://www.kl.dk/x.pdf")
    assert line == "Dagsorden, KKR Hovedstaden 18.06.2025, s. 12 (https://www.kl.dk/x.pdf)"
    assert source_line("minutes", HOV, None, 0, 0, None) == "Referat, KKR Hovedstaden ukendt dato"


def test_markdown_escape_keeps_data_literal() -> None:
    assert (
        md_escape("[bold]x[/bold] *a* `c` <b>") == "\\[bold\\]x\\[/bold\\] \\*a\\* \\`c\\` \\<b\\>"
    )
    assert md_escape("\x1b[31mred") == "red"


def test_citation_matches_the_app() -> None:
    from kkr_tui.app.render import citation as app_citation

    class Item:
        council, meeting_date, number = HOV, "2025-06-18", "3.4"
        case_number, title = "SAG-2025-02162", "Strategi for mobilitet og infrastruktur 2025"

    line = citation(Item.council, Item.meeting_date, Item.number, Item.case_number, Item.title)
    assert line == app_citation(Item)
    assert line.startswith("KKR Hovedstaden, møde 18.06.2025, pkt. 3.4 (SAG-2025-02162): ")


def test_lookups(samples_store: Store) -> None:
    item = item_by_number(samples_store, HOV, "2025-06-18", "3.4")
    assert find_item(samples_store, "hovedstaden 2025-06-18 3.4") == item
    assert find_item(samples_store, "KKR Hovedstaden 18.06.2025 3.4") == item
    with pytest.raises(LookupError, match="angiv rådet"):
        find_item(samples_store, "18.06.2025 3.4")  # Hovedstaden and Midtjylland met that day
    assert find_item(samples_store, str(item)) == item
    with pytest.raises(LookupError):
        find_item(samples_store, "hovedstaden 2030-01-01 3.4")
    with pytest.raises(LookupError):
        find_meeting(samples_store, "hovedstaden")


def test_cli_related_export_notes_new(tmp_path: Path, capsys) -> None:
    db = tmp_path / "kkr.db"
    with Store(db) as store:
        ingest_paths(store, sample_paths(), progress=None, cancel=None)
        store.detect_changes()
        store.save_note(item_by_number(store, HOV, "2025-06-18", "3.3"), "min note")
        save(store, minutes_000())
    assert main(["related", "--db", str(db), "--json", "hovedstaden", "2025-06-18", "3.3"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["item"]["citation"].startswith("KKR Hovedstaden, møde 18.06.2025, pkt. 3.3")
    assert ("KKR Hovedstaden", "2025-02-03", "3.2") in [
        (r["council"], r["meeting_date"], r["number"]) for r in payload["related"]
    ]
    out = tmp_path / "brief.md"
    assert (
        main(
            ["export", "--db", str(db), "hovedstaden 2025-06-18", "--format", "md", "-o", str(out)]
        )
        == 0
    )
    assert "min note" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["notes", "--db", str(db), "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)
    assert [n["anchor"]["number"] for n in notes] == ["3.3"] and notes[0]["item_id"]
    assert main(["new", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    items = [line for line in lines if line.startswith(("ændret", "ny "))]
    assert len(items) == 12 and all(line.startswith("ændret") for line in items)
    # Under each: what changed since the agenda the user saw (the minutes' Beslutning).
    assert lines.count("        sammenlignet med dagsordenen") == 12
    assert lines.count("        Beslutning: ny") == 12
    assert main(["related", "--db", str(db), "hovedstaden 2030-01-01 3.3"]) == 1


def test_cli_decisions(tmp_path: Path, capsys) -> None:
    db = tmp_path / "kkr.db"
    with Store(db) as store:
        ingest_paths(store, sample_paths(), progress=None, cancel=None)
        save(store, minutes_000())
    assert main(["decisions", "--db", str(db), "--json", "midtjylland 18.06.2025"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["meeting"]["council"] == "KKR Midtjylland"
    assert payload["meeting"]["date"] == "2025-06-18"
    items = payload["items"]
    assert len(items) == 11 and not any(i["departs"] for i in items)
    assert set(items[0]) >= {
        "number",
        "title",
        "indstilling",
        "beslutning",
        "outcome",
        "departs",
        "reason",
    }
    assert items[0]["outcome"] == "approved" and items[0]["beslutning"] == "Godkendt."
    assert main(["decisions", "--db", str(db), "hovedstaden 18.06.2025"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "KKR Hovedstaden · 18.06.2025 · 2 afviger (⚠), 2 uafklaret (?)"
    flagged = [line.split()[1] for line in lines if line.startswith("⚠")]
    assert flagged == ["3.4", "3.5"]  # "med den ændring, at …" and "Punktet blev udsat …"
    # the fixture's "tog orienteringen til efterretning" answers an approval of the minutes
    unsure = [line.split()[1] for line in lines if line.startswith("?")]
    assert unsure == ["1.1", "1.2"]
    assert main(["decisions", "--db", str(db), "hovedstaden 2030-01-01"]) == 1


def test_term_counts_of_many_terms(samples_store: Store) -> None:
    """Twenty long items' vocabulary runs to thousands of terms: looked up in chunks."""
    terms = ["flygtninge"] + [f"zz{i}" for i in range(3000)]
    counts = samples_store.term_counts(terms)
    assert counts == {"flygtninge": samples_store.term_counts(["flygtninge"])["flygtninge"]}
    assert counts["flygtninge"] >= 2


def test_briefing_facts_and_the_pdf_address_sync_fetched(tmp_path: Path) -> None:
    import dataclasses

    from kkr_tui.model import Participant
    from kkr_tui.store.manifest import SeenLink

    meeting = dataclasses.replace(
        topic_meeting("KKR Sjælland", "2025-04-08", [("3.1", "Landstal for flygtninge", None)]),
        place="Erhvervshus Sjælland, Sorø",
        meeting_time="09:30",
        participants=(
            Participant("Mikael Smed", "Vordingborg Kommune"),
            Participant("Pernille Beckmann", "Greve Kommune", absent=True),
        ),
    )
    url = "https://www.kl.dk/media/kkr-sjaelland-dagsorden-8-april-2025.pdf"
    with Store(tmp_path / "kkr.db") as store:
        save(store, meeting)
        meeting_id = find_meeting(store, "sjælland 2025-04-08")
        sha = store.meeting(meeting_id).documents[0].sha256
        store.record_links(
            "KKR Sjælland", [SeenLink(url, None, None, 2025, "Dagsorden", "agenda")], "2025-04-01"
        )
        store.record_download(
            url, path="x.pdf", size=1, sha256=sha, etag=None, last_modified=None, state="stored"
        )
        text = briefing_markdown(store, meeting_id)
    assert "- Sted: Erhvervshus Sjælland, Sorø" in text
    assert "- Tid: kl. 09:30" in text
    assert "- Deltagere: Mikael Smed (Vordingborg Kommune)" in text
    assert "- Afbud: Pernille Beckmann (Greve Kommune)" in text
    assert f"Kilde: Dagsorden, KKR Sjælland 08.04.2025 ({url})" in text  # no pages: hand-made
    assert ".txt" not in text


def test_cli_export_to_a_bad_path_is_one_danish_line(tmp_path: Path, capsys) -> None:
    db = tmp_path / "kkr.db"
    with Store(db) as store:
        ingest_paths(store, sample_paths(), progress=None, cancel=None)
    missing = tmp_path / "nowhere" / "x.md"
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (missing, "mappen findes ikke"),
        (tmp_path, "er en mappe"),
        (a_file / "x.md", "en del af stien er ikke en mappe"),
    ]
    for target, reason in cases:
        capsys.readouterr()
        args = ["export", "--db", str(db), "hovedstaden 2025-06-18", "-o", str(target)]
        assert main(args) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.splitlines() == [f"kkr-tui: kan ikke skrive {target}: {reason}"]
    assert not missing.parent.exists()
