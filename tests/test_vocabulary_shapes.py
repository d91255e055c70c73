"""The terms by shape (kind, length, first two characters) the typo look-up reads:
its ranges are exactly the terms the flat look-up's letters allow, its answers the
flat look-up's, and a snapshot carries it (an older snapshot without it is rebuilt)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.search import SearchIndex, Vocabulary, loading, snapshot
from kkr_tui.search.shapes import SEVERAL, SINGLE, Shapes
from kkr_tui.store import Store

_TERM = st.text(alphabet="abdeøs", min_size=0, max_size=7)
_ROWS = st.dictionaries(_TERM, st.integers(min_value=1, max_value=3), min_size=0, max_size=40)


def _kind(docs: int) -> int:
    return SEVERAL if docs >= 2 else SINGLE


@settings(max_examples=150, deadline=None)
@given(rows=_ROWS, first=st.sampled_from("abdeøs"), second=st.sampled_from(["", *"abdeøs"]))
def test_ranges_are_exactly_the_terms_of_the_letters(
    rows: dict[str, int], first: str, second: str
) -> None:
    vocab = Vocabulary.from_rows(sorted(rows.items()))
    shapes = vocab.shapes()
    assert sorted(shapes.terms) == sorted(vocab.terms)
    for kind in (SEVERAL, SINGLE):
        for length in range(0, 9):
            got = [t for lo, hi in shapes.ranges(kind, length, first, second) for t in
                   shapes.terms[lo:hi]]  # fmt: skip
            want = [
                t
                for t, d in sorted(rows.items())
                if _kind(d) == kind
                and len(t) == length
                and (t[:1] == first or (bool(second) and t[1:2] == second))
            ]
            assert sorted(got) == want, (kind, length)
            assert len(got) == len(set(got)), "no term twice"


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(st.text(alphabet="abe", min_size=3, max_size=6), min_size=1, max_size=80),
    word=st.text(alphabet="abe", min_size=4, max_size=6),
    limit=st.integers(min_value=1, max_value=3),
)
def test_many_equal_scores_rank_as_the_flat_look_up_ranks_them(
    terms: list[str], word: str, limit: int
) -> None:
    """Terms of one item each: never enough frequent ones, so the answer is the flat
    look-up's, with many equal scores to order (then alphabetically)."""
    vocab = Vocabulary.from_rows(sorted((t, 1) for t in set(terms)))
    assert vocab.fuzzy(word, limit) == vocab.fuzzy_every_term(word, limit)


def test_built_in_steps_equals_built_at_once_and_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = sorted([("æble", 2), ("øko", 1), ("åbne", 3), ("x", 1), ("\U0001f600ok", 1), ("ab", 5)])
    rows += [(f"term{i:05d}", 1 + i % 3) for i in range(25_000)]
    vocab = Vocabulary.from_rows(sorted(rows))
    monkeypatch.setattr(snapshot, "snapshot_dir", lambda: tmp_path)
    steps = Shapes.building(vocab.terms, vocab.docs)
    count = 0
    while True:
        try:
            next(steps)
            count += 1
        except StopIteration as done:
            stepped: Shapes = done.value
            break
    assert count > 3, "yields between slices"
    whole = vocab.shapes()
    assert stepped.terms == whole.terms and list(stepped.keys) == list(whole.keys)
    assert list(stepped.starts) == list(whole.starts)
    assert snapshot.save(("s", 1), vocab.terms, vocab.docs, vocab.frequent, whole)
    loaded = snapshot.load(("s", 1))
    assert loaded is not None
    read = Vocabulary(*loaded)
    assert read.has_shapes() and read.shapes().terms == whole.terms
    assert list(read.shapes().keys) == list(whole.keys)
    assert list(read.shapes().starts) == list(whole.starts)
    for word in ("trem00123", "term0o123", "øok", "abel"):
        assert read.fuzzy(word, 6) == vocab.fuzzy(word, 6)


