"""``kkr-tui sync``: the command-line front of :mod:`kkr_tui.sync.run`.

Prints one line per thing that happened (Danish, like the rest of sync's text) and a
summary; on a terminal a progress line is drawn on stderr. Exit codes as every
command: 0 all went well, 1 something failed (the rest still stored) or the site
could not be reached, 2 usage, 130 Ctrl+C (what was stored stays; the download in
flight is removed; a second Ctrl+C stops at once).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kkr_tui.i18n import _, ngettext

if TYPE_CHECKING:
    from kkr_tui.sync.run import SyncEvent

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def add_parser(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """The ``sync`` subcommand's arguments."""
    from kkr_tui.sync.councils import COUNCILS

    sync = sub.add_parser(
        "sync",
        parents=parents,
        help=_("fetch new agendas, minutes and bilag from KL's pages"),
        description=_(
            "Fetch agendas, minutes and bilag from the KKR councils' pages at KL and "
            "store the new ones in the database. Files already known are not fetched again."
        ),
    )
    sync.add_argument(
        "--council",
        nargs="+",
        metavar=_("NAME"),
        help=_("only these councils ({councils}); default: all five").format(
            councils=", ".join(COUNCILS)
        ),
    )
    sync.add_argument(
        "--since",
        type=int,
        metavar=_("YEAR"),
        help=_("only meetings from {year} on").format(year=_("YEAR")),
    )
    sync.add_argument("--base-url", metavar="URL", help=_("read a mirror instead of www.kl.dk"))
    sync.add_argument(
        "--dry-run", action="store_true", help=_("show what would be fetched; nothing is stored")
    )
    sync.add_argument(
        "--json",
        action="store_true",
        help=_("print one JSON object per result, then a summary object (JSON Lines)"),
    )


def run(args: argparse.Namespace) -> int:
    """Run ``kkr-tui sync`` with parsed arguments; returns the exit code."""
    from kkr_tui.paths import config_path, database_path
    from kkr_tui.sync.config import COUNCILS, check_base_url, council_slug, load_sync_config

    slugs = list(COUNCILS)
    if args.council:
        slugs = []
        for name in args.council:
            slug = council_slug(name)
            if slug is None:
                _err(
                    "kkr-tui sync: "
                    + _("unknown council {name!r} (choose from {names})").format(
                        name=name, names=", ".join(COUNCILS)
                    )
                )
                return EXIT_USAGE
            if slug not in slugs:
                slugs.append(slug)
    config = load_sync_config(config_path())
    for problem in config.problems:
        _err(f"kkr-tui sync: config: {problem}")
    if args.base_url:
        why = check_base_url(args.base_url)
        if why:
            _err(f"kkr-tui sync: --base-url: {why}")
            return EXIT_USAGE
        config = config.with_base_url(args.base_url)
    db = database_path(getattr(args, "db", None))
    root = config.download_dir or db.parent / "downloads"
    return _sync(args, config, slugs, db, Path(os.path.abspath(root)))


