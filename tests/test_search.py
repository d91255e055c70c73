"""Search: query parsing, exact look-ups, filters, typo tolerance, ranking, recall on samples."""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest
from store_factory import SAMPLE_DIR, corpus_meetings, fill_store, make_meeting

from kkr_tui.search import ParsedQuery, SearchIndex, parse_query, resolve_councils
from kkr_tui.store import Store

QUERIES = Path(__file__).with_name("search_queries.json")


@pytest.fixture
def store(corpus_store: Store) -> Store:
    return corpus_store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("økonomi", ParsedQuery("økonomi")),
        ("council:midt reform", ParsedQuery("reform", council="midt")),
        ("year:2025 type:referat budget", ParsedQuery("budget", year=2025, doc_type="minutes")),
        ("type:Dagsorden", ParsedQuery("", doc_type="agenda")),
        ("type:agenda år:2024", ParsedQuery("", year=2024, doc_type="agenda")),
        ("year:abc x", ParsedQuery("x", bad=(("year", "abc"),))),
        ("type:bogus x", ParsedQuery("x", bad=(("type", "bogus"),))),
        ("http://x.dk", ParsedQuery("http://x.dk")),
    ],
)
def test_parse_query(query: str, expected: ParsedQuery) -> None:
    assert parse_query(query) == expected


def test_council_filter_is_folded_prefix_without_kkr(store: Store) -> None:
    assert resolve_councils(store, "midt") == ["KKR Midtjylland"]
    assert resolve_councils(store, "KKR syd") == ["KKR Syddanmark"]
    assert resolve_councils(store, "") == store.councils()


def test_case_number_is_exact_and_first(store: Store) -> None:
    index = SearchIndex(store)
    hits = index.search("sag-2025-02163")
    assert hits[0].kind == "case"
    assert hits[0].title == "Dimensionering af pædagoguddannelsen"
    assert all(h.kind != "case" for h in hits[1:])


def test_item_number_prefers_current_meeting(store: Store) -> None:
    index = SearchIndex(store)
    midt = store.meetings("KKR Midtjylland", 2024)[0].id
    syd = store.meetings("KKR Syddanmark", 2023)[0].id
    assert [h.council for h in index.search("3.1", current_meeting_id=syd)] == [
        "KKR Syddanmark",
        "KKR Midtjylland",
    ]
    hits = index.search("3.1", current_meeting_id=midt)
    assert [h.council for h in hits] == ["KKR Midtjylland", "KKR Syddanmark"]
    assert {h.kind for h in hits} == {"number"}


def test_filters_restrict_results(store: Store) -> None:
    index = SearchIndex(store)
    assert {h.council for h in index.search("council:midt reform")} == {"KKR Midtjylland"}
    assert index.search("council:nord reform") == []
    assert {h.doc_type for h in index.search("type:referat")} == {"minutes"}
    assert {h.meeting_date[:4] for h in index.search("year:2023")} == {"2023"}
    assert index.search("year:2023 sundhedsreformen") == []


def test_typo_finds_item(store: Store) -> None:
    index = SearchIndex(store)
    assert index.search("sundhedsrefrom")[0].title == "Status for udrulning af Sundhedsreformen"
    assert index.search("sygeplejesker")[0].title == "Rekruttering af sygeplejersker"


def test_several_words_prefer_items_with_all_of_them(store: Store) -> None:
    index = SearchIndex(store)
    hits = index.search("grøn omstilling")
    assert hits[0].title == "Klimatilpasning og grøn omstilling"
    assert index.search("reform jobcentre")[0].title == "Beskæftigelsesreform og jobcentre"


def test_no_match_and_empty_queries(store: Store) -> None:
    index = SearchIndex(store)
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("zzzzqqqq") == []


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR NOT", "NEAR(a b)", "a*", "(", ")", "title:x", "^a", "-", "'", "x\x00y"],
)
def test_fts_syntax_in_queries_is_harmless(store: Store, query: str) -> None:
    """FTS5 syntax in a query is read as text: the hits are those of the same query with
    the syntax replaced by spaces, alone and beside a word that has hits."""
    index = SearchIndex(store)
    plain = re.sub(r"[^\w\s]|\x00", " ", query)

    def ids(text: str) -> list[int]:
        return [hit.item_id for hit in index.search(text)]

    assert ids(query) == ids(plain)
    beside = ids(f"kommunerne {query}")
    assert beside and beside == ids(f"kommunerne {plain}")
    if not plain.strip():  # punctuation alone adds nothing to a query
        assert ids(query) == [] and beside == ids("kommunerne")


