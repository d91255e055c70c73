"""Builders for Meeting objects in store and search tests.

Tests describe meetings compactly (items as tuples, parts as a dict) and get real
``kkr_tui.model`` objects back, so store tests do not depend on the parser.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kkr_tui.model import Block, Item, Meeting, Part, Participant, Section

if TYPE_CHECKING:
    from kkr_tui.store import Store

ItemSpec = tuple  # (number, title[, case_number[, {kind: text}]])


def make_item(
    number: str,
    title: str,
    case_number: str | None = "SAG-2025-00001",
    parts: dict[str, str] | None = None,
    *,
    attachments: Sequence[str] = (),
    urls: Sequence[str] = (),
    first_page: int = 1,
) -> Item:
    """An Item whose parts are given as ``{kind: text}``; paragraphs split on blank lines."""
    built = tuple(
        Part(kind, kind, tuple(Block("paragraph", p) for p in text.split("\n\n") if p))
        for kind, text in (parts or {}).items()
    )
    return Item(
        number=number,
        title=title,
        case_number=case_number,
        initials=("abc",),
        parts=built,
        attachments=tuple(attachments),
        urls=tuple(urls),
        first_page=first_page,
        last_page=first_page + 1,
    )


def make_meeting(
    items: Iterable[Item | ItemSpec],
    *,
    council: str | None = "KKR Hovedstaden",
    date: str | None = "2025-06-18",
    doc_type: str = "agenda",
    source: str = "test.txt",
    place: str | None = None,
    participants: Sequence[Participant] = (),
) -> Meeting:
    """A Meeting whose items are grouped into sections by the number before the dot."""
    built = [it if isinstance(it, Item) else make_item(*it) for it in items]
    sections: dict[int, list[Item]] = {}
    for it in built:
        sections.setdefault(int(it.number.split(".")[0]), []).append(it)
    return Meeting(
        source=source,
        council=council,
        meeting_date=date,
        doc_type=doc_type,  # type: ignore[arg-type]
        sections=tuple(
            Section(number=n, title=f"Sektion {n}", items=tuple(its))
            for n, its in sorted(sections.items())
        ),
        place=place,
        participants=tuple(participants),
        page_count=10,
    )


def sha(meeting: Meeting, salt: str = "") -> str:
    """A stable fake content hash for a hand-built meeting."""
    return hashlib.sha256((repr(meeting) + salt).encode()).hexdigest()


# A small corpus across councils that exercises Danish folding, compounds and typos.
CORPUS: list[dict] = [
    {
        "council": "KKR Hovedstaden",
        "date": "2025-06-18",
        "doc_type": "agenda",
        "items": [
            (
                "1.1",
                "Godkendelse af referat",
                "SAG-2025-02162",
                {"Indstilling": "Det indstilles, at KKR godkender referatet."},
            ),
            (
                "3.3",
                "Status for udrulning af Sundhedsreformen",
                "SAG-2025-02162",
                {"Baggrund": "Sundhedsreformen træder i kraft 2027 med nye sundhedsråd."},
            ),
            (
                "3.6",
                "Orientering om aftale om kommunernes økonomi for 2026",
                "SAG-2025-02162",
                {
                    "Sagsfremstilling": "Regeringen og KL har indgået aftale om "
                    "kommunernes økonomi for 2026."
                },
            ),
            (
                "3.7",
                "Dimensionering af pædagoguddannelsen",
                "SAG-2025-02163",
                {"Baggrund": "Optag på pædagoguddannelsen skal dimensioneres."},
            ),
        ],
    },
    {
        "council": "KKR Midtjylland",
        "date": "2024-09-02",
        "doc_type": "minutes",
        "items": [
            (
                "2.1",
                "Letbanen i Århus og mobilitet",
                "SAG-2024-01000",
                {"Beslutning": "Taget til efterretning."},
            ),
            (
                "3.1",
                "Erhvervshus Midtjylland – resultater",
                "SAG-2024-01001",
                {"Baggrund": "Væksten i erhvervslivet fortsætter."},
            ),
            (
                "3.4",
                "Beskæftigelsesreform og jobcentre",
                "SAG-2024-01002",
                {"Indstilling": "Det indstilles, at beskæftigelsesindsatsen drøftes."},
            ),
        ],
    },
    {
        "council": "KKR Syddanmark",
        "date": "2023-03-10",
        "doc_type": "agenda",
        "items": [
            (
                "3.1",
                "Rekruttering af sygeplejersker",
                "SAG-2023-00500",
                {"Baggrund": "Mangel på sygeplejersker i kommunerne, især i ældreplejen."},
            ),
            (
                "3.2",
                "Klimatilpasning og grøn omstilling",
                "SAG-2023-00501",
                {"Sagsfremstilling": "Kommunerne arbejder med klimaplaner og grøn energi."},
            ),
        ],
    },
]


def corpus_meetings() -> list[Meeting]:
    """The meetings of :data:`CORPUS`."""
    return [
        make_meeting(
            m["items"],
            council=m["council"],
            date=m["date"],
            doc_type=m["doc_type"],
            source=f"{m['council']}-{m['date']}.txt",
        )
        for m in CORPUS
    ]


def fill_store(store, meetings: Iterable[Meeting]) -> None:  # noqa: ANN001
    """Save each meeting under a fake path and hash."""
    for meeting in meetings:
        store.save_document(
            meeting, path=f"/docs/{meeting.source}", sha256=sha(meeting), parser_version="test"
        )


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_docs"


def full_disk(monkeypatch: Any, spare_pages: int = 0) -> None:
    """Every Store opened from now on may grow its file by ``spare_pages`` pages only:
    SQLite then fails writes with SQLITE_FULL exactly as on a full disk."""
    import sqlite3

    from kkr_tui.store import Store

    opened = Store._connect

    def limited(self: Store) -> sqlite3.Connection:
        conn = opened(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return conn

    monkeypatch.setattr(Store, "_connect", limited)


def stored_bilag(
    store: Store,
    n: int,
    *,
    council: str,
    meeting_date: str,
    title: str,
    pages: Sequence[str],
) -> int:
    """Bilag number ``n`` (its URL, path and sha256 made from ``n``, no item) with
    ``pages`` as its text, stored and finished as sync stores one: the bilag search
    tests need bilag without a site or a PDF."""
    bilag_id = store.begin_bilag(
        url=f"https://www.kl.dk/media/{n}/b.pdf",
        council=council,
        meeting_date=meeting_date,
        item_number=None,
        title=title,
        path=f"/x/{n}.pdf",
        sha256=f"{n:064d}",
        page_count=len(pages),
        at=f"{meeting_date}T00:00:00+00:00",
    )
    store.add_bilag_pages(bilag_id, list(enumerate(pages, start=1)))
    store.finish_bilag(bilag_id, "ready")
    return bilag_id
