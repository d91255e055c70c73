"""A store with bilag beside its items: a cached item corpus plus generated bilag pages.

Bilag multiply the text in a store (a meeting's bilag often run to hundreds of pages),
so search must be measured with them in. This copies the cached item corpus
(``corpus.py``; SQLite's backup API, so a WAL is folded in) and adds bilag the way
``kkr-tui sync`` stores them (``Store.begin_bilag`` / ``add_bilag_pages`` in batches of
25 / ``finish_bilag``): each tied to a real meeting of the corpus and, for 70 %, to one
of its items, titled "Bilag <item>.<k> <its subject>", each page about 2.5 kB of text
with a real report's word distribution (``bilag_text.py``: Zipf over the samples'
words and a long tail of compounds, a subject per bilag).

Labelled queries: 40 bilag get a known fact on one page (``bilag_text.Needle``); the
stats JSON lists each with its query, a misspelt form and the bilag and page it must
find (``needles``), for the bilag recall of ``run.py --only search_bilag``.

    python bench/bilag_corpus.py --size 100k --pages 40k      # build or reuse, print stats

Cached as ``bench/out/corpus-<N>-s<seed>-v<schema>-bilag<P>-t<TEXT_VERSION>.db`` (+ ``.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

import corpus  # noqa: E402
from bilag_text import BilagText, Needle  # noqa: E402

PER_BILAG = 20
BATCH = 25
#: The bilag text generator's version, in the cache name: 2 = Zipf text with subjects
#: (1, unnamed, was shuffled sample paragraphs).
TEXT_VERSION = 2
#: Bilag that get a planted fact (the labelled queries).
NEEDLES = 40


def db_path(n: int, pages: int, seed: int = 1) -> Path:
    """Where the cached corpus of ``n`` items and ``pages`` bilag pages lives."""
    base = corpus.db_path(n, seed)
    return base.with_name(f"{base.stem}-bilag{corpus.size_label(pages)}-t{TEXT_VERSION}.db")


def needle_words(text: BilagText) -> list[str]:
    """Words a labelled query names on purpose: the samples' own words (so the items'
    vocabulary has them and a misspelling can be corrected) of rank 2,000–8,000, eight
    letters or more: each on roughly 0.5–2 % of the pages."""
    return [w for w in text.vocab[2000:8000] if len(w) >= 8 and w in text.sample_words]


def _url(i: int) -> str:
    return f"https://www.kl.dk/media/b{i:07d}/bilag-{i}.pdf"


def build(
    n: int, pages: int, seed: int = 1, *, per_bilag: int = PER_BILAG, force: bool = False
) -> dict:
    """Build (or reuse) the item corpus of ``n`` with ``pages`` bilag pages; its stats."""
    from kkr_tui.store import Store

    path = db_path(n, pages, seed)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not force:
        # Opened writable once, as the reader's first open does: the side tables'
        # indexes this code adds (``CREATE … IF NOT EXISTS``) come into the cached copy.
        with Store(path):
            pass
        return json.loads(meta.read_text())
    base_stats = corpus.build(n, seed)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    source = sqlite3.connect(f"file:{corpus.db_path(n, seed)}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    copy_s = time.perf_counter() - t0

    rng = random.Random(seed * 7919 + pages)
    text = BilagText("\n".join(corpus.load_pool().pages), seed)
    bilag = pages // per_bilag
    step = max(1, bilag // NEEDLES)
    rare = needle_words(text)
    planned = {i: rng.sample(rare, 8) for i in range(0, bilag, step)}
    needles: list[Needle] = []
    chars = 0
    t1 = time.perf_counter()
    with Store(path) as store:
        meetings = [
            row
            for council in store.councils()
            for year in store.years(council)
            for row in store.meetings(council, year)
            if row.meeting_date
        ]
        numbers: dict[int, list[str]] = {}
        for i in range(bilag):
            row = rng.choice(meetings)
            if row.id not in numbers:
                numbers[row.id] = [item.number for item in store.meeting(row.id).items]
            year = row.year
            item = rng.choice(numbers[row.id]) if numbers[row.id] and rng.random() < 0.7 else None
            subject = text.subject(rng)
            title = f"Bilag {item or rng.randint(1, 9)}.{rng.randint(1, 4)} {subject.title}"
            texts = [text.page(rng, subject, year, k, per_bilag) for k in range(1, per_bilag + 1)]
            if i in planned:
                # The fact's word on no other page of the bilag: the page it must open
                # at is then the one page with both words.
                page_no = rng.randint(1, per_bilag)
                others = {w for t in texts for w in t.lower().split()}
                word = next((w for w in planned[i] if w not in others), planned[i][0])
                needle = Needle(i, page_no, word, subject.words[0])
                needles.append(needle)
                texts[page_no - 1] += "\n" + needle.sentence
            bilag_id = store.begin_bilag(
                url=_url(i),
                council=row.council,
                meeting_date=row.meeting_date,
                item_number=item,
                title=title,
                path=f"/bench/bilag/{i}.pdf",
                sha256=hashlib.sha256(f"{seed}|bilag|{i}".encode()).hexdigest(),
                page_count=per_bilag,
                at="2026-12-06T00:00:00+00:00",
            )
            batch: list[tuple[int, str]] = []
            for number, page in enumerate(texts, start=1):
                chars += len(page)
                batch.append((number, page))
                if len(batch) >= BATCH:
                    store.add_bilag_pages(bilag_id, batch)
                    batch = []
            store.add_bilag_pages(bilag_id, batch)
            store.finish_bilag(bilag_id, "ready")
    stats = {
        "items": base_stats["items"],
        "bilag": bilag,
        "bilag_pages": bilag * per_bilag,
        "bilag_text_mb": round(chars / 1e6, 1),
        "copy_s": round(copy_s, 1),
        "add_bilag_s": round(time.perf_counter() - t1, 1),
        "items_db_mb": round(_size(corpus.db_path(n, seed)) / 1e6, 1),
        "db_mb": round(_size(path) / 1e6, 1),
        "text_version": TEXT_VERSION,
        "needles": [
            {"query": n.query, "typo": n.typo, "url": _url(n.bilag), "page": n.page}
            for n in needles
        ],
    }
    meta.write_text(json.dumps(stats, indent=2))
    return stats


def _size(path: Path) -> int:
    """The database's bytes on disk, its WAL included."""
    return sum(
        Path(str(path) + suffix).stat().st_size
        for suffix in ("", "-wal")
        if Path(str(path) + suffix).exists()
    )


def main(argv: list[str] | None = None) -> int:
    """CLI: build a cached corpus with bilag and print its stats as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="100k")
    ap.add_argument("--pages", default="40k", help="bilag pages in all (20 a bilag)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    stats = build(
        corpus.parse_size(args.size), corpus.parse_size(args.pages), args.seed, force=args.force
    )
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