def _sync(args: argparse.Namespace, config: Any, slugs: list[str], db: Path, root: Path) -> int:
    from kkr_tui.interrupts import FirstInterruptAsksToStop
    from kkr_tui.output import MigrationReporter, failure_json, print_json_line
    from kkr_tui.store import Store
    from kkr_tui.sync.client import PoliteClient, SyncCancelled
    from kkr_tui.sync.robots import CACHE_NAME as ROBOTS_CACHE
    from kkr_tui.sync.run import SiteUnreachable, SyncSummary, apply, fetch_pages

    reporter = _Reporter(as_json=args.json)
    cancel = threading.Event()
    store: Store | None = None
    if db.exists():
        store = Store(db, read_only=args.dry_run, on_migrate=MigrationReporter(db))
    try:
        stop_note = _("stopping; what was stored stays (Ctrl+C again to stop now)")
        with (
            PoliteClient(config, cancel=cancel) as client,
            FirstInterruptAsksToStop(
                cancel, reporter.note, stop_note, stop_waiting=client.stop_waiting
            ),
        ):
            try:
                states = store.page_states() if store is not None else {}
                cache = None if args.dry_run else root / ROBOTS_CACHE
                pages = fetch_pages(client, config, slugs, states, reporter, robots_cache=cache)
            except SiteUnreachable as error:
                reporter.finish()
                _err(f"kkr-tui sync: {error}")
                if args.json:
                    failure = failure_json(error.error.failure, error.error.reason)
                    print_json_line(
                        SyncSummary().as_json(error={**failure, "host": error.error.host})
                    )
                return EXIT_FAILED
            except SyncCancelled:
                reporter.finish()
                if args.json:
                    print_json_line(SyncSummary(cancelled=True).as_json())
                else:
                    print(_("interrupted; nothing was stored"))
                return EXIT_INTERRUPTED
            if store is None:
                if args.dry_run:
                    _print_dry_run(pages, args.since, args.json)
                    return EXIT_OK
                db.parent.mkdir(parents=True, exist_ok=True)
                store = Store(db)
            summary = apply(
                store,
                client,
                config,
                pages,
                download_root=root,
                since=args.since,
                dry_run=args.dry_run,
                progress=reporter,
                cancel=cancel,
            )
        reporter.finish()
        if args.json:
            print_json_line(summary.as_json())
        elif summary.other_hosts:
            print(
                ngettext(
                    "{n} link to another host was not followed",
                    "{n} links to other hosts were not followed",
                    summary.other_hosts,
                ).format(n=summary.other_hosts)
            )
        if summary.cancelled:
            if not args.json:
                print(summary.line() + " " + _("(interrupted)"))
            return EXIT_INTERRUPTED
        if not args.json:
            print(summary.line())
        return EXIT_FAILED if summary.any_failed else EXIT_OK
    finally:
        if store is not None:
            store.close()


def _print_dry_run(pages: list[Any], since: int | None, as_json: bool = False) -> None:
    """``--dry-run`` with no database yet: every link would be fetched."""
    from kkr_tui.failure_words import describe_sync
    from kkr_tui.model import SyncFailure
    from kkr_tui.output import print_json_line, printable
    from kkr_tui.sync.run import SyncLine, SyncSummary

    summary = SyncSummary()
    for page in pages:
        summary.pages += 1
        if page.error is not None:
            summary.pages_failed += 1
            line = SyncLine(
                "failed", page.url, page.error.reason, True, page.error.failure, page.url
            )
        else:
            line = None
        lines = [line] if line is not None else []
        for link in page.links if page.error is None else ():
            year = link.block.year if link.block else None
            if since is not None and year is not None and year < since:
                continue
            subject = f"{link.title}  ({link.url})"
            if link.block is not None:
                lines.append(SyncLine("would_fetch", subject, url=link.url))
                continue
            # Outside every meeting block (footer, policy): as a real run says it.
            summary.skipped += 1
            outside = SyncFailure("outside_blocks")
            lines.append(
                SyncLine("skipped", subject, describe_sync(outside), failure=outside, url=link.url)
            )
        for one in lines:
            if as_json:
                print_json_line(one.as_json())
            elif one.failed:
                print(printable(f"{one.word:<13} {page.url}: {one.reason}"))
            else:
                print(printable(one.text()))
    if as_json:
        print_json_line(summary.as_json())


def _err(text: str) -> None:
    from kkr_tui.output import printable

    print(printable(text), file=sys.stderr, flush=True)


class _Reporter:
    """Result lines on stdout; on a terminal a progress line on stderr, cleared first."""

    def __init__(self, *, as_json: bool = False) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False
        #: ``--json``: each line as a JSON object (JSON Lines) instead of words.
        self.as_json = as_json

    def __call__(self, event: SyncEvent) -> None:
        from kkr_tui.output import print_json_line, printable

        if event.line is not None:
            self._clear()
            if self.as_json:
                print_json_line(event.line.as_json())
            else:
                print(printable(event.line.text()), flush=True)
        if not self.tty:
            return
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        count = f"{event.done}/{event.total} " if event.total else ""
        pages = f" s. {event.page}/{event.pages}" if event.pages > 1 else ""
        text = printable(f"{count}{event.current}{pages}")[: width - 1]
        sys.stderr.write("\r\x1b[K" + text)
        sys.stderr.flush()
        self.shown = True

    def _clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False

    def note(self, text: str) -> None:
        """A message between result lines."""
        self._clear()
        print(text, file=sys.stderr, flush=True)

    def finish(self) -> None:
        """Remove the progress line before the summary."""
        self._clear()
