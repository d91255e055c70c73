"""The ``kkr-tui`` command: open the app, or ingest, parse, search and locate headlessly.

Every heavy import (pypdf, sqlite_utils, rapidfuzz, Textual) happens inside the
command that needs it, so ``kkr-tui --version`` and the path to the app's first frame
stay fast. A plain ``kkr-tui search`` line is read without argparse
(:func:`_plain_search`): argparse, gettext and the catalogue its help texts are looked
up in were ~6 ms of a one-off search. Exit codes: 0 all went well, 1 some file failed
(the rest were still handled), 2 usage error (argparse's own), 130 interrupted.
Tracebacks only with ``--debug``; otherwise one line naming the file and the reason.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kkr_tui import __version__
from kkr_tui.i18n import N_, _, ngettext
from kkr_tui.output import (
    IngestReporter,
    MigrationReporter,
    ingest_summary_json,
    print_json,
    print_json_line,
    printable,
)

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


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
    import argparse

    setattr(argparse, "_", _)  # noqa: B010 - argparse reads its module global at call time
    setattr(argparse, "ngettext", ngettext)  # noqa: B010


def _count(minimum: int) -> Any:
    """An argparse type for whole numbers of at least ``minimum`` (a bad one exits 2)."""

    def convert(text: str) -> int:
        import argparse

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


@cache
def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser with a formatter told the width instead of asking shutil for it
    (its subcommands' parsers use it too); made on first use, so a line that needs no
    argparse (:func:`_plain_search`) never imports it.

    argparse makes a formatter for every argument it adds (to check its metavar), and
    each asks ``shutil.get_terminal_size``: importing shutil (with its archive helpers)
    was most of what building a command's parser cost. The width is the same
    (:func:`kkr_tui.quickhelp.columns` is what shutil answers, less the 2 argparse
    takes), so help reads as before."""
    import argparse

    class Formatter(argparse.HelpFormatter):
        def __init__(
            self,
            prog: str,
            indent_increment: int = 2,
            max_help_position: int = 24,
            width: int | None = None,
        ) -> None:
            if width is None:
                from kkr_tui.quickhelp import columns

                width = columns() - 2
            super().__init__(prog, indent_increment, max_help_position, width)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", Formatter)
            super().__init__(*args, **kwargs)

    return Parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``--db`` and ``--debug`` work before or after the subcommand.

    With ``command``, only that subcommand's arguments are built: a one-off
    ``kkr-tui search`` parses its line without building the other ten commands (their
    help texts are looked up in the catalogue one by one). It then parses that command's
    lines exactly as the whole parser does; anything else needs the whole parser."""
    import argparse

    _translate_argparse()
    make = _parser_class()
    common = make(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=_("show tracebacks")
    )
    with_db = make(add_help=False)
    with_db.add_argument(
        "--db",
        metavar=_("PATH"),
        default=argparse.SUPPRESS,
        help=_("database file (default: $KKR_TUI_DB, else the user data folder)"),
    )

    parser = make(
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
    parents: list[argparse.ArgumentParser] = [common, with_db]
    for name, add in COMMANDS.items():
        if command is None or name == command:
            add(sub, parents)
    return parser


def laid_out_help(language: str, width: int) -> str:
    """The top-level help of ``language`` as argparse prints it on ``width`` columns
    (what :mod:`kkr_tui.quickhelp` serves; ``python tools/i18n.py`` writes it)."""
    import argparse

    from kkr_tui.i18n import language as current
    from kkr_tui.i18n import set_language

    before = current()
    set_language(language)
    try:
        parser = build_parser()
        # argparse lays help out on the terminal's columns less 2 (HelpFormatter).
        parser.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=width - 2)
        return parser.format_help()
    finally:
        set_language(before)


def _json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: the command's records as JSON instead of lines (one wording for all)."""
    parser.add_argument("--json", action="store_true", help=_("print as JSON"))


def _meeting_argument(parser: argparse.ArgumentParser) -> None:
    """MEETING: a meeting id or "council date", as decisions and export take it."""
    parser.add_argument(
        "meeting", nargs="+", metavar=_("MEETING"), help=_('a meeting id or "council date"')
    )


