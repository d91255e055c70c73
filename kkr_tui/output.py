"""What the command line prints: every line made safe for a terminal, one job per function.

:mod:`kkr_tui.cli` parses the arguments and runs the commands; the text they print is
made here, so the wording of a result never hides in argument handling. Dates, document
types and citations are worded by :mod:`kkr_tui.wording`, as in the reader.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kkr_tui.i18n import _, ngettext

if TYPE_CHECKING:
    from kkr_tui.ingest import IngestEvent
    from kkr_tui.ingest_types import IngestResult, Status, StopCause
    from kkr_tui.meetingwork.changes import ItemChange
    from kkr_tui.meetingwork.itemdiff import Span
    from kkr_tui.meetingwork.related import RelatedItem
    from kkr_tui.model import FileFailure, Meeting, SyncFailure
    from kkr_tui.records import ChangedItem, Note
    from kkr_tui.search import SearchHit

# Control characters and bidi overrides in file names or error messages would reach the
# terminal as commands; shown as "?" the way ls does.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with terminal control characters replaced by ``?``."""
    return _UNPRINTABLE.sub("?", str(text))


def print_json(payload: Any) -> None:
    """``payload`` as indented UTF-8 JSON on stdout (Danish letters as they are)."""
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def print_json_line(payload: dict[str, Any]) -> None:
    """One JSON object on one line (JSON Lines: ``ingest --json``, ``sync --json``), so a
    script reads each result as it comes; flushed, as the lines are."""
    print(json.dumps(payload, ensure_ascii=False), flush=True)


def failure_json(
    failure: FileFailure | SyncFailure | None, text: str, store_cause: str | None = None
) -> dict[str, Any]:
    """A failure as ``parse --json`` prints one: the stable ``cause`` and its ``params``,
    the library's ``detail`` ("" when none) and the ``text`` the line shows. A file the
    store could not take has the store's code as its cause (``disk_full``,
    ``damaged_database``: ``store_cause``), else ``not_stored`` (busy, or a failure
    with no code)."""
    from kkr_tui.model import FileFailure

    if isinstance(failure, FileFailure):
        return {**failure.as_json(), "text": text}
    if failure is None:
        cause = store_cause or "not_stored"
        return {"cause": cause, "params": {}, "detail": "", "text": text}
    return {"cause": failure.cause, "params": dict(failure.params), "detail": "", "text": text}


def ingest_result_json(result: IngestResult) -> dict[str, Any]:
    """One ``kkr-tui ingest --json`` result line (keys pinned by tests/test_json_shape.py)."""
    council, meeting_date, doc_type = result.document or (None, None, None)
    failed = result.status == "failed"
    return {
        "type": "result",
        "path": result.path,
        "status": result.status,
        "council": council,
        "meeting_date": meeting_date,
        "doc_type": doc_type,
        "note": None if result.note is None else {**result.note.as_json(), "text": result.reason},
        "warnings": [{**w.as_json(), "text": w.text} for w in result.page_warnings],
        "failure": (
            failure_json(result.failure, result.reason, result.store_cause) if failed else None
        ),
    }


def ingest_summary_json(
    counts: dict[Status, int],
    *,
    interrupted: bool,
    stopped: StopCause | None = None,
    stopped_text: str = "",
) -> dict[str, Any]:
    """The last line of ``kkr-tui ingest --json``: the counts and how the run ended
    (``stopped``: why the store stopped it, a code; ``stopped_text`` the same in words,
    which only the ``text`` carries)."""
    from kkr_tui.ingest_types import summary_text

    return {
        "type": "summary",
        "added": counts.get("added", 0),
        "updated": counts.get("updated", 0),
        "unchanged": counts.get("unchanged", 0),
        "failed": counts.get("failed", 0),
        "interrupted": interrupted,
        "stopped": stopped,
        "text": summary_text(counts, stopped_text),
    }


def cli_date(iso: str | None) -> str:
    """A date in a CLI line: ``18.06.2025``, "no date" (translated) when there is none."""
    from kkr_tui.wording import danish_date  # here: `kkr-tui --help` needs none of it

    # "no date" only when there is none: asking for it loaded the catalogue for every
    # search whose hits all have dates (~3 ms of a one-off search).
    return danish_date(iso) if iso else _("no date")


