"""Builders for the meeting-work tests: the samples, and the minutes of sample 000 by hand.

The minutes of the 18.06.2025 meeting are made from its parsed agenda: the same items
with a Beslutning added and the type set to minutes, so a test can store a meeting first
as an agenda and later as minutes, the way a secretary's database grows.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from kkr_tui.model import Block, Item, Meeting, Part, Section
from kkr_tui.parser import parse
from kkr_tui.paths import sample_docs_dir
from kkr_tui.sources.text import read_text

AGENDA_000 = "000_5761956d8ee0dfc0.txt"

DECISIONS = {
    "3.3": "KKR Hovedstaden tiltrådte indstillingen.",
    "3.4": "KKR Hovedstaden godkendte strategien med den ændring, at cykelstier prioriteres.",
    "3.5": "Punktet blev udsat til næste møde.",
}
DEFAULT_DECISION = "KKR Hovedstaden tog orienteringen til efterretning."


def agenda_000() -> Meeting:
    """The parsed agenda of KKR Hovedstaden 18.06.2025."""
    return parse(read_text(sample_docs_dir() / AGENDA_000))


def minutes_000(*, drop_indstilling: str | None = None) -> Meeting:
    """The agenda of 000 turned into minutes: every item gets a Beslutning.

    ``drop_indstilling`` names an item whose Indstilling the minutes leave out, so the
    merged view must take it from the agenda.
    """
    agenda = agenda_000()
    sections = []
    for section in agenda.sections:
        items = []
        for item in section.items:
            text = DECISIONS.get(item.number, DEFAULT_DECISION)
            parts = tuple(
                p
                for p in item.parts
                if not (item.number == drop_indstilling and p.kind == "Indstilling")
            )
            parts += (Part("Beslutning", "Beslutning", (Block("paragraph", text),)),)
            items.append(dataclasses.replace(item, parts=parts))
        sections.append(dataclasses.replace(section, items=tuple(items)))
    return dataclasses.replace(
        agenda,
        source="000_minutes.txt",
        doc_type="minutes",
        sections=tuple(sections),
    )


def save(store, meeting: Meeting, path: str | None = None) -> str:
    """Store a hand-made meeting the way ingest does (content hash, path)."""
    digest = hashlib.sha256(repr(meeting).encode()).hexdigest()
    return store.save_document(
        meeting, path=path or meeting.source, sha256=digest, parser_version="test"
    )


def item_by_number(store, council: str, date: str, number: str) -> int:
    """The id of item ``number`` in the primary document of a meeting."""
    meeting = next(m for m in store.meetings(council, int(date[:4])) if m.meeting_date == date)
    return store.find_items_by_number(number, meeting.id)[0].id


def sample_paths(names: list[str] | None = None) -> list[Path]:
    """Sample document paths (all, or the named ones)."""
    folder = sample_docs_dir()
    files = sorted(folder.glob("*.txt"))
    return [f for f in files if names is None or f.name in names]


def topic_meeting(council: str, date: str, items: list[tuple[str, str, str | None]]) -> Meeting:
    """A small agenda: (number, title, case number) per item, all in one section."""
    built = tuple(
        Item(
            number=n,
            title=t,
            case_number=c,
            parts=(Part("Indstilling", "Indstilling", (Block("paragraph", f"Om {t}."),)),),
        )
        for n, t, c in items
    )
    return Meeting(
        source=f"{council}-{date}.txt",
        council=council,
        meeting_date=date,
        doc_type="agenda",
        sections=(Section(3, "Sager", built),),
    )


#: A meeting whose minutes drop an agenda item and renumber the rest (the agenda's 3.4
#: is the minutes' 3.3), where notes, reading marks and kept versions must follow their
#: items by identity, never by number.
RENUMBERED_COUNCIL = "KKR Hovedstaden"
RENUMBERED_DATE = "2025-06-18"
RENUMBERED_AGENDA = [
    ("3.3", "Udsat punkt", "SAG-2025-00003"),
    ("3.4", "Strategi for mobilitet", "SAG-2025-00004"),
    ("3.5", "Dimensionering af pædagoguddannelsen", "SAG-2025-00005"),
]
#: The minutes drop 3.3 and renumber the rest; a new item takes 3.5.
RENUMBERED_MINUTES = [
    ("3.3", "Strategi for mobilitet", "SAG-2025-00004"),
    ("3.4", "Dimensionering af pædagoguddannelsen", "SAG-2025-00005"),
    ("3.5", "Eventuelt", None),
]


def renumbered_agenda() -> Meeting:
    """The agenda of the renumbered meeting: 3.3, 3.4 and 3.5."""
    return topic_meeting(RENUMBERED_COUNCIL, RENUMBERED_DATE, RENUMBERED_AGENDA)


def renumbered_minutes(items: list[tuple[str, str, str | None]]) -> Meeting:
    """The minutes of the renumbered meeting, holding ``items`` (number, title, case)."""
    meeting = topic_meeting(RENUMBERED_COUNCIL, RENUMBERED_DATE, items)
    return dataclasses.replace(meeting, doc_type="minutes", source="minutes.txt")


def renumbered_item(store, number: str) -> int:
    """The id of item ``number`` of the renumbered meeting (its minutes', once stored)."""
    return item_by_number(store, RENUMBERED_COUNCIL, RENUMBERED_DATE, number)


def reuploaded_agenda_000() -> Meeting:
    """The agenda of 000 as KL might re-upload it: in 3.4 the Indstilling reworded and
    one date of the Sagsfremstilling moved, and the Baggrund re-typeset (other line
    breaks, same words), which must not count as a change."""

    def reword(block: Block) -> Block:
        text = block.text.replace(
            "godkender udkastet til strategi",
            "drøfter og godkender det reviderede udkast til strategi",
        ).replace("den 2. september 2025", "den 30. september 2025")
        return dataclasses.replace(block, text=text)

    def retypeset(block: Block) -> Block:
        words = block.text.split(" ")
        return dataclasses.replace(
            block, text="\n".join(" ".join(words[i : i + 7]) for i in range(0, len(words), 7))
        )

    agenda = agenda_000()
    sections = []
    for section in agenda.sections:
        items = []
        for item in section.items:
            if item.number == "3.4":
                parts = []
                for part in item.parts:
                    change = retypeset if part.kind == "Baggrund" else reword
                    blocks = tuple(change(b) for b in part.blocks)
                    parts.append(dataclasses.replace(part, blocks=blocks))
                item = dataclasses.replace(item, parts=tuple(parts))
            items.append(item)
        sections.append(dataclasses.replace(section, items=tuple(items)))
    return dataclasses.replace(agenda, source="000_v2.txt", sections=tuple(sections))


def seen_then_reuploaded_000(db: Path) -> int:
    """Look at the samples once (what the user saw), then store the re-uploaded agenda
    of 000 (:func:`reuploaded_agenda_000`); the id of its changed item 3.4."""
    from kkr_tui.store import Store

    with Store(db) as store:
        store.detect_changes()
        save(store, reuploaded_agenda_000())
        return item_by_number(store, "KKR Hovedstaden", "2025-06-18", "3.4")
