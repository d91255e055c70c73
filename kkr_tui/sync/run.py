"""A whole sync: council pages -> manifest -> downloads -> the ingest pipeline.

Two steps, so that an unreachable site changes nothing: :func:`fetch_pages` only
reads (the pages, conditionally), and raises :class:`SiteUnreachable` when no page
could be reached at all; :func:`apply` then records the links in the store's
manifest, downloads what is new, and hands every new agenda and minutes to
:func:`kkr_tui.ingest.ingest_paths` (one transaction per document, replacement of a
re-uploaded version, result per file), so the parsed document decides council, date
and type. A linked PDF in a meeting block that the parser rejects is kept as a bilag
of that meeting; one outside any block is skipped with a line, never a failure.

What is known is never asked for again: a link with its file in place costs no
request (KL gives a re-uploaded file a new URL), and a page that answers 304 is read
from the manifest. Progress goes to a callback as :class:`SyncEvent`; cancelling (a
:class:`threading.Event`) stops at the next chunk or page, keeping what was stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kkr_tui.failure_words import describe_sync
from kkr_tui.i18n import N_, _, ngettext
from kkr_tui.ingest_types import is_not_a_meeting
from kkr_tui.model import FileFailure, SyncFailure
from kkr_tui.reason_codes import encode
from kkr_tui.sync.client import Disallowed, FetchError, PoliteClient, SyncCancelled, Validators
from kkr_tui.sync.config import COUNCILS, SyncConfig
from kkr_tui.sync.discover import Block, PdfLink, parse_page
from kkr_tui.sync.download import download_pdf, file_name

if TYPE_CHECKING:
    from kkr_tui.ingest import IngestEvent, IngestSummary
    from kkr_tui.records import ManifestRow, PageState
    from kkr_tui.store import Store
    from kkr_tui.store.manifest import SeenLink


class SiteUnreachable(Exception):
    """No council page could be reached: offline, or the site is down or gone."""

    def __init__(self, error: FetchError) -> None:
        self.error = error
        if error.no_connection:
            # "www.kl.dk: ingen forbindelse (forbindelsen blev afvist)"
            text = f"{error.host}: {error.reason}"
        else:
            text = _("cannot reach {host}: {reason}").format(host=error.host, reason=error.reason)
        super().__init__(text)


#: The status of a result line, a stable code (``--json`` prints it), and its word.
STATUS_WORDS: dict[str, str] = {
    "fetched": N_("fetched"),
    "fetched_bilag": N_("fetched bilag"),
    "would_fetch": N_("would fetch"),
    "skipped": N_("skipped"),
    "gone": N_("gone"),
    "failed": N_("FAILED"),
    "added": N_("added"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "bilag": N_("bilag"),
    "bilag_read": N_("bilag read"),
    "bilag_unread": N_("bilag unread"),
}


@dataclass(frozen=True, slots=True)
class SyncLine:
    """One result line: a status (a code of :data:`STATUS_WORDS`), what it is about,
    and why (for failures and skips: ``reason`` in words, ``failure`` its code when
    there is one)."""

    status: str
    subject: str
    reason: str = ""
    failed: bool = False
    failure: FileFailure | SyncFailure | None = None
    #: The address the line is about, when it is about one ("" otherwise).
    url: str = ""

    @property
    def word(self) -> str:
        """The status in the user's language."""
        return _(STATUS_WORDS.get(self.status, self.status))

    def text(self) -> str:
        """``hentet  Dagsorden 17. april 2024  (https://…)`` as the CLI prints it."""
        why = f": {self.reason}" if self.reason else ""
        return f"{self.word:<13} {self.subject}{why}"

    def as_json(self) -> dict[str, Any]:
        """One ``kkr-tui sync --json`` result line (keys pinned by tests/test_json_shape.py):
        the status code, what it is about, and a failure as ``parse --json`` has one."""
        from kkr_tui.output import failure_json

        return {
            "type": "result",
            "status": self.status,
            "subject": self.subject,
            "url": self.url,
            "failed": self.failed,
            "text": self.reason,
            "failure": failure_json(self.failure, self.reason) if self.failure else None,
        }


@dataclass(frozen=True, slots=True)
class SyncEvent:
    """Progress: ``line`` when something finished; ``current`` names the work under way."""

    done: int
    total: int
    current: str = ""
    line: SyncLine | None = None
    page: int = 0
    pages: int = 0


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """A council page as fetched: its links, or "unchanged" (304), or an error."""

    slug: str
    url: str
    links: tuple[PdfLink, ...] = ()
    not_modified: bool = False
    validators: Validators = Validators()
    other_hosts: int = 0
    error: FetchError | None = None