class IngestReporter:
    """Prints one line per file to stdout and, on a terminal, a progress bar on stderr.

    A dozen lines of our own instead of rich.progress: the CLI then imports nothing
    from the UI stack, and the bar never garbles the result lines, which it clears
    before each one is printed.
    """

    def __init__(self, *, debug: bool = False, as_json: bool = False) -> None:
        self.debug = debug
        #: ``--json``: each result as a JSON line instead of words (no bar either).
        self.as_json = as_json
        self.tty = sys.stderr.isatty()
        self.counts: dict[Status, int] = {"added": 0, "updated": 0, "unchanged": 0, "failed": 0}
        self.bar_shown = False
        self.current = ""

    def __call__(self, event: IngestEvent) -> None:
        result = event.result
        if result is None:
            self.current = event.path
        else:
            self.counts[result.status] += 1
            self._clear()
            if self.as_json:
                print_json_line(ingest_result_json(result))
            elif result.status == "failed":
                line = _("FAILED {path}: {reason}").format(path=result.path, reason=result.reason)
                print(printable(line), flush=True)
                if self.debug:
                    self._debug(result)
            else:
                label = f"{result.label}  " if result.label else ""
                why = f"  ({result.reason})" if result.reason else ""
                if result.page_warnings:
                    from kkr_tui.model import page_warnings_line

                    why += "  " + _("warning: {text}").format(
                        text=page_warnings_line(result.page_warnings)
                    )
                from kkr_tui.ingest_types import STATUS_WORDS  # `--help` imports this module

                status = _(STATUS_WORDS[result.status])
                print(printable(f"{status:<9} {label}{result.path}{why}"), flush=True)
        self._draw(event)

    def _debug(self, result: IngestResult) -> None:
        """``--debug``: the library's own words for a failure and the traceback."""
        if result.failure is not None:
            from kkr_tui.failure_words import technical

            detail = technical(result.failure)
            if detail:
                print(printable(detail), file=sys.stderr, flush=True)
        if result.detail:
            print(result.detail.rstrip(), file=sys.stderr, flush=True)

    def _draw(self, event: IngestEvent) -> None:
        if not self.tty or event.total == 0:
            return
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        count = f" {event.done}/{event.total} "
        bar_width = max(10, min(30, width // 3))
        filled = bar_width * event.done // event.total
        bar = "[" + "#" * filled + "-" * (bar_width - filled) + "]"
        name = os.path.basename(self.current) if event.done < event.total else ""
        if name and event.pages > 1:
            name += " " + _("p. {page}/{pages}").format(page=event.page, pages=event.pages)
        text = printable(bar + count + name)[: width - 1]
        sys.stderr.write("\r\x1b[K" + text)
        sys.stderr.flush()
        self.bar_shown = True

    def _clear(self) -> None:
        if self.bar_shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.bar_shown = False

    def note(self, text: str) -> None:
        """A message between result lines (e.g. after the first Ctrl+C)."""
        self._clear()
        print(text, file=sys.stderr, flush=True)

    def finish(self) -> None:
        """Remove the bar before the summary is printed."""
        self._clear()

    def summary_line(self) -> str:
        """The summary from the lines printed so far (used when a run is aborted)."""
        from kkr_tui.ingest_types import summary_text

        return summary_text(self.counts)


def format_outline(meeting: Meeting) -> str:
    """A readable outline of a parsed meeting: facts, sections, items, warnings."""
    from kkr_tui.warning_words import describe
    from kkr_tui.wording import doc_type_word

    council = meeting.council or _("unknown council")
    lines = [
        f"{council} · {cli_date(meeting.meeting_date)} · {doc_type_word(meeting.doc_type)}",
    ]
    facts = [
        (_("Place"), meeting.place),
        (_("Time"), meeting.meeting_time),
        (_("Source"), meeting.source),
        (_("Pages"), str(meeting.page_count) if meeting.page_count else None),
    ]
    lines += [f"  {k}: {v}" for k, v in facts if v]
    if meeting.participants:
        present = [p.name for p in meeting.participants if not p.absent]
        absent = [p.name for p in meeting.participants if p.absent]
        text = _("Participants: {present}").format(present=len(present))
        if absent:
            text += ", " + _("absent {absent}").format(absent=len(absent))
        lines.append("  " + text)
    for section in meeting.sections:
        lines.append("")
        lines.append(f"{section.number}. {section.title}")
        for item in section.items:
            lines.append(f"  {item.number} {item.title}")
            details = []
            if item.case_number:
                details.append(item.case_number)
            if item.initials:
                details.append("/".join(item.initials))
            if item.first_page:
                pages = (
                    _("p. {page}").format(page=item.first_page)
                    if item.last_page in (0, item.first_page)
                    else _("pp. {first}–{last}").format(first=item.first_page, last=item.last_page)
                )
                details.append(pages)
            if details:
                lines.append("      " + " · ".join(details))
            kinds = [p.kind for p in item.parts]
            if kinds:
                lines.append("      " + _("parts: {kinds}").format(kinds=", ".join(kinds)))
            if item.attachments:
                lines.append("      " + _("attachments: {n}").format(n=len(item.attachments)))
            if item.urls:
                lines.append("      " + _("links: {n}").format(n=len(item.urls)))
            # The parser's warnings are codes: worded here, in the user's language.
            lines += [
                "      " + _("warning: {text}").format(text=describe(w)) for w in item.warnings
            ]
            lines += [
                "      " + _("warning: {text}").format(text=w.text) for w in item.page_warnings
            ]
    if meeting.warnings or meeting.page_warnings:
        lines.append("")
        lines += [_("warning: {text}").format(text=describe(w)) for w in meeting.warnings]
        lines += [_("warning: {text}").format(text=w.text) for w in meeting.page_warnings]
    items = sum(len(s.items) for s in meeting.sections)
    lines.append("")
    sections = ngettext("{n} section", "{n} sections", len(meeting.sections))
    counted = ngettext("{n} item", "{n} items", items)
    lines.append(sections.format(n=len(meeting.sections)) + ", " + counted.format(n=items))
    return "\n".join(lines)


def hit_lines(hits: Iterable[SearchHit]) -> Iterator[str]:
    """Search hits: council, date, document, number and title (a bilag hit names the
    bilag and its page); the snippet under it."""
    from kkr_tui.wording import doc_type_word

    for hit in hits:
        date = cli_date(hit.meeting_date)
        fields: tuple[str | None, ...] = (
            hit.council,
            date,
            doc_type_word(hit.doc_type),
            hit.number,
            hit.title,
        )
        if hit.kind == "bilag":
            where = f"bilag: {hit.bilag_title}, s. {hit.page}"
            if hit.bilag_matches > 1:
                more = hit.bilag_matches - 1
                where += " " + ngettext("(+{n} page)", "(+{n} pages)", more).format(n=more)
            fields = (hit.council, date, hit.number, hit.title, where)
        yield printable("  ".join(f for f in fields if f))
        if hit.snippet and hit.snippet != hit.title:
            yield printable(f"    {' '.join(hit.snippet.split())}")


def related_lines(found: Iterable[RelatedItem]) -> Iterator[str]:
    """Related items, each with why it is related (the same case, or the same topic)."""
    for rel in found:
        why = _("same case") if rel.reason == "case" else _("same topic")
        yield printable(
            f"  {rel.council}  {cli_date(rel.meeting_date)}  {rel.number}  {rel.title}  ({why})"
        )


def note_lines(rows: Iterable[tuple[Note, int | None]]) -> Iterator[str]:
    """Notes under the item they are on, marked when that item is no longer stored."""
    for note, item_id in rows:
        a = note.anchor
        # TRANSLATORS: a note whose item is no longer stored (the reader says the same)
        gone = "" if item_id is not None else "  (" + _("no item") + ")"
        yield printable(
            f"{a.council}  {cli_date(a.meeting_date or None)}  {a.number}  {a.title}{gone}"
        )
        for line in note.text.splitlines():
            yield printable(f"    {line}")


def change_lines(
    changes: Iterable[tuple[ChangedItem, ItemChange | None]],
) -> Iterator[str]:
    """Items new or changed since the last look; under a changed one, what changed: each
    part that differs, its changed words in context (``[-removed-]`` and ``{+added+}``,
    as ``git diff --word-diff`` writes them), and a legend at the end."""
    marked = False
    for c, change in changes:
        kind = _("new") if c.kind == "new" else _("changed")
        yield printable(f"{kind:<7} {c.council}  {cli_date(c.meeting_date)}  {c.number}  {c.title}")
        if c.kind != "changed":
            continue
        for line in change_detail_lines(change):
            marked = marked or "[-" in line or "{+" in line
            yield printable(f"        {line}")
    if marked:
        yield ""
        yield _(
            "{removed} was removed, {added} was added (spaces and line breaks are not compared)."
        ).format(removed="[-…-]", added="{+…+}")


#: The most characters of one hunk a CLI line shows.
_HUNK_CHARS = 400


def change_detail_lines(change: ItemChange | None) -> Iterator[str]:
    """What changed in one item, as lines without indentation (see :func:`change_lines`)."""
    from kkr_tui.meetingwork.changes import not_kept_line, part_line
    from kkr_tui.meetingwork.itemdiff import hunks

    if change is None or change.diff is None:
        yield not_kept_line()
        return
    if change.from_agenda:
        yield _("compared with the agenda")
    diff = change.diff
    if diff.title is not None:
        yield _("Title: {text}").format(text=_marked(diff.title))
    for part in diff.changed_parts:
        yield part_line(part)
        for hunk in hunks(part.spans):
            text = _marked(hunk.spans)
            if len(text) > _HUNK_CHARS:
                text = text[:_HUNK_CHARS].rstrip() + " …"
            before = "… " if hunk.cut_before else ""
            after = " …" if hunk.cut_after else ""
            yield f"  {before}{text}{after}"


def _marked(spans: Iterable[Span]) -> str:
    """Spans on one line: removed words in ``[-…-]``, added in ``{+…+}``."""
    out: list[str] = []
    for span in spans:
        text = " ".join(span.text.split())
        lead = " " if span.text[:1].isspace() and out else ""
        if span.op == "removed":
            out.append(f"{lead}[-{text}-]")
        elif span.op == "added":
            out.append(f"{lead}{{+{text}+}}")
        else:
            out.append(f"{lead}{text}" if lead or not out else text)
    return "".join(out).strip()


def change_json(change: ItemChange | None) -> dict[str, Any] | None:
    """What changed in one item for ``kkr-tui new --json``: the parts that differ with
    their word spans (``same``/``removed``/``added``); ``kept`` false when the earlier
    version was not kept."""
    if change is None or change.diff is None:
        return {"kept": False, "compared_with": None, "title": None, "parts": []}
    diff = change.diff

    def spans(items: Iterable[Span]) -> list[dict[str, str]]:
        return [{"op": s.op, "text": s.text} for s in items]

    return {
        "kept": True,
        "compared_with": change.previous_doc_type,
        "kept_at": change.kept_at,
        "title": None if diff.title is None else spans(diff.title),
        "parts": [
            {
                "kind": p.kind,
                "heading": p.heading,
                "status": p.status,
                "compared": p.compared,
                "removed_words": p.removed_words,
                "added_words": p.added_words,
                "spans": spans(p.spans),
            }
            for p in diff.changed_parts
        ],
    }


def _stage_words(stage: str) -> str:
    """What an upgrade's stage is doing, for the bar: the commit (saving) and the
    compaction are said, since their seconds pass with few or no steps to show."""
    if stage == "commit":
        return _("saving the upgraded archive (the last step; the percent waits)")
    if stage == "compact":
        return _("compacting the archive")
    return _("upgrading the archive")


class MigrationReporter:
    """What the command line says on stderr while an older database is brought up to
    date (a listener for :class:`kkr_tui.store.MigrationEvent`).

    Before anything is written: one line saying what happens and that it happens once.
    Then, on a terminal, a bar like ingest's redrawn in place; piped, a line each time
    the percent passed another tenth and :attr:`every_s` went by since the last line
    (a quick migration prints none). At the end one line: upgraded, and whether the
    file could be compacted (if not, why: the room it needed and had)."""

    def __init__(
        self,
        path: object,
        *,
        stream: Any = None,
        tty: bool | None = None,
        clock: Any = None,
        every_s: float = 10.0,
    ) -> None:
        import time

        self.path = path
        self.stream = sys.stderr if stream is None else stream
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = time.monotonic if clock is None else clock
        self.every_s = every_s
        self._started = 0.0
        self._last_line = 0.0
        self._last_tenth = 0
        self._bar_shown = False
        self._compacted = True
        self._stage = ""

    def _say(self, text: str) -> None:
        if self._bar_shown:
            self.stream.write("\r\x1b[K")
            self._bar_shown = False
        self.stream.write(printable(text) + "\n")
        self.stream.flush()

    def _compaction(self, event: Any) -> None:
        """A compaction an earlier upgrade had no room for, done now: a line when it
        starts and one at the end (or why it could not be done); the bar between."""
        if event.stage == "start":
            self._started = self._last_line = self.clock()
            self._say(
                _(
                    "{path}: the archive is compacted now, which its upgrade had no room "
                    "for; this can take a minute (stopped, it stays as it is)"
                ).format(path=self.path)
            )
        elif event.stage == "compact_failed":
            self._compacted = False
            self._say(
                _(
                    "{path}: the archive could not be compacted now (another program is "
                    "using it, or the disk filled up); nothing is lost, it is tried again "
                    "next time"
                ).format(path=self.path)
            )
        elif event.stage == "done":
            if self._compacted:
                seconds = max(0, round(self.clock() - self._started))
                self._say(
                    _("{path}: the archive is compacted ({seconds} s)").format(
                        path=self.path, seconds=seconds
                    )
                )
            elif self._bar_shown:
                self.stream.write("\r\x1b[K")
                self._bar_shown = False
        elif self.tty:
            self._draw(event.percent, event.stage)

    def __call__(self, event: Any) -> None:
        stage, percent = event.stage, event.percent
        if getattr(event, "task", "upgrade") == "compact":
            self._compaction(event)
            return
        if stage == "start":
            self._started = self._last_line = self.clock()
            self._say(
                _(
                    "{path}: the archive is upgraded to a new version, once; this can take "
                    "a few minutes (stopped, it stays as it was)"
                ).format(path=self.path)
            )
        elif stage == "compact_skipped":
            self._compacted = False
            self._say(
                _(
                    "{path}: upgraded, but not compacted: that needs {needed} MB free and "
                    "{free} MB are; a later command that writes to it compacts it once "
                    "there is room (until then the file keeps its size)"
                ).format(path=self.path, needed=_mb(event.needed, up=True), free=_mb(event.free))
            )
        elif stage == "compact_failed":
            self._compacted = False
            self._say(
                _(
                    "{path}: upgraded, but the file could not be compacted; it keeps its size"
                ).format(path=self.path)
            )
        elif stage == "done":
            seconds = max(0, round(self.clock() - self._started))
            self._say(
                _("{path}: the archive is upgraded ({seconds} s)").format(
                    path=self.path, seconds=seconds
                )
            )
        elif self.tty:
            self._draw(percent, stage)
        elif stage == "commit" and stage != self._stage:
            # The commit has no steps to follow (seconds at 100k items): say it begins,
            # so a piped run's last line is not a percent that seems to hang. A quick
            # migration, which printed nothing yet, stays quiet.
            if self.clock() - self._started >= self.every_s:
                self._last_line = self.clock()
                self._say(
                    _("upgrading the archive: {percent} %, {doing}").format(
                        percent=percent, doing=_stage_words(stage)
                    )
                )
        elif percent // 10 > self._last_tenth and self.clock() - self._last_line >= self.every_s:
            self._last_tenth, self._last_line = percent // 10, self.clock()
            self._say(_("upgrading the archive: {percent} %").format(percent=percent))
        self._stage = stage

    def _draw(self, percent: int, stage: str) -> None:
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        bar_width = max(10, min(30, width // 3))
        filled = bar_width * percent // 100
        bar = "[" + "#" * filled + "-" * (bar_width - filled) + "]"
        text = f"{bar} {percent} % " + _stage_words(stage)
        self.stream.write("\r\x1b[K" + printable(text)[: width - 1])
        self.stream.flush()
        self._bar_shown = True


def _mb(size: int, *, up: bool = False) -> str:
    """Bytes as whole megabytes, rounded ``up`` (what is needed) or down (what is free),
    so a need over what is free never reads as the same number."""
    return str(-(-size // 1_000_000) if up else size // 1_000_000)
