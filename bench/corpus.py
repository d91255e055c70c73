"""Synthetic KKR archives of any size, built from the parsed sample documents.

Benchmarks need 10k, 100k and 1M items that *look* like the real archive: the same
title shapes, part structure, paragraph lengths, Danish letters and case numbers, and a
vocabulary that keeps growing with the corpus (real archives do; a search that matches
query words against the vocabulary must not look fast only because the vocabulary is
tiny). So every item copies the part structure of a real sample item and fills it with
real sample paragraphs, varied: years moved to the meeting's year, numbers changed,
adjacent words swapped, municipality names inserted (``Århus`` before 2011, ``Aarhus``
after, so folding is exercised both ways) and now and then a new compound word made
from two corpus words (the way Danish makes ``sundhedsreformaftale``).

Layout: five councils × 2007–2026, agenda for every meeting and minutes for most past
ones, 6 sections, 8–30 items per document. Meetings per council-year grow with N
(≈ 5 at 10k) instead of documents growing to thousands of items, because a big store
is many committees' meetings, not giant meetings. Everything is written through the
public :meth:`Store.save_document`, a batch of 200 documents per transaction
(:meth:`Store.batch`).

Databases are cached in ``bench/out/corpus-<N>-s<seed>-v<schema>.db`` (or
``$KKR_BENCH_CACHE``); ``python bench/corpus.py
--size 100k`` builds one and prints how long it took.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where corpora are cached: ``$KKR_BENCH_CACHE`` (a folder shared by several checkouts,
#: so a 1M corpus is built once a schema version), else ``bench/out``.
OUT = Path(os.environ.get("KKR_BENCH_CACHE") or ROOT / "bench" / "out")
#: Documents stored per transaction when a corpus is built (see :func:`build`).
BATCH = 200
SAMPLES = ROOT / "sample_docs"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kkr_tui.model import COUNCILS, Block, Item, Meeting, Part, Section  # noqa: E402

YEARS = tuple(range(2007, 2027))
SECTION_TITLES = (
    "Godkendelse",
    "Siden sidst",
    "Regionalpolitiske sager",
    "Sager til drøftelse",
    "Orienteringssager",
    "Eventuelt",
)
MUNICIPALITIES = (
    "Aarhus",
    "Aalborg",
    "Odense",
    "Esbjerg",
    "Randers",
    "Kolding",
    "Horsens",
    "Vejle",
    "Roskilde",
    "Herning",
    "Hørsholm",
    "Helsingør",
    "Silkeborg",
    "Næstved",
    "Fredericia",
    "Viborg",
    "Køge",
    "Holstebro",
    "Taastrup",
    "Slagelse",
    "Hillerød",
    "Sønderborg",
    "Svendborg",
    "Hjørring",
    "Frederikshavn",
    "Nørresundby",
    "Ringsted",
    "Ølstykke",
    "Ærø",
    "Faaborg-Midtfyn",
    "Aabenraa",
    "Brønderslev",
    "Thisted",
    "Skive",
    "Fanø",
)
PLACES = ("KL-huset, Weidekampsgade 10", "Rådhuset", "Regionshuset", "Kulturhuset", "Online")


def parse_size(text: str) -> int:
    """``10k`` -> 10_000, ``1M`` -> 1_000_000, ``200`` -> 200."""
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def size_label(n: int) -> str:
    """The inverse of :func:`parse_size` for file names and JSON keys."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


@dataclass(frozen=True)
class Pool:
    """What the samples offer: item templates (part kinds and block counts), titles, paragraphs."""

    titles: tuple[str, ...]
    templates: tuple[
        tuple[tuple[str, str, tuple[str, ...]], ...], ...
    ]  # (kind, heading, block kinds)
    paragraphs: tuple[str, ...]
    words: tuple[str, ...]
    pages: tuple[str, ...]


def load_pool(samples: Path = SAMPLES) -> Pool:
    """Parse every sample with the real reader and parser and collect their pieces."""
    from kkr_tui.parser import parse
    from kkr_tui.sources import read_document

    titles: list[str] = []
    templates = []
    paragraphs: list[str] = []
    pages: list[str] = []
    for path in sorted(glob.glob(str(samples / "*.txt"))):
        doc = read_document(path)
        pages.extend(p.text for p in doc.pages)
        for item in parse(doc).items():
            titles.append(item.title)
            templates.append(
                tuple((p.kind, p.heading, tuple(b.kind for b in p.blocks)) for p in item.parts)
            )
            paragraphs.extend(b.text for p in item.parts for b in p.blocks if len(b.text) > 20)
    words = sorted({w for t in paragraphs for w in re.findall(r"[^\W\d_]{6,}", t.lower())})
    return Pool(tuple(titles), tuple(templates), tuple(paragraphs), tuple(words), tuple(pages))


_YEAR_RE = re.compile(r"\b20[0-3]\d\b")
_NUM_RE = re.compile(r"\b\d{2,3}\b")


