"""The ``kkr-tui`` command: open the app, or ingest, parse, search and locate headlessly.

Every heavy import (pypdf, sqlite_utils, rapidfuzz, Textual) happens inside the
command that needs it, so ``kkr-tui --version`` and the path to the app's first frame
stay fast. Exit codes: 0 all went well, 1 some file failed (the rest were still
handled), 2 usage error (argparse's own), 130 interrupted. Tracebacks only with
``--debug``; otherwise one line naming the file and the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kkr_tui import __version__
from kkr_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from kkr_tui.ingest import IngestEvent
    from kkr_tui.model import Meeting

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

# Control characters and bidi overrides in file names or error messages would reach the
# terminal as commands; shown as "?" the way ls does.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with terminal control characters replaced by ``?``."""
    return _UNPRINTABLE.sub("?", str(text))


#: argparse's own words, in the catalogue so ``--help`` and usage errors read in the
#: user's language (argparse asks gettext for them; :func:`_translate_argparse`).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
)


def _translate_argparse() -> None:
    """Let argparse's own words (usage, options, errors) come from our catalogue.

    argparse looks them up through ``gettext.gettext`` in the process-wide domain, whose
    language only the environment decides; ours follows the config too.
    """
    setattr(argparse, "_", _)  # noqa: B010 - argparse reads its module global at call time
    setattr(argparse, "ngettext", ngettext)  # noqa: B010


