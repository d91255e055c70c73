"""A text-only hit's body is read and searched once: the place its words were found at
(checking they are outside web addresses) is where its snippet starts, without a
second read of the text nor a second look through it.

The oracle is the computation before that change, on the same store: the hit's text
read again, its web addresses taken out, and :func:`make_hit` looking for the first
match itself. Every hit's snippet, highlights and title highlights must be the same.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_factory import make_meeting

from kkr_tui.search import SearchIndex
from kkr_tui.search.expand import expand
from kkr_tui.search.highlight import marker, without_urls
from kkr_tui.search.hits import SearchHit, make_hit
from kkr_tui.search.query import STOP_WORDS, TOKEN_RE
from kkr_tui.store import Store
from kkr_tui.textfold import fold

#: Words the bodies are made of: Danish letters (folded to two letters, or whose lower
#: case is longer: "İ"), compounds holding another word, and words inside web addresses.
WORDS = (
    "fjernvarme",
    "fjernvarmeplanen",
    "Økonomi",
    "økonomiudvalget",
    "sundhedsreform",
    "Sundhedsreformen",
    "kommunernes",
    "borgere",
    "İstanbul",
    "aftale",
    "https://www.kl.dk/fjernvarme-og-økonomi",
    "www.regioner.dk/sundhedsreform",
    "—",
    "\n\n",
    "   ",
)
#: Queries: words as typed, misspelt (near spellings), prefixes, two words.
QUERIES = (
    "fjernvarme",
    "fjernvarmplan",
    "okonomi",
    "økonomi udvalget",
    "sundhedsrefrom",
    "sundheds",
    "borger aftale",
    "istanbul",
    "kommunerns",
    "reform",
)

body = st.lists(st.sampled_from(WORDS), min_size=0, max_size=120).map(" ".join)
title = st.lists(st.sampled_from(WORDS[:10]), min_size=1, max_size=4).map(" ".join)


def _as_before(store: Store, index: SearchIndex, query: str, hit: SearchHit) -> SearchHit:
    """``hit`` made as the search made it before: text read again, searched again."""
    tokens = TOKEN_RE.findall(fold(query))
    meaningful = [t for t in tokens if t not in STOP_WORDS] or tokens
    vocab = index.vocabulary()
    found = marker([expand(vocab, t) for t in dict.fromkeys(meaningful)])
    item_id = hit.ref.item_id
    row = store.item_rows([item_id])[item_id]
    text = without_urls(store.item_texts([item_id])[item_id])
    return make_hit(row, hit.kind, hit.score, text, found)


def _check(store: Store, queries: tuple[str, ...]) -> int:
    """Every text hit of ``queries`` as before; how many were text-only."""
    index = SearchIndex(store, give_back_memory=False)
    text_only = 0
    for query in queries:
        for hit in index.search(query, limit=50):
            assert hit.kind == "text"
            assert _as_before(store, index, query, hit) == hit, query
            text_only += not hit.title_highlights
    return text_only


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(items=st.lists(st.tuples(title, body, body), min_size=1, max_size=8))
def test_text_hits_are_as_when_the_text_was_read_twice(
    items: list[tuple[str, str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "t.db") as store:
        store.save_document(
            make_meeting(
                [
                    (f"3.{n}", head, None, {"Baggrund": first, "Indstilling": second})
                    for n, (head, first, second) in enumerate(items, start=1)
                ]
            ),
            path="/t.pdf",
            sha256="t",
            parser_version="1",
        )
        _check(store, QUERIES)


def test_the_corpus_text_hits_are_as_before(corpus_store: Store) -> None:
    """The search tests' corpus, with queries that have hits only in the text."""
    queries = ("budget", "klima", "sundhed", "okonomi", "trafik", "bolig", "kommunerne")
    assert _check(corpus_store, queries) > 0
