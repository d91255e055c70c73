"""The cheaper write path stores exactly what the plain one did, and stays all-or-nothing.

``writes.tokens`` replaces a regex over every text with ``str.split`` plus the regex on
the few odd words; the stored rows, the FTS content and the ``terms`` counts are
compared here with a reference computed the slow, obvious way.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from fts_check import assert_full_index_matches
from hypothesis import given
from hypothesis import strategies as st
from store_factory import SAMPLE_DIR, corpus_meetings, make_item, make_meeting, sha

from kkr_tui import ingest, parser, sources
from kkr_tui.model import Meeting
from kkr_tui.store import Store, layout, writes
from kkr_tui.textfold import fold

TOKEN_RE = re.compile(r"[^\W_]+")


def test_isalnum_is_exactly_the_token_class_and_never_whitespace() -> None:
    every = "".join(map(chr, range(0x110000)))
    by_regex = set("".join(TOKEN_RE.findall(every)))
    assert by_regex == {ch for ch in every if ch.isalnum()}
    assert not any(ch.isspace() for ch in by_regex)


DANISH_ISH = st.text(
    alphabet=st.sampled_from(list("abcæøåé_-–.,:;/()'\"” \n\t\u00a0\u20010123½²ß\u0301\u2028")),
    max_size=80,
)


@given(st.one_of(st.text(max_size=80), DANISH_ISH))
def test_tokens_match_the_regex(text: str) -> None:
    assert writes.tokens(text) == set(TOKEN_RE.findall(text))


def test_count_terms_counts_each_row_once_per_term() -> None:
    rows = [("a-b økonomi", "a a_b c\u00a0d"), (None, "b, c."), ("", None)]
    assert writes.count_terms(rows) == Counter({"a": 1, "b": 2, "økonomi": 1, "c": 2, "d": 1})


def _sample_meetings() -> list[Meeting]:
    meetings = corpus_meetings()
    meetings.append(
        make_meeting(
            [
                make_item(
                    "2.1",
                    "Café-ordning — “Ærø” §½ a_b",
                    parts={"Baggrund": "Første afsnit.\n\nAndet: 2026–2027, naïve résumé."},
                    attachments=["Bilag 1 – økonomi.pdf"],
                    urls=["https://kl.dk/ø"],
                )
            ],
            council="KKR Sjælland",
            date="2022-01-05",
        )
    )
    if SAMPLE_DIR.exists():
        meetings += [
            parser.parse(sources.read_document(p)) for p in sorted(SAMPLE_DIR.glob("*.txt"))
        ]
    return meetings


def _expected(meetings: list[Meeting]) -> tuple[list[tuple], list[tuple], Counter[str]]:
    items, parts, terms = [], [], Counter()
    for meeting in meetings:
        for section in meeting.sections:
            for item in section.items:
                title = fold(item.title)
                body = fold("\n".join([p.text for p in item.parts] + list(item.attachments)))
                items.append(
                    (
                        item.title,
                        json.dumps(list(item.initials), ensure_ascii=False),
                        json.dumps([w.as_json() for w in item.warnings], ensure_ascii=False),
                        title,
                        body,
                    )
                )
                terms.update(set(TOKEN_RE.findall(f"{title} {body}")))
                parts += [
                    (
                        p.kind,
                        p.heading,
                        p.text,
                        p.blocks,
                    )
                    for p in item.parts
                ]
    return items, parts, terms


def _save_all(store: Store, meetings: list[Meeting]) -> None:
    for i, meeting in enumerate(meetings):
        store.save_document(meeting, path=f"/d/{i}.pdf", sha256=sha(meeting), parser_version="t")


def test_stored_rows_fts_and_terms_match_the_slow_reference(tmp_path: Path) -> None:
    meetings = _sample_meetings()
    with Store(tmp_path / "k.db") as store:
        _save_all(store, meetings)
        conn = store._conn
        keys = [(writes.meeting_key(m, f"/d/{i}.pdf"), m.doc_type) for i, m in enumerate(meetings)]
        kept = [m for i, m in enumerate(meetings) if keys[i] not in keys[i + 1 :]]
        assert len(kept) >= 4
        items, parts, terms = _expected(kept)
        stored = conn.execute(
            "SELECT title, initials, warnings, title_folded FROM items ORDER BY id"
        ).fetchall()
        bodies = [body for _, _, body in writes.folded_items(conn, "1", ())]
        assert [(*row, body) for row, body in zip(stored, bodies, strict=True)] == items
        stored_parts = [
            (kind, heading, text, layout.decode(text, shape))
            for kind, heading, text, shape in conn.execute(
                "SELECT kind, heading, text, layout FROM parts ORDER BY id"
            )
        ]
        assert stored_parts == parts
        assert_full_index_matches(conn)
        assert store.settle_terms()
        assert dict(conn.execute("SELECT term, docs FROM terms").fetchall()) == dict(terms)
        vocab = conn.execute("SELECT term, doc FROM items_fts_vocab ORDER BY term").fetchall()
        assert conn.execute("SELECT term, docs FROM terms ORDER BY term").fetchall() == vocab
        conn.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
        hits = conn.execute(
            "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", ("cafe",)
        ).fetchone()[0]
        assert hits == 1


def _snapshot(conn: sqlite3.Connection) -> dict[str, list]:
    tables = [
        "meetings",
        "documents",
        "sections",
        "items",
        "parts",
        "attachments",
        "links",
        "participants",
        "terms",
        "terms_pending",
    ]
    snap = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    snap["fts"] = conn.execute("SELECT term, doc, cnt FROM items_fts_vocab").fetchall()
    return snap


@pytest.mark.parametrize("step", ["queue_terms", "_insert_item"])
def test_failure_at_any_step_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    first, second, *_ = corpus_meetings()
    with Store(tmp_path / "k.db") as store:
        store.save_document(first, path="/a.pdf", sha256="a", parser_version="1")
        before = _snapshot(store._conn)

        def fail(*args: object, **kwargs: object) -> None:
            raise RuntimeError("killed")

        monkeypatch.setattr(writes, step, fail)
        for meeting, path in ((second, "/b.pdf"), (second, "/a.pdf")):  # new, and a replacement
            with pytest.raises(RuntimeError, match="killed"):
                store.save_document(meeting, path=path, sha256="b", parser_version="1")
            assert _snapshot(store._conn) == before
        monkeypatch.undo()
        assert store.save_document(second, path="/b.pdf", sha256="b", parser_version="1") == "added"
        assert store.find_document("a") is not None


def _content(conn: sqlite3.Connection) -> dict[str, list]:
    """Everything stored except ``ingested_at`` (the clock)."""
    snap = _snapshot(conn)
    snap["documents"] = conn.execute(
        "SELECT id, meeting_id, doc_type, path, file_name, sha256, page_count,"
        " parser_version, warnings, links FROM documents ORDER BY id"
    ).fetchall()
    return snap


def test_a_pooled_run_stores_the_same_as_a_sequential_one(tmp_path: Path) -> None:
    if not SAMPLE_DIR.exists():
        pytest.skip("sample documents not available")
    contents = []
    for jobs in (1, 2):
        with Store(tmp_path / f"j{jobs}.db") as store:
            summary = ingest.ingest_paths(store, [SAMPLE_DIR], jobs=jobs)
            assert summary.count("added") == 5
            contents.append(_content(store._conn))
    assert contents[0] == contents[1]


def test_replaced_documents_finds_both_kinds_once_without_scanning(tmp_path: Path) -> None:
    first, second, third = corpus_meetings()
    with Store(tmp_path / "k.db") as store:
        store.save_document(first, path="/a.pdf", sha256="a", parser_version="1")
        store.save_document(second, path="/b.pdf", sha256="b", parser_version="1")
        store.save_document(third, path="/c.pdf", sha256="c", parser_version="1")
        conn = store._conn
        ids = dict(conn.execute("SELECT path, id FROM documents").fetchall())
        key = writes.meeting_key(first, "/a.pdf")
        found = writes.replaced_documents(conn, key, first.doc_type, "/b.pdf")
        assert [d for d, _ in found] == sorted([ids["/a.pdf"], ids["/b.pdf"]])
        assert [d for d, _ in writes.replaced_documents(conn, key, "agenda", "/a.pdf")] == [
            ids["/a.pdf"]
        ]
        assert writes.replaced_documents(conn, key, "minutes", "/none.pdf") == []
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        writes.replaced_documents(conn, key, "agenda", "/a.pdf")
        conn.set_trace_callback(None)
        [query] = traced
        plan = conn.execute("EXPLAIN QUERY PLAN " + query).fetchall()
        assert not [row for row in plan if row[3].startswith("SCAN")]


def test_replacing_and_deleting_keep_terms_equal_to_the_index(tmp_path: Path) -> None:
    meetings = _sample_meetings()
    with Store(tmp_path / "k.db") as store:
        _save_all(store, meetings)
        for i, meeting in reversed(list(enumerate(meetings))):
            store.save_document(
                meeting, path=f"/d/{i}.pdf", sha256=sha(meeting, "v2"), parser_version="t"
            )
        conn = store._conn
        for (document_id,) in conn.execute("SELECT id FROM documents LIMIT 2").fetchall():
            store.delete_document(document_id)
        store.settle_terms()
        terms = conn.execute("SELECT term, docs FROM terms ORDER BY term").fetchall()
        vocab = conn.execute("SELECT term, doc FROM items_fts_vocab ORDER BY term").fetchall()
        assert terms == vocab
        assert_full_index_matches(conn)
        rows = [(title, body) for _, title, body in writes.folded_items(conn, "1", ())]
        assert dict(terms) == {
            t: n
            for t, n in Counter(
                t for title, body in rows for t in set(TOKEN_RE.findall(f"{title} {body}"))
            ).items()
        }
        assert all(n > 0 for _, n in terms)