@dataclass(slots=True)
class SyncSummary:
    """What a run did, counted; ``lines`` in the order they happened."""

    pages: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    downloaded: int = 0
    unchanged: int = 0
    bilag: int = 0
    skipped: int = 0
    gone: int = 0
    failed: int = 0
    other_hosts: int = 0
    not_tried: int = 0
    bilag_read: int = 0
    new_documents: list[str] = field(default_factory=list)
    ingest: IngestSummary | None = None
    cancelled: bool = False
    requests: int = 0
    bytes_received: int = 0
    lines: list[SyncLine] = field(default_factory=list)

    @property
    def any_failed(self) -> bool:
        """Something failed (a page, a download, a document): the CLI exits 1."""
        return bool(self.pages_failed or self.failed)

    def line(self) -> str:
        """The summary line of a run, in Danish."""
        text = _(
            "pages {pages} ({unchanged_pages} unchanged, {failed_pages} failed), "
            "fetched {fetched}, unchanged {unchanged}, bilag {bilag} ({read} read), "
            "skipped {skipped}, gone {gone}, failed {failed}"
        ).format(
            pages=self.pages,
            unchanged_pages=self.pages_unchanged,
            failed_pages=self.pages_failed,
            fetched=self.downloaded,
            unchanged=self.unchanged,
            bilag=self.bilag,
            read=self.bilag_read,
            skipped=self.skipped,
            gone=self.gone,
            failed=self.failed,
        )
        if self.ingest is not None:
            text += ", " + _("added {added}, updated {updated}").format(
                added=self.ingest.count("added"), updated=self.ingest.count("updated")
            )
            if self.ingest.stopped:  # a full disk or a damaged database ended the storing
                text = _("{counts}; stopped: {reason}").format(
                    counts=text, reason=self.ingest.stopped
                )
        return text

    def as_json(self, *, error: dict[str, Any] | None = None) -> dict[str, Any]:
        """The last line of ``kkr-tui sync --json``: the counts, how the run ended, and
        ``error`` (a failure as ``parse --json`` has one) when it could not run;
        ``stopped`` is why the store stopped taking documents, a code as ``ingest --json``
        has it (``disk_full``, ``damaged_database``), else null."""
        ingest = self.ingest
        return {
            "type": "summary",
            "pages": self.pages,
            "pages_unchanged": self.pages_unchanged,
            "pages_failed": self.pages_failed,
            "fetched": self.downloaded,
            "unchanged": self.unchanged,
            "bilag": self.bilag,
            "bilag_read": self.bilag_read,
            "skipped": self.skipped,
            "gone": self.gone,
            "failed": self.failed,
            "added": ingest.count("added") if ingest else 0,
            "updated": ingest.count("updated") if ingest else 0,
            "other_hosts": self.other_hosts,
            "requests": self.requests,
            "bytes_received": self.bytes_received,
            "interrupted": self.cancelled,
            "stopped": ingest.stop_cause if ingest else None,
            "error": error,
            "text": self.line(),
        }


Progress = Callable[[SyncEvent], None]


def now() -> str:
    """The time stamps of the manifest (UTC, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def fetch_pages(
    client: PoliteClient,
    config: SyncConfig,
    slugs: Sequence[str],
    states: dict[str, PageState],
    progress: Progress | None = None,
    *,
    robots_cache: Path | None = None,
) -> list[PageOutcome]:
    """Fetch each council's page (conditionally when it was fetched before).

    Raises :class:`SiteUnreachable` when not one page got an HTTP answer, before
    anything is written anywhere; a page that fails on its own is an outcome with its
    error, and the other councils go on. Once no connection could be made to a host,
    the client asks it nothing more (its later pages fail at once with the same
    reason), so an offline run costs one connection attempt, not one per council.

    First the robots.txt of each host is read (unless ``config.obey_robots`` is off;
    ``robots_cache`` keeps its last answer for a conditional request): a host whose
    robots.txt cannot be read (5xx, timeout) is treated as unreachable for the run.
    """
    if config.obey_robots:
        _read_robots(client, [config.page_url(slug) for slug in slugs], robots_cache)
    outcomes: list[PageOutcome] = []
    for index, slug in enumerate(slugs):
        url = config.page_url(slug)
        if progress is not None:
            progress(SyncEvent(index, len(slugs), f"{COUNCILS[slug]}: {url}"))
        state = states.get(url)
        known = Validators(state.etag, state.last_modified) if state else Validators()
        try:
            with client.get(url, known) as response:
                if response.status_code == 304:
                    outcomes.append(PageOutcome(slug, url, not_modified=True, validators=known))
                    continue
                with client.waiting():
                    response.read()
                found = parse_page(response.text, str(response.url))
                validators = Validators(
                    response.headers.get("etag"), response.headers.get("last-modified")
                )
                outcomes.append(
                    PageOutcome(slug, url, found.links, False, validators, found.other_hosts)
                )
        except FetchError as error:
            outcomes.append(PageOutcome(slug, url, error=error))
    errors = [o.error for o in outcomes if o.error is not None]
    if outcomes and len(errors) == len(outcomes) and all(e.unreachable for e in errors):
        raise SiteUnreachable(next((e for e in errors if e.no_connection), errors[0]))
    return outcomes


def _read_robots(client: PoliteClient, urls: list[str], cache: Path | None) -> None:
    """Read each host's robots.txt once; a host that cannot say is down for the run."""
    from kkr_tui.sync.client import host_of
    from kkr_tui.sync.robots import read_robots

    for url in urls:
        host = host_of(url)
        if host in client.robots or host in client.down:
            continue
        try:
            client.obey(read_robots(client, url, cache))
        except FetchError as error:
            client.down[host] = FetchError(error.url, error.failure, no_connection=True)


