"""Folders of documents for the reliability tests, and the check that a database is whole.

Distinct meetings are made from the samples by naming another council (the meeting key
is council + date), so twenty documents need no new text. ``assert_whole`` is the
after-a-crash check: SQLite's own integrity, foreign keys, the FTS index against the
items, the terms table against the items, and every stored document holding exactly
the sections and items its file parses into.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pdf_factory

from kkr_tui.model import SourceDocument

COUNCILS = ("KKR Sjælland", "KKR Midtjylland", "KKR Nordjylland", "KKR Syddanmark")


def council_variant(sample: Path, council: str) -> str:
    """The sample's text as if another council had held the same meeting."""
    return sample.read_text(encoding="utf-8").replace("KKR Hovedstaden", council)


def pages_as_text(doc: SourceDocument) -> str:
    """Pages joined by form feeds, each with its annotation URLs last: read_text's input."""
    return "\f".join("\n".join([page.text, *page.links]) for page in doc.pages)


def build_corpus(folder: Path, samples: list[Path]) -> list[Path]:
    """~22 distinct documents: the samples, four council variants of each, and two PDFs."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for sample in samples:
        target = folder / sample.name
        target.write_bytes(sample.read_bytes())
        files.append(target)
    for n, council in enumerate(COUNCILS):
        for sample in samples:
            target = folder / f"{n}_{sample.name}"
            target.write_text(council_variant(sample, council), encoding="utf-8")
            files.append(target)
    for year in ("2019", "2020"):
        text = samples[2].read_text(encoding="utf-8").replace("19-04-2021", f"19-04-{year}")
        source = folder / f"src_{year}.txt.tmp"
        source.write_text(text, encoding="utf-8")
        files.append(pdf_factory.build_pdf_from_text_file(folder / f"gen_{year}.pdf", source))
        source.unlink()
    return files


def expected_shape(files: list[Path]) -> dict[str, tuple[int, int]]:
    """sha256 -> (sections, items) of what each file parses into."""
    from kkr_tui.ingest import file_sha256, read_and_parse

    shapes = {}
    for path in files:
        meeting = read_and_parse(str(path)).meeting
        assert meeting is not None, path
        items = sum(len(s.items) for s in meeting.sections)
        shapes[file_sha256(path)] = (len(meeting.sections), items)
    return shapes


def assert_whole(db: Path, shapes: dict[str, tuple[int, int]]) -> int:
    """Fail unless the database is consistent and holds only whole documents; their count."""
    from fts_check import assert_full_index_matches

    from kkr_tui.store import reads
    from kkr_tui.store.writes import count_terms, folded_items

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert_full_index_matches(conn)
        rows = conn.execute("SELECT id, sha256 FROM documents").fetchall()
        for document_id, sha in rows:
            sections = conn.execute(
                "SELECT count(*) FROM sections WHERE document_id = ?", (document_id,)
            ).fetchone()[0]
            items = conn.execute(
                "SELECT count(*) FROM items WHERE document_id = ?", (document_id,)
            ).fetchone()[0]
            assert (sections, items) == shapes[sha], f"document {document_id} is not whole"
        orphans = conn.execute(
            "SELECT count(*) FROM meetings m WHERE NOT EXISTS "
            "(SELECT 1 FROM documents d WHERE d.meeting_id = m.id)"
        ).fetchone()[0]
        assert orphans == 0
        stored_terms = dict(reads.vocabulary(conn, reads.pending_terms(conn)))
        expected_terms = count_terms((t, b) for _, t, b in folded_items(conn, "1", ()))
        assert stored_terms == dict(expected_terms)
        return len(rows)
    finally:
        conn.close()


def drop_section(sample: Path, number: int) -> str:
    """The sample as text with every page of section ``number`` left out."""
    from kkr_tui.parser import parse
    from kkr_tui.sources import read_text

    doc = read_text(sample)
    meeting = parse(doc)
    index = [s.number for s in meeting.sections].index(number)
    start, end = meeting.sections[index].page, meeting.sections[index + 1].page
    kept = tuple(p for p in doc.pages if not start <= p.number < end)
    return pages_as_text(replace(doc, pages=kept))


def drop_case_line(sample: Path) -> str:
    """The sample as text with the last item's case-number line blanked."""
    from kkr_tui.parser import parse
    from kkr_tui.sources import read_text

    doc = read_text(sample)
    target = parse(doc).items()[-1]
    pages = []
    for page in doc.pages:
        if page.number == target.first_page:
            lines = page.text.split("\n")
            at = next(i for i, line in enumerate(lines) if line.startswith(target.case_number))
            lines[at] = ""
            page = replace(page, text="\n".join(lines))
        pages.append(page)
    return pages_as_text(replace(doc, pages=tuple(pages)))


def kkr_command(
    *args: str, cwd: Path, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.Popen[str]:
    """``python -m kkr_tui ARGS`` away from the clone (so CI runs the installed wheel)."""
    env = {**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "kkr_tui", *args], cwd=cwd, env=env, text=True, **kwargs
    )


def kkr_ingest(
    path: Path,
    db: Path,
    *,
    cwd: Path,
    stdout: object = subprocess.PIPE,
    stderr: object = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """``kkr-tui ingest PATH --db DB`` started as a process (:func:`kkr_command`), what it
    prints piped unless ``stdout``/``stderr`` say otherwise: the run the reliability tests
    kill, interrupt or watch the reader beside."""
    return kkr_command("ingest", str(path), "--db", str(db), cwd=cwd, stdout=stdout, stderr=stderr)