class Varier:
    """Deterministic text variations drawn from one random stream."""

    def __init__(self, pool: Pool, rng: random.Random) -> None:
        self.pool = pool
        self.rng = rng

    def municipality(self, year: int) -> str:
        name = self.rng.choice(MUNICIPALITIES)
        return "Århus" if name == "Aarhus" and year < 2011 else name

    def compound(self) -> str:
        a, b = self.rng.choice(self.pool.words), self.rng.choice(self.pool.words)
        return a + b[: max(4, len(b) // 2)] if self.rng.random() < 0.5 else a + b

    def text(self, text: str, year: int, *, title: bool = False) -> str:
        rng = self.rng
        text = _YEAR_RE.sub(lambda m: str(year + rng.choice((-1, 0, 0, 0, 1))), text)
        if rng.random() < 0.3:
            text = _NUM_RE.sub(lambda m: str(rng.randint(10, 999)), text)
        words = text.split(" ")
        if len(words) > 3 and rng.random() < 0.35:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        if rng.random() < (0.25 if title else 0.15):
            words.insert(rng.randrange(len(words) + 1), self.compound())
        if rng.random() < (0.3 if title else 0.2):
            words.insert(rng.randrange(len(words) + 1), self.municipality(year))
        return " ".join(words)

    def title(self, year: int) -> str:
        rng = self.rng
        base = rng.choice(self.pool.titles)
        if rng.random() < 0.25:
            other = rng.choice(self.pool.titles).split()
            base = f"{base} og {' '.join(other[len(other) // 2 :])}"
        if rng.random() < 0.2:
            base = f"{base} i {self.municipality(year)}"
        return self.text(base, year, title=True)


def case_number(rng: random.Random, year: int) -> str:
    """``SAG-2025-02162``: KL's case number shape."""
    return f"SAG-{year}-{rng.randint(1, 9999):05d}"


def make_item(v: Varier, number: str, year: int, meeting_case: str, minutes: bool) -> Item:
    """One item with a real sample item's part structure and varied sample paragraphs."""
    rng = v.rng
    template = rng.choice(v.pool.templates)
    parts = []
    for kind, heading, block_kinds in template:
        blocks = tuple(
            Block(bk, v.text(rng.choice(v.pool.paragraphs), year), "–" if bk == "bullet" else "")
            for bk in block_kinds[:12]
        )
        parts.append(Part(kind, heading, blocks))
    if minutes and not any(p.kind == "Beslutning" for p in parts):
        decision = rng.choice(("Godkendt.", "Taget til efterretning.", "Drøftet."))
        parts.append(Part("Beslutning", "Beslutning", (Block("paragraph", decision),)))
    return Item(
        number=number,
        title=v.title(year),
        case_number=meeting_case if rng.random() < 0.3 else case_number(rng, year),
        initials=("abc",),
        parts=tuple(parts),
        first_page=1,
        last_page=2,
    )


def plan(n: int, items_per_doc: int = 20) -> list[tuple[str, str, bool]]:
    """(council, date, with_minutes) for enough meetings to hold about ``n`` items."""
    council_years = len(COUNCILS) * len(YEARS)
    docs_per_meeting = 1.8
    per_year = max(1, round(n / (council_years * items_per_doc * docs_per_meeting)))
    out = []
    for year in YEARS:
        for c_idx, council in enumerate(COUNCILS):
            for k in range(per_year):
                day_of_year = 10 + (k * 350) // per_year + c_idx
                month, day = 1 + min(day_of_year // 29, 11), 1 + day_of_year % 28
                out.append((council, f"{year}-{month:02d}-{day:02d}", year < 2026))
    return out


def doc_sizes(n: int, docs: int, rng: random.Random) -> list[int]:
    """Items per document: about equal (±50 %), at least one each, summing to exactly ``n``."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(docs)]
    total = sum(weights)
    sizes = [max(1, int(n * w / total)) for w in weights]
    i = 0
    while sum(sizes) != n:
        step = 1 if sum(sizes) < n else -1
        if sizes[i % docs] + step >= 1:
            sizes[i % docs] += step
        i += 1
    return sizes


def meetings(n: int, seed: int, pool: Pool | None = None) -> Iterator[Meeting]:
    """Meeting documents (agenda, then minutes) holding exactly ``n`` items in total."""
    pool = pool or load_pool()
    rng = random.Random(seed)
    v = Varier(pool, rng)
    docs = [
        (council, date, doc_type)
        for council, date, with_minutes in plan(n)
        for doc_type in (("agenda", "minutes") if with_minutes else ("agenda",))
    ][:n]
    for (council, date, doc_type), count in zip(docs, doc_sizes(n, len(docs), rng), strict=True):
        yield make_meeting(v, council, date, doc_type, count)


def make_meeting(v: Varier, council: str, date: str, doc_type: str, count: int) -> Meeting:
    """A meeting document with ``count`` items spread over six sections."""
    year = int(date[:4])
    meeting_case = case_number(v.rng, year)
    per_section = [0] * len(SECTION_TITLES)
    for i in range(count):
        per_section[min(i * len(SECTION_TITLES) // max(count, 1), len(SECTION_TITLES) - 1)] += 1
    sections = []
    for s, (title, k) in enumerate(zip(SECTION_TITLES, per_section, strict=True), start=1):
        items = tuple(
            make_item(v, f"{s}.{i}", year, meeting_case, doc_type == "minutes")
            for i in range(1, k + 1)
        )
        sections.append(Section(s, title, items, page=s))
    return Meeting(
        source=f"{council}-{date}-{doc_type}.pdf",
        council=council,
        meeting_date=date,
        doc_type=doc_type,  # type: ignore[arg-type]
        sections=tuple(sections),
        place=v.rng.choice(PLACES),
        meeting_time="10.00-12.00",
        page_count=max(2, count * 2),
    )


def db_path(n: int, seed: int) -> Path:
    """Where the cached corpus of ``n`` items and ``seed`` lives, per store schema version."""
    from kkr_tui.store import SCHEMA_VERSION

    return OUT / f"corpus-{size_label(n)}-s{seed}-v{SCHEMA_VERSION}.db"


def build(
    n: int, seed: int = 1, *, path: Path | None = None, force: bool = False, batch: int = BATCH
) -> dict:
    """Build (or reuse) the corpus database; returns stats including build seconds.

    ``batch``: documents stored per transaction (:meth:`Store.batch`; 1 = as ingest
    stores them, one a transaction)."""
    from kkr_tui.store import Store

    path = path or db_path(n, seed)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not force:
        return json.loads(meta.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    pool = load_pool()
    gen_s = save_s = 0.0
    items = docs = 0
    with Store(path) as store:
        it = meetings(n, seed, pool)
        done = False
        while not done:
            # The store's own write path, a batch of documents a transaction: one commit
            # per document made a 1M build take 24-40 min, most of it FTS segment flushes.
            with store.batch():
                for _ in range(batch):
                    t = time.perf_counter()
                    meeting = next(it, None)
                    gen_s += time.perf_counter() - t
                    if meeting is None:
                        done = True
                        break
                    key = f"{seed}|{meeting.source}"
                    t = time.perf_counter()
                    store.save_document(
                        meeting,
                        path=f"/bench/{meeting.source}",
                        sha256=hashlib.sha256(key.encode()).hexdigest(),
                        parser_version="bench",
                    )
                    save_s += time.perf_counter() - t
                    docs += 1
                    items += len(meeting.items())
        # What `kkr-tui ingest` does after a run: settle the term counts, then merge index
        # segments for 10 % of its time.
        t = time.perf_counter()
        store.settle_terms()
        save_s += time.perf_counter() - t
        t = time.perf_counter()
        store.tidy_index(max(0.5, 0.1 * save_s))
        tidy_s = time.perf_counter() - t
    stats = {
        "items": items,
        "documents": docs,
        "documents_per_transaction": batch,
        "seed": seed,
        "build_s": round(time.perf_counter() - t0, 2),
        "generate_s": round(gen_s, 2),
        "save_document_s": round(save_s, 2),
        "save_us_per_item": round(save_s / max(items, 1) * 1e6, 1),
        "tidy_index_s": round(tidy_s, 2),
        "db_mb": round(path.stat().st_size / 1e6, 1),
    }
    meta.write_text(json.dumps(stats, indent=2))
    return stats


def build_pdfs(folder: Path, count: int = 8, seed: int = 1, layout: str = "words") -> list[Path]:
    """Multi-page meeting PDFs from the sample pages for ingest throughput.

    ``layout="words"`` places every word on its own, as Word writes KL's PDFs (the
    realistic case); ``"tagged"`` adds Word's marked-content tag to every line;
    ``"lines"`` draws a line at a time, the cheapest PDF to extract,
    where parsing and storing weigh most (``tests/pdf_factory.py``).
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_factory import build_meeting_pdf  # type: ignore[import-not-found]

    from kkr_tui.sources import read_document

    folder.mkdir(parents=True, exist_ok=True)
    docs = [read_document(p) for p in sorted(glob.glob(str(SAMPLES / "*.txt")))]
    out = []
    for i in range(count):
        doc = docs[i % len(docs)]
        pages = list(doc.pages)
        shift = 10 * (i // len(docs))
        texts = [_YEAR_RE.sub(lambda m, k=shift: str(int(m.group()) - k), p.text) for p in pages]
        suffix = "" if layout == "lines" else f"-{layout}"
        target = folder / f"meeting-{i:02d}-s{seed}{suffix}.pdf"
        if not target.exists():
            build_meeting_pdf(target, texts, [list(p.links) for p in pages], layout=layout)
        out.append(target)
    return out


def main(argv: list[str] | None = None) -> int:
    """CLI: build a cached corpus and print its stats as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="10k")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--batch", type=int, default=BATCH, help="documents per transaction")
    args = ap.parse_args(argv)
    stats = build(parse_size(args.size), args.seed, force=args.force, batch=args.batch)
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