def _links_from_manifest(rows: list[ManifestRow]) -> tuple[PdfLink, ...]:
    """The links of a page that answered 304: as recorded when it last changed."""
    links = []
    for row in rows:
        if row.state == "gone":
            continue
        block = Block(row.block_key, row.block_label or "", row.year) if row.block_key else None
        kind = row.kind if row.kind in ("document", "bilag", "other") else "bilag"
        # kind is one of Kind's values (checked above); mypy does not narrow str by `in`.
        links.append(PdfLink(row.url, row.title, block, kind))  # type: ignore[arg-type]
    return tuple(links)


class _Run:
    """The state of one :func:`apply`: counts, lines and progress in one place."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.summary = SyncSummary()
        self.progress = progress
        self.total = total
        self.done = 0
        self.down_hosts: set[str] = set()

    def say(self, line: SyncLine, step: bool = True) -> None:
        self.summary.lines.append(line)
        if step:
            self.done += 1
        if self.progress is not None:
            self.progress(SyncEvent(self.done, self.total, "", line))

    def working(self, current: str, page: int = 0, pages: int = 0) -> None:
        if self.progress is not None:
            self.progress(SyncEvent(self.done, self.total, current, None, page, pages))


def apply(
    store: Store,
    client: PoliteClient,
    config: SyncConfig,
    pages: list[PageOutcome],
    *,
    download_root: Path,
    since: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SyncSummary:
    """Record, download and ingest what ``pages`` link to (see the module docstring).

    ``dry_run`` writes nothing and downloads nothing: the lines say what would happen.
    """
    cancel = cancel or client.cancel
    seen_at = now()
    plans: list[tuple[str, PdfLink]] = []
    claimed: set[str] = set()
    run = _Run(progress, 0)
    summary = run.summary
    for page in pages:
        summary.pages += 1
        if isinstance(page.error, Disallowed):
            summary.skipped += 1
            run.say(
                SyncLine(
                    "skipped",
                    f"{COUNCILS[page.slug]} {page.url}",
                    page.error.reason,
                    failure=page.error.failure,
                    url=page.url,
                )
            )
            continue
        if page.error is not None:
            summary.pages_failed += 1
            run.say(
                SyncLine(
                    "failed",
                    f"{COUNCILS[page.slug]} {page.url}",
                    page.error.reason,
                    True,
                    page.error.failure,
                    page.url,
                )
            )
            continue
        summary.other_hosts += page.other_hosts
        council = COUNCILS[page.slug]
        if page.not_modified:
            summary.pages_unchanged += 1
            links = _links_from_manifest(store.manifest(council))
        else:
            # A link on several pages (the site's footer) belongs to the first.
            links = tuple(link for link in page.links if link.url not in claimed)
            if not dry_run:
                gone = store.record_links(council, [_seen(link) for link in links], seen_at)
                summary.gone += len(gone)
                for url in gone:
                    run.say(SyncLine("gone", url, _("no longer on the page; kept"), url=url), False)
        claimed.update(link.url for link in links)
        plans.extend((page.slug, link) for link in links if _wanted(link, since))
    run.total = len(plans)
    to_ingest: dict[str, str] = {}
    try:
        for slug, link in plans:
            _one_link(run, store, client, config, slug, link, download_root, dry_run, to_ingest)
        if not dry_run:
            for page in pages:
                if page.error is None and not page.not_modified:
                    council = COUNCILS[page.slug]
                    store.record_page(
                        page.url,
                        council,
                        page.validators.etag,
                        page.validators.last_modified,
                        seen_at,
                    )
    except SyncCancelled:
        summary.cancelled = True
    if to_ingest and not dry_run and not summary.cancelled:
        _ingest(run, store, to_ingest, cancel)
    if not dry_run and not summary.cancelled:
        try:
            _read_bilag(run, store, plans, cancel, seen_at)
        except SyncCancelled:
            summary.cancelled = True
    summary.requests = client.requests
    summary.bytes_received = client.bytes_received
    return summary


def _seen(link: PdfLink) -> SeenLink:
    from kkr_tui.store.manifest import SeenLink

    block = link.block
    return SeenLink(
        link.url,
        block.key if block else None,
        block.label if block else None,
        block.year if block else None,
        link.title,
        link.kind,
    )


def _wanted(link: PdfLink, since: int | None) -> bool:
    if since is None or link.block is None or link.block.year is None:
        return True
    return link.block.year >= since


def _subject(title: str, url: str) -> str:
    return f"{title}  ({url})"


def _one_link(
    run: _Run,
    store: Store,
    client: PoliteClient,
    config: SyncConfig,
    slug: str,
    link: PdfLink,
    download_root: Path,
    dry_run: bool,
    to_ingest: dict[str, str],
) -> None:
    """Decide what one link needs and do it: nothing, a skip line, or a download."""
    summary = run.summary
    row = store.manifest_row(link.url)
    subject = _subject(link.title, link.url)
    if link.kind == "other":
        summary.skipped += 1
        if row is None or row.state == "new":
            outside = SyncFailure("outside_blocks")
            if not dry_run:
                store.set_link_state(link.url, "skipped", encode(outside))
            run.say(
                SyncLine("skipped", subject, describe_sync(outside), failure=outside, url=link.url)
            )
        else:
            run.done += 1
        return
    have_file = (
        row is not None
        and row.sha256 is not None
        and row.path is not None
        and Path(row.path).is_file()
    )
    if have_file and row is not None:
        if row.state in ("new", "failed") and row.kind == "document" and not dry_run:
            to_ingest[row.path or ""] = link.url
            return
        summary.unchanged += 1
        if row.state == "bilag":
            summary.bilag += 1
        run.done += 1
        return
    if dry_run:
        run.say(SyncLine("would_fetch", subject, url=link.url))
        return
    year = str(link.block.year) if link.block and link.block.year else "ukendt"
    target = download_root / slug / year / file_name(link.url)
    run.working(link.title)
    try:
        got = download_pdf(client, link.url, target, max_bytes=config.max_bytes)
    except Disallowed as error:
        # Left as it was (not failed): fetched once robots.txt allows it.
        summary.skipped += 1
        run.say(SyncLine("skipped", subject, error.reason, failure=error.failure, url=link.url))
        return
    except FetchError as error:
        if error.no_connection:
            _host_down(run, error)
            return
        summary.failed += 1
        store.set_link_state(link.url, "failed", encode(error.failure))
        run.say(SyncLine("failed", subject, error.reason, True, error.failure, link.url))
        return
    assert got.path is not None
    summary.downloaded += 1
    state = "bilag" if link.kind == "bilag" else "new"
    store.record_download(
        link.url,
        path=str(got.path),
        size=got.size,
        sha256=got.sha256,
        etag=got.validators.etag,
        last_modified=got.validators.last_modified,
        state=state,
    )
    if link.kind == "bilag":
        summary.bilag += 1
        run.say(SyncLine("fetched_bilag", subject, url=link.url))
    else:
        run.say(SyncLine("fetched", subject, url=link.url))
        to_ingest[str(got.path)] = link.url


def _host_down(run: _Run, error: FetchError) -> None:
    """A download whose host went away mid-run: one line for the host, the first time,
    and nothing for its other files (the client asks it nothing more). Their links stay
    as they were, so the next run fetches them; it is no fault of the files."""
    run.summary.not_tried += 1
    if error.host in run.down_hosts:
        run.done += 1
        return
    run.down_hosts.add(error.host)
    run.summary.failed += 1
    run.say(SyncLine("failed", error.host, error.reason, True, error.failure, error.url))


def _ingest(run: _Run, store: Store, files: dict[str, str], cancel: threading.Event) -> None:
    """Every new agenda and minutes through the one ingest pipeline; its results become
    manifest states and lines. A file the parser rejects stays as a bilag."""
    from kkr_tui.ingest import ingest_paths

    run.total += len(files)

    def on_event(event: IngestEvent) -> None:
        result = event.result
        if result is None:
            run.working(Path(event.path).name, event.page, event.pages)
            return
        url = files.get(result.path, result.path)
        if result.status != "failed":
            store.set_link_state(url, "stored")
            run.say(SyncLine(result.status, f"{result.label}  ({url})".strip(), url=url))
            if result.status != "unchanged":
                run.summary.new_documents.append(result.label)
        elif is_not_a_meeting(result.failure):
            store.set_link_state(url, "bilag", kind="bilag")
            run.summary.bilag += 1
            run.say(SyncLine("bilag", url, _("not an agenda or minutes; kept as a bilag"), url=url))
        else:
            # A file that cannot be read stays unreadable until its URL changes; a
            # failure to store it (a busy database, a full disk) is tried again next run.
            retry = result.store_failed
            run.summary.failed += 1
            failure: FileFailure | SyncFailure = (
                SyncFailure(result.store_cause or "not_stored")
                if retry
                else result.failure or FileFailure("unexpected")
            )
            store.set_link_state(url, "failed" if retry else "unreadable", encode(failure))
            run.say(SyncLine("failed", url, result.reason, True, failure, url))

    run.summary.ingest = ingest_paths(store, list(files), progress=on_event, cancel=cancel)
    if run.summary.ingest.cancelled:
        run.summary.cancelled = True


def _block_meeting(
    store: Store, council: str, block_key: str | None, cache: dict[str | None, str | None]
) -> str | None:
    """The date of the meeting a block's bilag belong to: the date of a document stored
    from the same block (the parsed document is the authority), else the block's own."""
    if block_key in cache:
        return cache[block_key]
    date: str | None = None
    for row in store.manifest(council):
        if row.block_key == block_key and row.state == "stored" and row.sha256:
            document = store.find_document(row.sha256)
            if document is not None:
                date = store.meeting(document.meeting_id).meeting_date
                break
    if date is None and block_key and len(block_key) >= 10 and block_key[4] == "-":
        date = block_key[:10]
    cache[block_key] = date
    return date