def _write_format_2(path: Path, key: tuple[str, int], vocab: Vocabulary) -> None:
    """A snapshot as format 2 wrote it: the two term lists and the counts, no shapes."""
    sections: list[list[object]] = []
    body = bytearray(b" " * 4096)

    def put(name: str, kind: str, data: bytes) -> None:
        body.extend(b"\0" * (-len(body) % (1 << 16)))
        sections.append([name, kind, len(body), len(data)])
        body.extend(data)

    for name, termlist in (("terms", vocab.terms), ("frequent", vocab.frequent)):
        put(name, "text", bytes(termlist.text[:]))
        put(name, termlist.starts.typecode, termlist.starts.tobytes())  # type: ignore[union-attr]
    put("docs", vocab.docs.typecode, vocab.docs.tobytes())  # type: ignore[union-attr]
    header = json.dumps(
        {
            "format": 2,
            "store": key[0],
            "version": key[1],
            "byteorder": sys.byteorder,
            "sections": sections,
        }  # fmt: skip
    ).encode()
    body[: len(header)] = header
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(body))


def test_a_format_2_snapshot_is_rebuilt_with_shapes(
    corpus_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The previous format (no shapes) is never read: the vocabulary comes from the
    database, typos find what they found, and the file is written again as format 3."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(snapshot, "snapshot_dir", lambda: folder)
    monkeypatch.setattr(loading, "SNAPSHOT_AFTER_TERMS", 0)
    key = corpus_store.content_version()
    assert key is not None
    built = Vocabulary.from_rows(corpus_store.vocabulary())
    path = snapshot.snapshot_path(key[0])
    _write_format_2(path, key, built)
    assert snapshot.load(key) is None
    pages: list[int] = []
    original = corpus_store.vocabulary_page

    def counted(after: str | None, limit: int) -> list[tuple[str, int]]:
        pages.append(1)
        return original(after, limit)

    monkeypatch.setattr(corpus_store, "vocabulary_page", counted)
    index = SearchIndex(corpus_store)
    vocab = index.vocabulary()
    assert pages, "rebuilt from the database"
    assert vocab.has_shapes(), "built before it was saved"
    assert json.loads(path.read_bytes()[:4096])["format"] == snapshot.FORMAT == 3
    loaded = snapshot.load(key)
    assert loaded is not None
    for word in ("sundhedsrefrom", "okonmoi", "kommnue", "budgte"):
        assert Vocabulary(*loaded).fuzzy(word, 6) == built.fuzzy(word, 6), word
    hits = [h.item_id for h in index.search("sundhedsrefrom", limit=10)]
    again = SearchIndex(corpus_store)  # a new process: reads the rewritten snapshot
    assert hits and [h.item_id for h in again.search("sundhedsrefrom", limit=10)] == hits


def test_terms_outside_the_length_rule_no_longer_crowd_out_a_near_spelling() -> None:
    """The change of format 3, exactly: eight terms too long for the length rule
    (14 letters for a word of 10: at most 13) pass the cut-off with a higher score than
    an in-rule near spelling. The best ``limit * 8`` of a first letter were kept before
    the length rule, so with ``limit`` 1 those eight took every place and the answer
    was empty; the length rule now comes first."""
    long_ones = [(f"abcdefghij{c}xyz", 1) for c in "klmnopqr"]  # ratio 83.3, too long
    vocab = Vocabulary.from_rows(sorted([*long_ones, ("abcdefxyij", 1)]))  # ratio 80
    assert vocab.fuzzy_every_term("abcdefghij", 1) == ["abcdefxyij"]
    assert vocab.fuzzy("abcdefghij", 1) == ["abcdefxyij"]


@settings(max_examples=100, deadline=None)
@given(rows=_ROWS, slice_size=st.integers(min_value=1, max_value=7))
def test_the_terms_lie_in_kind_length_term_order_in_one_buffer(
    rows: dict[str, int], slice_size: int
) -> None:
    """Written straight into their blocks' places, slice by slice (any slice size):
    the result is the terms ordered by (kind, length, term), each readable by its
    start, and every group's key and start is where that shape begins."""
    from kkr_tui.search import shapes as shapes_module

    vocab = Vocabulary.from_rows(sorted(rows.items()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shapes_module, "_SLICE", slice_size)
        built = Shapes.build(vocab.terms, vocab.docs)
    want = sorted(rows.items(), key=lambda row: (_kind(row[1]), len(row[0]), row[0]))
    assert list(built.terms) == [term for term, _ in want]
    assert built.terms.starts[-1] == len(built.terms.text)
    shapes_seen = [(_kind(d), len(t), t[:1], t[1:2]) for t, d in want]
    firsts = [i for i, shape in enumerate(shapes_seen) if i == 0 or shape != shapes_seen[i - 1]]
    assert list(built.starts) == firsts
    assert len(built.keys) == len(firsts) and list(built.keys) == sorted(built.keys)