def test_hits_are_deterministic_and_limited(store: Store) -> None:
    index = SearchIndex(store)
    first = index.search("kommunerne", limit=2)
    assert len(first) <= 2
    assert first == index.search("kommunerne", limit=2)


def test_highlight_spans_are_inside_snippet(store: Store) -> None:
    index = SearchIndex(store)
    for query in ("økonomi", "sundhedsrefrom", "pædagog", "2026"):
        for hit in index.search(query):
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.snippet)
            assert any(hit.snippet[a:b] for a, b in hit.highlights) or hit.title_highlights


def test_vocabulary_follows_new_documents(store: Store) -> None:
    index = SearchIndex(store)
    assert index.search("fjernvarme") == []
    store.save_document(
        make_meeting(
            [("3.9", "Fjernvarmeplan", "SAG-2025-09999", {"Baggrund": "Varme."})],
            date="2025-10-01",
        ),
        path="/new.pdf",
        sha256="new",
        parser_version="1",
    )
    assert [h.title for h in index.search("fjernvarme")] == ["Fjernvarmeplan"]
    assert [h.title for h in index.search("fjernvarnme")] == ["Fjernvarmeplan"]


def test_reading_and_notes_keep_the_cached_vocabulary(store: Store) -> None:
    """Opening an item records it as read; that must not make the next keystroke's
    search rebuild the vocabulary (0.6 s at 100k items), while a new document must."""
    index = SearchIndex(store)
    before = index.vocabulary()
    item = index.search("sundhedsreform")[0].item_id
    store.mark_read(item)
    store.save_note(item, "husk")
    store.detect_changes()
    store.tidy_index(5)
    assert index.vocabulary() is before
    store.save_document(
        make_meeting([("3.9", "Fjernvarmeplan", None, {})], date="2025-10-02"),
        path="/other.pdf",
        sha256="other",
        parser_version="1",
    )
    assert index.vocabulary() is not before


def _ingest_samples(store: Store) -> None:
    parser = pytest.importorskip("kkr_tui.parser")
    sources = pytest.importorskip("kkr_tui.sources")
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        store.save_document(
            parser.parse(sources.read_document(path)),
            path=str(path),
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            parser_version=parser.PARSER_VERSION,
        )


@pytest.mark.skipif(not SAMPLE_DIR.exists(), reason="sample documents not available")
def test_a_case_number_finds_its_items_not_every_item_of_its_year(tmp_path: Path) -> None:
    """Every sample item carries a case number ("SAG-…") and a year: a case query's text
    stage must not fill the list with them."""
    with Store(tmp_path / "samples.db") as store:
        _ingest_samples(store)
        index = SearchIndex(store)
        assert [h.kind for h in index.search("SAG-2019-05100")] == ["case"]
        kinds = [h.kind for h in index.search("sag-2022-00848")]
        assert kinds[0] == "meeting", "12 of the meeting's 13 items carry it"
        assert set(kinds[1:]) == {"case"}
        assert index.search("SAG-2022-00849") == [], "no item has this case number"


@pytest.mark.skipif(not SAMPLE_DIR.exists(), reason="sample documents not available")
def test_recall_at_10_on_sample_documents(tmp_path: Path) -> None:
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    assert len(queries) >= 30
    with Store(tmp_path / "samples.db") as store:
        _ingest_samples(store)
        index = SearchIndex(store)
        expected = found = 0
        misses = []
        for case in queries:
            hits = index.search(case["query"], limit=10)
            got = {(Path(store.item(h.item_id).source_path).name, h.number) for h in hits}
            want = {tuple(e) for e in case["expect"]}
            expected += len(want)
            found += len(want & got)
            misses += [(case["query"], m) for m in sorted(want - got)]
    assert found / expected >= 0.95, misses