def _read_bilag(
    run: _Run,
    store: Store,
    plans: list[tuple[str, PdfLink]],
    cancel: threading.Event,
    at: str,
) -> None:
    """Read every fetched bilag not read yet (or whose reading was cut off) into the
    store, and tie bilag read before to an item once their meeting's documents say."""
    from kkr_tui.sync.bilag import BilagSource, meeting_items, read_bilag
    from kkr_tui.sync.bilag_match import bilag_names, match_item

    dates: dict[str, dict[str | None, str | None]] = {}
    items: dict[tuple[str, str | None], list[tuple[str, tuple[str, ...]]]] = {}
    for slug, link in plans:
        row = store.manifest_row(link.url)
        if row is None or row.state != "bilag" or not row.path or not row.sha256:
            continue
        if not Path(row.path).is_file():
            continue
        council = COUNCILS[slug]
        date = _block_meeting(store, council, row.block_key, dates.setdefault(council, {}))
        stored = store.bilag_by_url(link.url)
        if stored is not None and stored.state != "reading" and stored.path == row.path:
            if stored.item_number is None and stored.meeting_date == date:
                key = (council, date)
                if key not in items:
                    items[key] = meeting_items(store, council, date)
                number = match_item(bilag_names(stored.title, stored.url), items[key])
                if number is not None:
                    store.set_bilag_item(stored.id, number)
            continue
        run.total += 1
        run.working(row.title)
        source = BilagSource(link.url, row.title, row.path, row.sha256, council, date)

        def on_page(page: int, pages: int, title: str = row.title) -> None:
            run.working(title, page, pages)

        outcome = read_bilag(store, source, at, cancel=cancel, on_page=on_page)
        done = store.bilag(outcome.bilag_id)
        run.summary.bilag_read += 1
        where = (
            _("item {number}").format(number=done.item_number)
            if done.item_number
            else _("the meeting")
        )
        pages = ngettext("{n} page", "{n} pages", done.page_count).format(n=done.page_count)
        warning = _("warning: {text}").format(text=outcome.warnings) if outcome.warnings else ""
        if outcome.reason:
            # One line naming the bilag and its file (its address), and why; the run
            # goes on, and what was read of it stays stored.
            why = "; ".join(filter(None, (outcome.reason, warning)))
            run.say(
                SyncLine(
                    "bilag_unread",
                    _subject(row.title, link.url),
                    why,
                    failure=outcome.failure,
                    url=link.url,
                )
            )
        else:
            run.say(
                SyncLine("bilag_read", f"{row.title}  ({pages}, {where})", warning, url=link.url)
            )