def _count(minimum: int) -> Any:
    """An argparse type for whole numbers of at least ``minimum`` (a bad one exits 2)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("not a whole number: {text}").format(text=repr(text))
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(_("must be {minimum} or more").format(minimum=minimum))
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; ``--db`` and ``--debug`` work before or after the subcommand."""
    _translate_argparse()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=_("show tracebacks")
    )
    with_db = argparse.ArgumentParser(add_help=False)
    with_db.add_argument(
        "--db",
        metavar=_("PATH"),
        default=argparse.SUPPRESS,
        help=_("database file (default: $KKR_TUI_DB, else the user data folder)"),
    )

    parser = argparse.ArgumentParser(
        prog="kkr-tui",
        description=_(
            "Offline reader for KL's KKR meeting agendas and minutes. "
            "Without a command, opens the reader."
        ),
        parents=[common, with_db],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kkr-tui {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help=_(
            "open the reader without ever writing to the database "
            "(automatic when the file or its folder is not writable)"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    ingest = sub.add_parser(
        "ingest",
        parents=[common, with_db],
        help=_("store documents (files or folders of .pdf/.txt) in the database"),
        description=_(
            "Parse and store KKR documents. Folders are searched recursively "
            "for .pdf and .txt files; unchanged files are skipped by content hash."
        ),
    )
    ingest.add_argument("paths", nargs="*", metavar=_("PATH"), help=_("files or folders"))
    ingest.add_argument(
        "--reparse",
        action="store_true",
        help=_(
            "re-read documents stored by an older parser version; with no PATH, "
            "every stored document whose file still exists"
        ),
    )
    ingest.add_argument(
        "--jobs",
        "-j",
        type=_count(0),
        default=1,
        metavar="N",
        help=_("read and parse in N processes (0 = one per CPU; default 1)"),
    )

    parse = sub.add_parser(
        "parse",
        parents=[common],
        help=_("parse one document and print it (nothing is stored)"),
        description=_("Parse one document and print an outline, or JSON with --json."),
    )
    parse.add_argument("file", metavar=_("FILE"))
    parse.add_argument("--json", action="store_true", help=_("print the meeting as JSON"))

    search = sub.add_parser(
        "search",
        parents=[common, with_db],
        help=_("search stored items (filters: council:midt year:2025 type:referat)"),
        description=_("Search items across all councils, as the reader's search does."),
    )
    search.add_argument(
        "query",
        metavar=_("QUERY"),
        nargs="+",
        help=_("words to look for, a case number or filters (council:midt year:2025)"),
    )
    search.add_argument("--json", action="store_true", help=_("print hits as JSON"))
    search.add_argument(
        "--limit", "-n", type=_count(1), default=20, metavar="N", help=_("at most N hits (20)")
    )

    _add_meeting_work_commands(sub, common, with_db)

    from kkr_tui.sync.command import add_parser as add_sync_parser

    add_sync_parser(sub, [common, with_db])

    sub.add_parser(
        "locate",
        parents=[common, with_db],
        help=_("print where the database, config, samples and styles are"),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    handlers = {
        None: _cmd_app,
        "ingest": _cmd_ingest,
        "parse": _cmd_parse,
        "search": _cmd_search,
        "locate": _cmd_locate,
        "related": _cmd_related,
        "decisions": _cmd_decisions,
        "export": _cmd_export,
        "notes": _cmd_notes,
        "new": _cmd_new,
        "sync": _cmd_sync,
    }
    try:
        return handlers[args.command](args, parser)
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_broken_pipe()
        return EXIT_OK
    except UnusablePathError as error:
        print(printable(str(error)), file=sys.stderr)
        return EXIT_FAILED
    except NoDataError as error:
        print(printable(error), file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:
        if debug:
            raise
        if _is_store_error(error):
            print(printable(f"kkr-tui: {error}"), file=sys.stderr)
            return EXIT_FAILED
        print(printable(_("kkr-tui: error: {error}").format(error=error)), file=sys.stderr)
        print(_("(run with --debug to see the traceback)"), file=sys.stderr)
        return EXIT_FAILED


def _is_store_error(error: BaseException) -> bool:
    """A busy, read-only, too-new or foreign database: the message says it all, in one line.

    Checked through ``sys.modules`` so the CLI never imports the store just to ask.
    """
    errors = sys.modules.get("kkr_tui.store.errors")
    return errors is not None and isinstance(error, errors.StoreError)


def _silence_broken_pipe() -> None:
    """After `kkr-tui ... | head`, stop Python complaining when it flushes stdout."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class UnusablePathError(Exception):
    """A path the user named that must not be opened: printed as ``PATH: reason``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


#: Files SQLite opens beside a database; any of them being a FIFO blocks the open.
_DB_SIDECARS = ("", "-wal", "-shm", "-journal")


def _db_path(args: argparse.Namespace, *, check: bool = True) -> Path:
    """The database path, refused before SQLite touches it if it (or a file SQLite opens
    beside it) exists and is not a regular file: SQLite would block for ever on a FIFO."""
    import stat

    from kkr_tui.paths import database_path

    db = database_path(getattr(args, "db", None))
    for suffix in _DB_SIDECARS if check else ():
        path = Path(f"{db}{suffix}")
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            raise UnusablePathError(path, _("is a directory, not a database file"))
        if not stat.S_ISREG(mode):
            raise UnusablePathError(path, _("not a regular file"))
    return db


# --- default command: the app -------------------------------------------------------


def _cmd_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Open the reader; it fills a missing or empty database from the bundled samples."""
    from kkr_tui.app import run_app

    forced: dict[str, Any] = {"read_only": True} if getattr(args, "read_only", False) else {}
    run_app(_db_path(args), first_run_ingest=True, **forced)
    return EXIT_OK


# --- ingest ------------------------------------------------------------------------------


def _cmd_ingest(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    paths: list[str] = list(args.paths)
    if not paths and not args.reparse:
        print(_("kkr-tui ingest: error: give at least one PATH (or --reparse)"), file=sys.stderr)
        return EXIT_USAGE

    from kkr_tui.ingest import ingest_paths, stale_paths
    from kkr_tui.store import Store

    db = _db_path(args)
    db.parent.mkdir(parents=True, exist_ok=True)
    jobs = args.jobs or os.cpu_count() or 1
    store = Store(db, verify=True)
    try:
        if not paths:
            paths, missing = stale_paths(store)
            if missing:
                print(
                    ngettext(
                        "{n} stored document no longer exists on disk; skipped",
                        "{n} stored documents no longer exist on disk; skipped",
                        missing,
                    ).format(n=missing)
                )
            if not paths:
                print(_("nothing to reparse"))
                return EXIT_OK
        reporter = _IngestReporter(debug=getattr(args, "debug", False))
        cancel = threading.Event()
        with _first_interrupt_sets(cancel, reporter):
            try:
                summary = ingest_paths(
                    store,
                    paths,
                    progress=reporter,
                    cancel=cancel,
                    reparse=args.reparse,
                    jobs=jobs,
                )
            except KeyboardInterrupt:
                reporter.finish()
                print(reporter.summary_line() + " (interrupted)")
                return EXIT_INTERRUPTED
        reporter.finish()
        if summary.cancelled:
            print(summary.line() + " (interrupted)")
            return EXIT_INTERRUPTED
        print(summary.line())
        return EXIT_FAILED if summary.failed else EXIT_OK
    finally:
        store.close()


class _first_interrupt_sets:  # noqa: N801 - used as a context manager, reads like one
    """First Ctrl+C asks the run to stop at the next page; the second aborts now.

    Pool workers ignore SIGINT (see ingest), so only this process decides what a
    Ctrl+C means and nothing is left half stored.
    """

    def __init__(self, cancel: threading.Event, reporter: _IngestReporter) -> None:
        self.cancel = cancel
        self.reporter = reporter
        self.previous: Any = None

    def _handle(self, signum: int, frame: object) -> None:
        if self.cancel.is_set():
            raise KeyboardInterrupt
        self.cancel.set()
        self.reporter.note(_("stopping; nothing half-read is stored (Ctrl+C again to stop now)"))

    def __enter__(self) -> _first_interrupt_sets:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


class _IngestReporter:
    """Prints one line per file to stdout and, on a terminal, a progress bar on stderr.

    A dozen lines of our own instead of rich.progress: the CLI then imports nothing
    from the UI stack, and the bar never garbles the result lines, which it clears
    before each one is printed.
    """

    def __init__(self, *, debug: bool = False) -> None:
        self.debug = debug
        self.tty = sys.stderr.isatty()
        self.counts = {"added": 0, "updated": 0, "unchanged": 0, "failed": 0}
        self.bar_shown = False
        self.current = ""

    def __call__(self, event: IngestEvent) -> None:
        result = event.result
        if result is None:
            self.current = event.path
        else:
            self.counts[result.status] += 1
            self._clear()
            if result.status == "failed":
                print(printable(f"FAILED {result.path}: {result.reason}"), flush=True)
                if self.debug and result.detail:
                    print(result.detail.rstrip(), file=sys.stderr, flush=True)
            else:
                label = f"{result.label}  " if result.label else ""
                why = f"  ({result.reason})" if result.reason else ""
                if result.page_warnings:
                    from kkr_tui.model import page_warnings_line

                    why += "  " + _("warning: {text}").format(
                        text=page_warnings_line(result.page_warnings)
                    )
                print(printable(f"{result.status:<9} {label}{result.path}{why}"), flush=True)
        self._draw(event)

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
            name += f" p. {event.page}/{event.pages}"
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
        return ", ".join(f"{k} {v}" for k, v in self.counts.items())


# --- parse -------------------------------------------------------------------------------


def _cmd_parse(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.ingest import read_and_parse

    if Path(args.file).suffix.lower() == ".pdf":
        from kkr_tui.ingest_reader import read_guarded

        parsed = read_guarded(args.file, threading.Event())  # the budget of an ingest
    else:
        parsed = read_and_parse(args.file)
    if parsed.meeting is None:
        print(printable(f"{args.file}: {parsed.reason}"), file=sys.stderr)
        if getattr(args, "debug", False) and parsed.detail:
            print(parsed.detail.rstrip(), file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        from kkr_tui.serialize import meeting_to_dict

        print(json.dumps(meeting_to_dict(parsed.meeting), ensure_ascii=False, indent=2))
    else:
        print(format_outline(parsed.meeting))
    return EXIT_OK


def format_outline(meeting: Meeting) -> str:
    """A readable outline of a parsed meeting: facts, sections, items, warnings."""
    from kkr_tui.ingest import DOC_TYPE_WORDS

    lines = [
        f"{meeting.council or 'unknown council'} · {_date(meeting.meeting_date)} · "
        f"{DOC_TYPE_WORDS.get(meeting.doc_type, meeting.doc_type)}",
    ]
    facts = [
        ("Place", meeting.place),
        ("Time", meeting.meeting_time),
        ("Source", meeting.source),
        ("Pages", str(meeting.page_count) if meeting.page_count else None),
    ]
    lines += [f"  {k}: {v}" for k, v in facts if v]
    if meeting.participants:
        present = [p.name for p in meeting.participants if not p.absent]
        absent = [p.name for p in meeting.participants if p.absent]
        lines.append(
            f"  Participants: {len(present)}" + (f", absent {len(absent)}" if absent else "")
        )
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
                    f"p. {item.first_page}"
                    if item.last_page in (0, item.first_page)
                    else f"pp. {item.first_page}-{item.last_page}"
                )
                details.append(pages)
            if details:
                lines.append("      " + " · ".join(details))
            kinds = [p.kind for p in item.parts]
            if kinds:
                lines.append("      parts: " + ", ".join(kinds))
            if item.attachments:
                lines.append(f"      attachments: {len(item.attachments)}")
            if item.urls:
                lines.append(f"      links: {len(item.urls)}")
            lines += [f"      warning: {w}" for w in item.warnings]
            lines += [
                "      " + _("warning: {text}").format(text=w.text) for w in item.page_warnings
            ]
    if meeting.warnings or meeting.page_warnings:
        lines.append("")
        lines += [f"warning: {w}" for w in meeting.warnings]
        lines += [_("warning: {text}").format(text=w.text) for w in meeting.page_warnings]
    items = sum(len(s.items) for s in meeting.sections)
    lines.append("")
    lines.append(f"{len(meeting.sections)} sections, {items} items")
    return "\n".join(lines)


def _date(iso: str | None) -> str:
    if not iso:
        return _("no date")
    parts = iso.split("-")
    return ".".join(reversed(parts)) if len(parts) == 3 else iso


# --- search ------------------------------------------------------------------------------


def _cmd_search(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    db = _db_path(args)
    if not db.exists():
        print(no_data_message(parser), file=sys.stderr)
        return EXIT_FAILED
    from kkr_tui.search import SearchIndex
    from kkr_tui.store import Store

    query = " ".join(args.query)
    store = Store(db, read_only=True)
    try:
        answer = SearchIndex(store).answer(query, limit=args.limit, bilag=True)
    finally:
        store.close()
    hits = answer.hits
    for problem in answer.problems:
        print(printable(problem.message()), file=sys.stderr)
    if args.json:
        import dataclasses

        payload = [dataclasses.asdict(hit) for hit in hits]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_USAGE if answer.problems else EXIT_OK
    if answer.problems:
        return EXIT_USAGE
    if not hits:
        print(_("no matches"), file=sys.stderr)
        return EXIT_OK
    from kkr_tui.records import DOC_TYPE_WORDS

    for hit in hits:
        doc = DOC_TYPE_WORDS.get(hit.doc_type, hit.doc_type)
        fields = (hit.council, _date(hit.meeting_date), doc, hit.number, hit.title)
        if hit.kind == "bilag":
            where = f"bilag: {hit.bilag_title}, s. {hit.page}"
            fields = (hit.council, _date(hit.meeting_date), hit.number, hit.title, where)
        print(printable("  ".join(f for f in fields if f)))
        if hit.snippet and hit.snippet != hit.title:
            print(printable(f"    {' '.join(hit.snippet.split())}"))
    return EXIT_OK


# --- sync --------------------------------------------------------------------------------


def _cmd_sync(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.sync.command import run

    return run(args)


# --- locate ------------------------------------------------------------------------------


def _cmd_locate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui import paths

    db = _db_path(args, check=False)
    rows = [
        (_("database"), db),
        (_("config file"), paths.config_path()),
        (_("data folder"), paths.data_dir()),
        (_("cache folder"), paths.cache_dir()),
        (_("log file"), paths.log_path()),
        (_("sample documents"), paths.sample_docs_dir()),
        (_("styles"), paths.styles_dir()),
    ]
    width = max(len(name) for name, _path in rows)
    for name, path in rows:
        state = "" if path.exists() else "  " + _("(does not exist yet)")
        print(f"{name + ':':<{width + 1}} {path}{state}")
    return EXIT_OK


# --- meeting work: related, export, notes, new -------------------------------------------


def _add_meeting_work_commands(
    sub: Any, common: argparse.ArgumentParser, with_db: argparse.ArgumentParser
) -> None:
    related = sub.add_parser(
        "related",
        parents=[common, with_db],
        help=_("items in other meetings on the same case or topic"),
        description=_(
            "List, newest first, items of other meetings (any council) with the "
            "same item-specific case number or a clearly similar title."
        ),
    )
    related.add_argument(
        "item", nargs="+", metavar=_("ITEM"), help=_('an item id or "council date number"')
    )
    related.add_argument("--json", action="store_true", help=_("print as JSON"))
    decisions = sub.add_parser(
        "decisions",
        parents=[common, with_db],
        help=_("how each item of a meeting was decided; ⚠ where it departs"),
        description=_(
            "Read every Beslutning of a meeting against its Indstilling: ⚠ only "
            "where the council did something other than recommended, ? where the text does "
            "not settle it."
        ),
    )
    decisions.add_argument(
        "meeting", nargs="+", metavar=_("MEETING"), help=_('a meeting id or "council date"')
    )
    decisions.add_argument("--json", action="store_true", help=_("print as JSON"))
    export = sub.add_parser(
        "export",
        parents=[common, with_db],
        help=_("write a meeting briefing (Markdown or HTML)"),
        description=_(
            "Write a briefing of a meeting: facts, every item with Indstilling, "
            "Beslutning, my notes, related earlier decisions, attachments and source pages."
        ),
    )
    export.add_argument(
        "meeting", nargs="+", metavar=_("MEETING"), help=_('a meeting id or "council date"')
    )
    export.add_argument(
        "--format",
        choices=["md", "html"],
        default="md",
        help=_("md: Markdown; html: one self-contained, printable file"),
    )
    export.add_argument("-o", "--output", metavar=_("FILE"), help=_("write to FILE, not stdout"))
    notes = sub.add_parser(
        "notes", parents=[common, with_db], help=_("list my notes (optionally matching QUERY)")
    )
    notes.add_argument("query", nargs="*", metavar=_("QUERY"))
    notes.add_argument("--json", action="store_true", help=_("print as JSON"))
    new = sub.add_parser(
        "new", parents=[common, with_db], help=_("items new or changed since I last looked")
    )
    new.add_argument("--json", action="store_true", help=_("print as JSON"))


class NoDataError(LookupError):
    """A command that reads documents found no database; the message says how to get one."""


def no_data_message(parser: argparse.ArgumentParser) -> str:
    """How to get documents on a machine that has none yet.

    Never names the database path: on a fresh install the user did not choose it and it
    means nothing to them (``kkr-tui locate`` shows it). ``kkr-tui sync`` is offered only
    when this build has it.
    """
    ways = [_("open the reader once (`kkr-tui`) to load the bundled sample documents")]
    if "sync" in _command_names(parser):
        ways.append(_("fetch KL's documents with `kkr-tui sync`"))
    ways.append(_("store your own with `kkr-tui ingest FOLDER`"))
    return _("kkr-tui: no documents yet: {ways}").format(ways=_(", or ").join(ways))


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _open_existing(
    args: argparse.Namespace, parser: argparse.ArgumentParser, *, writes: bool = False
) -> Any:
    """The existing database, opened read-only unless the command writes (``writes``)."""
    from kkr_tui.paths import database_is_read_only
    from kkr_tui.store import Store

    db = _db_path(args)
    if not db.exists():
        raise NoDataError(no_data_message(parser))
    if writes:
        return Store(db, read_only=database_is_read_only(db))
    # Reading never writes: a database made or copied elsewhere is read as it is (no
    # claiming of its id, no schema additions). Only an older schema, which must be
    # migrated to be read at all, is opened for writing, where that is allowed.
    from kkr_tui.store.errors import SchemaTooOldError

    try:
        return Store(db, read_only=True)
    except SchemaTooOldError:
        if database_is_read_only(db):
            raise
        return Store(db)


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def _cmd_related(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import dataclasses

    from kkr_tui.meetingwork.citation import citation
    from kkr_tui.meetingwork.lookup import find_item
    from kkr_tui.meetingwork.related import related_items

    store = _open_existing(args, parser)
    try:
        item_id = find_item(store, " ".join(args.item))
        source = store.item(item_id)
        found = related_items(store, item_id)
    finally:
        store.close()
    if args.json:
        _print_json(
            {
                "item": {
                    "id": source.id,
                    "citation": citation(
                        source.council,
                        source.meeting_date,
                        source.number,
                        source.case_number,
                        source.title,
                    ),
                },
                "related": [dataclasses.asdict(r) for r in found],
            }
        )
        return EXIT_OK
    print(
        printable(
            citation(
                source.council, source.meeting_date, source.number, source.case_number, source.title
            )
        )
    )
    if not found:
        print(_("no related items"), file=sys.stderr)
    for rel in found:
        why = _("same case") if rel.reason == "case" else _("same topic")
        print(
            printable(
                f"  {rel.council}  {_date(rel.meeting_date)}  {rel.number}  {rel.title}  ({why})"
            )
        )
    return EXIT_OK


def _cmd_decisions(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.meetingwork.decisions_report import decisions_lines, decisions_payload
    from kkr_tui.meetingwork.lookup import find_meeting

    store = _open_existing(args, parser)
    try:
        payload = decisions_payload(store, find_meeting(store, " ".join(args.meeting)))
    finally:
        store.close()
    if args.json:
        _print_json(payload)
    else:
        for line in decisions_lines(payload):
            print(printable(line))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.meetingwork.briefing import briefing
    from kkr_tui.meetingwork.lookup import find_meeting

    store = _open_existing(args, parser)
    try:
        text = briefing(store, find_meeting(store, " ".join(args.meeting)), args.format)
    finally:
        store.close()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(printable(_("wrote {path}").format(path=args.output)), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_notes(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import dataclasses

    store = _open_existing(args, parser)
    try:
        query = " ".join(args.query)
        if query:
            hits = store.search_notes(query, limit=1000)
            rows = [(h.note, h.item_id) for h in hits]
        else:
            rows = store.notes_with_items()
    finally:
        store.close()
    if args.json:
        _print_json([{**dataclasses.asdict(n), "item_id": i} for n, i in rows])
        return EXIT_OK
    if not rows:
        print(_("no notes"), file=sys.stderr)
    for note, item_id in rows:
        a = note.anchor
        # TRANSLATORS: a note whose item is no longer stored (the reader says the same)
        gone = "" if item_id is not None else "  (" + _("no item") + ")"
        print(
            printable(f"{a.council}  {_date(a.meeting_date or None)}  {a.number}  {a.title}{gone}")
        )
        for line in note.text.splitlines():
            print(printable(f"    {line}"))
    return EXIT_OK


def _cmd_new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import dataclasses

    store = _open_existing(args, parser, writes=True)
    try:
        store.detect_changes()
        changes = store.changed_items()
    finally:
        store.close()
    if args.json:
        _print_json([dataclasses.asdict(c) for c in changes])
        return EXIT_OK
    if not changes:
        print(_("nothing new since you last looked"), file=sys.stderr)
    for c in changes:
        kind = _("new") if c.kind == "new" else _("changed")
        print(printable(f"{kind:<7} {c.council}  {_date(c.meeting_date)}  {c.number}  {c.title}"))
    return EXIT_OK