def _collapsed_snippet(text: str, first: int | None, width: int = 160) -> str:
    """The snippet rule spelled out on the whole collapsed text (the reference)."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    if first is None or first < width // 3:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = flat.rfind(" ", 0, first - width // 3) + 1
    end = start + width
    return "…" + flat[start:end] + ("…" if end < len(flat) else "")


@pytest.mark.parametrize("seed", range(40))
def test_snippet_equals_collapsing_the_whole_text(seed: int) -> None:
    """Snippets collapse only a prefix of the body; the result must not depend on it."""

    from kkr_tui.search import Vocabulary
    from kkr_tui.search.expand import expand as _expand
    from kkr_tui.search.highlight import marker as _marker
    from kkr_tui.search.highlight import snippet as _snippet

    rng = random.Random(seed)
    pieces = ["ord", "Økonomi", "økonomien", "kommuneøkonomi", "x" * 30, "af", "ØKONOMI"]
    spaces = [" ", "  ", "\n", "\n\n   ", "\t"]
    text = "".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randrange(0, 120)))
    text = rng.choice(["", "  ", "\n"]) + text
    vocab = Vocabulary.from_rows([("kommuneokonomi", 1), ("okonomi", 3), ("okonomien", 2)])
    marker = _marker([_expand(vocab, "okonomi")])
    assert marker is not None
    match = marker.locate.search(" ".join(text.split()).lower())
    assert _snippet(marker, text) == _collapsed_snippet(text, match.start() if match else None)


def test_typo_in_the_first_letter_is_found(store: Store) -> None:
    index = SearchIndex(store)
    assert index.search("kundhedsreformen")[0].title == "Status for udrulning af Sundhedsreformen"


def test_word_expansions_are_cached_per_vocabulary(store: Store) -> None:
    index = SearchIndex(store)
    from kkr_tui.search.expand import expand as _expand

    vocab = index.vocabulary()
    assert _expand(vocab, "sundhedsrefrom") is _expand(vocab, "sundhedsrefrom")
    assert index.vocabulary() is vocab


def test_compounds_are_found_when_the_word_itself_is_absent(store: Store) -> None:
    index = SearchIndex(store)
    titles = [h.title for h in index.search("uddannelsen")]
    assert "Dimensionering af pædagoguddannelsen" in titles


def test_search_works_on_a_database_without_the_search_index(tmp_path: Path) -> None:
    import sqlite3

    from kkr_tui.store.schema import SEARCH_INDEX

    path = tmp_path / "old.db"
    with Store(path) as writable:
        fill_store(writable, corpus_meetings())
        found = SearchIndex(writable).search("council:midt reform")
        expected = [(h.item_id, h.score) for h in found]
    conn = sqlite3.connect(path)
    conn.execute(f"DROP INDEX {SEARCH_INDEX}")
    conn.commit()
    conn.close()
    with Store(path, read_only=True) as reader:
        found = SearchIndex(reader).search("council:midt reform")
        assert [(h.item_id, h.score) for h in found] == expected
    Store(path).close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert SEARCH_INDEX in names


def test_infix_gives_the_most_frequent_compounds_once_each() -> None:
    from kkr_tui.search import Vocabulary

    rows = sorted(
        [
            ("byradsbyrad", 5),
            ("byrad", 50),
            ("kommunebyrad", 2),
            ("aftalebyrad", 2),
            ("regionsbyrad", 9),
            ("bybyrad", 1),
            ("xbyradbyrad", 3),
            ("andet", 70),
        ]
    )
    vocab = Vocabulary.from_rows(rows)
    assert vocab.infix("byrad", 3) == ["regionsbyrad", "byradsbyrad", "xbyradbyrad"]
    assert vocab.infix("byrad", 10) == [
        "regionsbyrad",
        "byradsbyrad",
        "xbyradbyrad",
        "aftalebyrad",
        "kommunebyrad",
        "bybyrad",
    ]
    assert vocab.infix("zz", 5) == []
    assert Vocabulary.from_rows([]).infix("byrad", 5) == []