def _add_ingest(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    ingest = sub.add_parser(
        "ingest",
        parents=parents,
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
    ingest.add_argument(
        "--json",
        action="store_true",
        help=_("print one JSON object per file, then a summary object (JSON Lines)"),
    )


def _add_parse(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    parse = sub.add_parser(
        "parse",
        parents=parents[:1],  # no --db: nothing is stored
        help=_("parse one document and print it (nothing is stored)"),
        description=_("Parse one document and print an outline, or JSON with --json."),
    )
    parse.add_argument("file", metavar=_("FILE"), help=_("a .pdf or .txt file"))
    parse.add_argument("--json", action="store_true", help=_("print the meeting as JSON"))


def _add_search(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    search = sub.add_parser(
        "search",
        parents=parents,
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


def _add_sync(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    from kkr_tui.sync.command import add_parser as add_sync_parser

    add_sync_parser(sub, parents)


def _add_locate(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "locate",
        parents=parents,
        help=_("print where the database, config, samples and styles are"),
        description=_(
            "Print where kkr-tui keeps its files: the database, the config file, the data "
            "and cache folders, the log, the sample documents and the styles; and what is "
            "wrong in the config file, if anything."
        ),
    )


def _command_word(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names when that is plain without argparse: after only
    ``--debug``, ``--read-only`` and ``--db PATH``. None for anything else (no command,
    ``--help``, an abbreviated or unknown option, an unknown command), which the whole
    parser reads, so its answers and errors stay argparse's own."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("--debug", "--read-only") or word.startswith("--db="):
            i += 1
        elif word == "--db":
            i += 2
        elif word in COMMANDS:
            return word
        else:
            return None
    return None


#: The search's own options that take no value, and the ones that take one.
_SEARCH_FLAGS = {"--json": ("json", True), "--debug": ("debug", True)}
_SEARCH_VALUES = ("--db", "--limit", "-n")


def _plain_search(words: Sequence[str]) -> Any | None:
    """The arguments of a plain ``search`` line, read as argparse reads them, without
    argparse; None for any other line, which argparse then reads (so its help, answers
    and errors stay its own).

    Plain: the top-level ``--debug``, ``--read-only`` and ``--db PATH``, ``search``, then
    the query's words in one run with, before or after them, ``--json``, ``--debug``,
    ``--db PATH`` and ``--limit N`` / ``-n N`` (``--db=PATH``, ``--limit=N`` too), N a
    whole number of at least 1. Anything else (an abbreviated or unknown option, a word
    starting with ``-``, options between the words, a bad N) goes to argparse.
    tests/test_cli_plain_search.py holds the two readings equal."""
    values: dict[str, Any] = {"read_only": False}
    i = 0
    while words[i] != "search":  # _command_word checked what comes before
        word = words[i]
        if word == "--db":
            if words[i + 1].startswith("-"):
                return None  # argparse: "expected one argument"
            values["db"] = words[i + 1]
            i += 2
            continue
        if word.startswith("--db="):
            values["db"] = word[len("--db=") :]
        elif word == "--debug":
            values["debug"] = True
        else:
            values["read_only"] = True
        i += 1
    values |= {"command": "search", "json": False, "limit": 20}
    query: list[str] = []
    ended = False  # the query's words have been followed by an option
    rest = list(words[i + 1 :])
    while rest:
        word = rest.pop(0)
        if not word.startswith("-"):
            if ended:
                return None
            query.append(word)
            continue
        ended = bool(query)
        name, equals, given = word.partition("=")
        if not equals and word in _SEARCH_FLAGS:
            key, flag = _SEARCH_FLAGS[word]
            values[key] = flag
            continue
        if name not in _SEARCH_VALUES or (equals and name == "-n"):
            return None
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None
            given = rest.pop(0)
        if name == "--db":
            values["db"] = given
            continue
        try:
            limit = int(given)
        except ValueError:
            return None
        if limit < 1:
            return None
        values["limit"] = limit
    if not query:
        return None
    values["query"] = query
    from types import SimpleNamespace

    return SimpleNamespace(**values)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see module docstring)."""
    words = sys.argv[1:] if argv is None else list(argv)
    command = _command_word(words)
    args = _plain_search(words) if command == "search" else None
    # A plain search needs no parser: it is only ever handed on (no_data_message).
    parser: Any = None
    if args is None:
        parser = build_parser(command)
        args = parser.parse_args(words)
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
        if _is_store_error(error) or type(error) is LookupError:
            # What the user named is not there (a meeting, an item): one line.
            print(printable(f"kkr-tui: {error}"), file=sys.stderr)
            return EXIT_FAILED
        named = f"{type(error).__name__}: {error}"  # a bug: its type helps the report
        print(printable(_("kkr-tui: error: {error}").format(error=named)), file=sys.stderr)
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
    store = Store(db, verify=True, on_migrate=MigrationReporter(db))
    try:
        if not paths:
            paths, missing = stale_paths(store)
            # With --json, stdout holds only JSON lines: these notes go to stderr.
            notes = sys.stderr if args.json else sys.stdout
            if missing:
                print(
                    ngettext(
                        "{n} stored document no longer exists on disk; skipped",
                        "{n} stored documents no longer exist on disk; skipped",
                        missing,
                    ).format(n=missing),
                    file=notes,
                )
            if not paths:
                print(_("nothing to reparse"), file=notes)
                if args.json:
                    print_json_line(ingest_summary_json({}, interrupted=False))
                return EXIT_OK
        from kkr_tui.interrupts import FirstInterruptAsksToStop

        reporter = IngestReporter(debug=getattr(args, "debug", False), as_json=args.json)
        cancel = threading.Event()
        with FirstInterruptAsksToStop(
            cancel,
            reporter.note,
            _("stopping; nothing half-read is stored (Ctrl+C again to stop now)"),
        ):
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
                if args.json:
                    print_json_line(ingest_summary_json(reporter.counts, interrupted=True))
                else:
                    print(reporter.summary_line() + " (" + _("interrupted") + ")")
                return EXIT_INTERRUPTED
        reporter.finish()
        if args.json:
            counts = {status: summary.count(status) for status in reporter.counts}
            print_json_line(
                ingest_summary_json(
                    counts,
                    interrupted=summary.cancelled,
                    stopped=summary.stop_cause,
                    stopped_text=summary.stopped,
                )
            )
        elif summary.cancelled:
            print(summary.line() + " (" + _("interrupted") + ")")
        else:
            print(summary.line())
        if summary.cancelled:
            return EXIT_INTERRUPTED
        return EXIT_FAILED if summary.failed else EXIT_OK
    finally:
        store.close()


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
        failure = parsed.failure
        if args.json and failure is not None:  # the stable cause, for scripts
            print_json({"file": args.file, "error": {**failure.as_json(), "text": parsed.reason}})
        if getattr(args, "debug", False):
            from kkr_tui.failure_words import technical

            detail = technical(failure) if failure is not None else ""
            for text in (detail, parsed.detail.rstrip()):
                if text:
                    print(text, file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        from kkr_tui.serialize import meeting_to_dict

        print_json(meeting_to_dict(parsed.meeting))
    else:
        from kkr_tui.output import format_outline

        print(format_outline(parsed.meeting))
    return EXIT_OK


# --- search ------------------------------------------------------------------------------


def _cmd_search(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    db = _db_path(args)
    if not db.exists():
        print(no_data_message(parser), file=sys.stderr)
        return EXIT_FAILED
    from kkr_tui.search import SearchIndex

    query = " ".join(args.query)
    store = _open_reading(db)
    try:
        # A one-off search exits at once: no giving memory back (SearchIndex).
        index = SearchIndex(store, give_back_memory=False)
        answer = index.answer(query, limit=args.limit, bilag=True)
    finally:
        store.close()
    hits = answer.hits
    for problem in answer.problems:
        print(printable(problem.message()), file=sys.stderr)
    if args.json:
        print_json([hit.as_json() for hit in hits])
        return EXIT_USAGE if answer.problems else EXIT_OK
    if answer.problems:
        return EXIT_USAGE
    if not hits:
        print(_("no matches"), file=sys.stderr)
        return EXIT_OK
    from kkr_tui.output import hit_lines

    for line in hit_lines(hits):
        print(line)
    return EXIT_OK


# --- sync --------------------------------------------------------------------------------


def _cmd_sync(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.sync.command import run

    return run(args)


# --- locate ------------------------------------------------------------------------------


def _print_config_problems(config: Path) -> None:
    """One line for each thing wrong in the config file (a key bound twice, an unknown
    name in ``[keymap]``), as the reader would report it when it opens."""
    if not config.is_file():
        return
    from kkr_tui.app.actions import keymap_problems
    from kkr_tui.app.config import load_config

    loaded = load_config(config)
    for problem in loaded.problems + keymap_problems(loaded.keymap):
        print(printable(f"{config}: {problem}"))


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
    _print_config_problems(paths.config_path())
    return EXIT_OK


# --- meeting work: related, export, notes, new -------------------------------------------


def _add_related(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    related = sub.add_parser(
        "related",
        parents=parents,
        help=_("items in other meetings on the same case or topic"),
        description=_(
            "List, newest first, items of other meetings (any council) on the same "
            "topic: the same item-specific case number, or items whose text says much "
            "the same (the rarer words they share count most)."
        ),
    )
    related.add_argument(
        "item", nargs="+", metavar=_("ITEM"), help=_('an item id or "council date number"')
    )
    _json_option(related)


def _add_decisions(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    decisions = sub.add_parser(
        "decisions",
        parents=parents,
        help=_("how each item of a meeting was decided; ⚠ where it departs"),
        description=_(
            "Read every Beslutning of a meeting against its Indstilling: ⚠ only "
            "where the council did something other than recommended, ? where the text does "
            "not settle it."
        ),
    )
    _meeting_argument(decisions)
    _json_option(decisions)


def _add_export(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export",
        parents=parents,
        help=_("write a meeting briefing (Markdown or HTML)"),
        description=_(
            "Write a briefing of a meeting: facts, every item with Indstilling, "
            "Beslutning, my notes, related earlier decisions, attachments and source pages."
        ),
    )
    _meeting_argument(export)
    export.add_argument(
        "--format",
        choices=["md", "html"],
        default="md",
        help=_("md: Markdown; html: one self-contained, printable file"),
    )
    export.add_argument("-o", "--output", metavar=_("FILE"), help=_("write to FILE, not stdout"))


def _add_notes(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    notes = sub.add_parser(
        "notes",
        parents=parents,
        help=_("list my notes (optionally matching QUERY)"),
        description=_(
            "List my notes under the item each is on; with QUERY only the notes whose "
            "text or item title contains all of its words."
        ),
    )
    notes.add_argument(
        "query",
        nargs="*",
        metavar=_("QUERY"),
        help=_("words the note or its item title must contain"),
    )
    _json_option(notes)


def _add_new(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    new = sub.add_parser(
        "new",
        parents=parents,
        help=_("items new or changed since I last looked"),
        description=_(
            "List items that are new, or whose text changed, since I last looked at them "
            "in the reader; under a changed item, the parts that differ with their changed "
            "words."
        ),
    )
    _json_option(new)


#: Every subcommand and what adds it to the parser, in the order ``--help`` lists them.
COMMANDS: dict[str, Callable[[Any, list[argparse.ArgumentParser]], None]] = {
    "ingest": _add_ingest,
    "parse": _add_parse,
    "search": _add_search,
    "related": _add_related,
    "decisions": _add_decisions,
    "export": _add_export,
    "notes": _add_notes,
    "new": _add_new,
    "sync": _add_sync,
    "locate": _add_locate,
}


class NoDataError(LookupError):
    """A command that reads documents found no database; the message says how to get one."""


def no_data_message(parser: argparse.ArgumentParser) -> str:
    """How to get documents on a machine that has none yet.

    Never names the database path: on a fresh install the user did not choose it and it
    means nothing to them (``kkr-tui locate`` shows it). ``kkr-tui sync`` is offered only
    when this build has it.
    """
    ways = [_("open the reader once (`kkr-tui`) to load the bundled sample documents")]
    if "sync" in COMMANDS:
        ways.append(_("fetch KL's documents with `kkr-tui sync`"))
    ways.append(_("store your own with `kkr-tui ingest FOLDER`"))
    return _("kkr-tui: no documents yet: {ways}").format(ways=_(", or ").join(ways))


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
        if database_is_read_only(db):
            return Store(db, read_only=True)
        return _open_or_read_as_is(db)
    return _open_reading(db)


def _open_or_read_as_is(db: Path) -> Any:
    """``db`` writable for a command that reads and records (``new``); an older archive
    that cannot be upgraded now is read as it is, read-only, as the reader does: one
    line on stderr names the archive and why, then the command answers from it."""
    from kkr_tui.store import open_or_read_as_is

    store, problem = open_or_read_as_is(db, on_migrate=MigrationReporter(db))
    if problem is not None:
        print(printable(_unupgraded_line(db, problem)), file=sys.stderr)
    return store


def _unupgraded_line(db: Path, problem: Exception) -> str:
    """Why a reading command reads an older archive as it is: another program writing
    it, no room to upgrade it, or an upgrade that refused to go on."""
    from kkr_tui.store import StoreBusyError

    if isinstance(problem, StoreBusyError):
        return _(
            "{path}: another program is writing the archive, so it cannot be upgraded now; "
            "it is read as it is, read-only"
        ).format(path=db)
    return _("{reason}; meanwhile the archive is read as it is, read-only").format(
        reason=str(problem).rstrip(".")
    )


def _open_reading(db: Path) -> Any:
    """``db`` for a reading command. Reading never writes: a database made or copied
    elsewhere is read as it is (no claiming of its id, no schema additions). Only an
    older schema, which must be migrated to be read at all, is opened for writing,
    where that is allowed (else its one line says what to do)."""
    from kkr_tui.store import Store
    from kkr_tui.store.errors import SchemaTooOldError

    try:
        return Store(db, read_only=True)
    except SchemaTooOldError:
        from kkr_tui.paths import database_is_read_only

        if database_is_read_only(db):
            raise
        return _open_or_read_as_is(db)


def _cmd_related(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:

    from kkr_tui.meetingwork.lookup import find_item
    from kkr_tui.meetingwork.related import related_items

    store = _open_existing(args, parser)
    try:
        item_id = find_item(store, " ".join(args.item))
        source = store.item(item_id)
        found = related_items(store, item_id)
    finally:
        store.close()
    from kkr_tui.output import related_lines
    from kkr_tui.wording import citation

    cited = citation(
        source.council, source.meeting_date, source.number, source.case_number, source.title
    )
    if args.json:
        print_json(
            {
                "item": {"id": source.id, "citation": cited},
                "related": [r.as_json() for r in found],
            }
        )
        return EXIT_OK
    print(printable(cited))
    if not found:
        print(_("no related items"), file=sys.stderr)
    for line in related_lines(found):
        print(line)
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
        print_json(payload)
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
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            print(printable(_output_failure(args.output, error)), file=sys.stderr)
            return EXIT_FAILED
        print(printable(_("wrote {path}").format(path=args.output)), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _output_failure(path: str, error: OSError) -> str:
    """One line naming the file -o could not be written and why, in the user's words
    (a Python exception name and errno mean nothing to someone exporting a briefing)."""
    if isinstance(error, FileNotFoundError):
        reason = _("the folder does not exist")
    elif isinstance(error, IsADirectoryError):
        reason = _("is a folder")
    elif isinstance(error, NotADirectoryError):
        reason = _("part of the path is not a folder")
    elif isinstance(error, PermissionError):
        reason = _("permission denied")
    else:
        reason = error.strerror or str(error)
    return _("kkr-tui: cannot write {path}: {reason}").format(path=path, reason=reason)


def _cmd_notes(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.record import asdict

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
        print_json([{**asdict(n), "item_id": i} for n, i in rows])
        return EXIT_OK
    if not rows:
        print(_("no notes"), file=sys.stderr)
    from kkr_tui.output import note_lines

    for line in note_lines(rows):
        print(line)
    return EXIT_OK


def _cmd_new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kkr_tui.meetingwork.changes import whats_new

    store = _open_existing(args, parser, writes=True)
    try:
        store.detect_changes()
        changes = whats_new(store)
    finally:
        store.close()
    if args.json:
        from kkr_tui.output import change_json

        print_json(
            [
                {**c.as_json(), "change": change_json(d) if c.kind == "changed" else None}
                for c, d in changes
            ]
        )
        return EXIT_OK
    if not changes:
        print(_("nothing new since you last looked"), file=sys.stderr)
    from kkr_tui.output import change_lines

    for line in change_lines(changes):
        print(line)
    return EXIT_OK
