"""Read one file in a child process with a budget: memory, time per page, time per file.

A hostile PDF can make pypdf take gigabytes (a ToUnicode map mapping one code to 256
characters: 4.2 GB) or minutes (one 134 KB page: over 300 s), and nothing inside one
Python process can stop a page that will not end or give back memory it took. So PDFs
are read in a child process, which is what a budget can be enforced on:

- its address space is limited (``RLIMIT_AS``, :attr:`ReadBudget.memory_bytes` above what
  it holds at start): an allocation over it is a ``MemoryError`` on that page, which
  becomes a failed page with a warning, not the machine swapping;
- each page has :attr:`ReadBudget.page_seconds` (a timer signal in the child): a page
  over it becomes a failed page with a warning, and reading goes on;
- the whole file has :attr:`ReadBudget.document_seconds`: then, or when the run is
  cancelled (Ctrl+C), the child is killed — at once, not at its next page — and the file
  fails with one line (or is abandoned, when cancelled);
- it dies with its parent (``PR_SET_PDEATHSIG`` on Linux, and it checks ``getppid`` at
  every page elsewhere), so a SIGKILLed ingest never leaves readers behind.

The parent waits on the child's pipe in slices of :data:`POLL_S`, so a cancel is acted
on within that. Results travel back pickled, as they did from the process pool.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from kkr_tui.ingest_types import IngestCancelled, PageCallback, ParsedFile, read_and_parse
from kkr_tui.model import FileFailure

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess


@dataclass(frozen=True, slots=True)
class ReadBudget:
    """What reading one file may take. Meeting PDFs need a few MB and milliseconds a
    page; these bounds are far above that and far below what hurts a laptop."""

    #: Address space the reading may add to what the child holds when it starts.
    memory_bytes: int = 1536 * 1024 * 1024
    #: One page; a page over it is kept empty with a warning.
    page_seconds: float = 30.0
    #: The whole file; a file over it fails.
    document_seconds: float = 600.0


DEFAULT_BUDGET = ReadBudget()

#: How often a waiting parent looks at cancellation and the file's deadline.
POLL_S = 0.1

#: Why a file is failed when the process reading it died without an answer.
WORKER_DIED = FileFailure("worker_died")
#: Why a file is failed when reading it needed more than its memory budget.
OUT_OF_MEMORY = FileFailure("memory")

#: Modules a reading child needs loaded before its first file: imported in this process
#: before forking, or by the forkserver once, so each child does not pay ~0.5 s for
#: pypdf and the parser itself.
WORKER_MODULES = [
    "kkr_tui.ingest_types",
    "kkr_tui.ingest_reader",
    "kkr_tui.ingest_pages",
    "kkr_tui.parser",
    "kkr_tui.sources",
    "pypdf",
]
#: What the forkserver preloads. ``kkr_tui.cli`` too, because Python 3.11's forkserver
#: never preloads ``__main__`` (CPython gh-126631, fixed in 3.13): every child re-runs
#: the main script, and for the ``kkr-tui`` script that is one import of
#: ``kkr_tui.cli``, cheap once the forkserver holds it.
FORKSERVER_PRELOAD = [*WORKER_MODULES, "kkr_tui.cli"]


def pool_start_method() -> str:
    """How reading children start: ``fork`` when that is safe here, else ``forkserver``.

    ``fork`` gives a child everything this process has imported in a few milliseconds.
    It is safe only on Linux (macOS frameworks break in forked children) and only when
    this process runs a single thread: the app ingests from a worker thread, and a
    thread holding a lock at the fork would leave it locked forever in the child. Then
    ``forkserver`` (or ``spawn`` where there is none), whose children start from a clean
    single-threaded server.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def reader_context() -> BaseContext:
    """The multiprocessing context reading children start from, modules loaded."""
    import importlib
    import multiprocessing

    method = pool_start_method()
    context = multiprocessing.get_context(method)
    if method == "fork":
        for name in WORKER_MODULES:
            importlib.import_module(name)
    elif method == "forkserver":
        context.set_forkserver_preload(FORKSERVER_PRELOAD)
    return context


R = TypeVar("R")
#: How a reading child talks to its parent: one message, a tuple whose first element
#: says what it is (``"page"``, ``"done"``, or what a :class:`GuardedChild` adds).
Send = Callable[[tuple[Any, ...]], None]
#: What a reading child does with its file: (path, budget, send) -> the result.
ChildWork = Callable[[str, "ReadBudget", Send], R]


def read_in_worker(path: str, on_page: PageCallback, page_seconds: float) -> ParsedFile:
    """What a reading child runs (a seam the tests replace to kill a child mid-file)."""
    return read_and_parse(path, on_page, page_seconds)


def parse_work(path: str, budget: ReadBudget, send: Send) -> ParsedFile:
    """A meeting document's work in the child: read and parse, each page's progress sent."""

    def on_page(done: int, total: int) -> None:
        send(("page", done, total))

    return read_in_worker(path, on_page, budget.page_seconds)


def parse_failed(failure: FileFailure) -> ParsedFile:
    """A meeting document that could not be read, as :func:`parse_work` would say it."""
    return ParsedFile(None, failure)


class _ParentGone(BaseException):
    """Raised in a child whose parent died: nothing is left to answer."""


def _die_with_parent(expected: int) -> int:
    """Linux kills this process when its parent dies; elsewhere the page loop checks.

    The parent is the ingest process (``expected``) when forked, else the forkserver,
    which exits when the ingest process does. Returns the parent's pid.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    parent = os.getppid()
    if expected and parent != expected:  # died before the line above took effect
        os._exit(1)
    return parent


def _address_space() -> int:
    """This process's current virtual size in bytes (0 if unknown)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(headroom: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time limits still hold
        return
    base = _address_space()
    if not base:
        return
    limit = base + headroom
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _child(
    path: str,
    budget: ReadBudget,
    conn: Connection,
    expected_parent: int,
    work: ChildWork[Any],
    failed: Callable[[FileFailure], Any],
) -> None:
    """The reading child: limits first, then ``work``, which sends its progress (and
    whatever else it streams) through ``send``; its result goes back last, as "done"."""
    parent = _die_with_parent(expected_parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _limit_memory(budget.memory_bytes)

    def send(message: tuple[Any, ...]) -> None:
        if os.getppid() != parent:
            raise _ParentGone
        _send(conn, message)

    try:
        result = work(path, budget, send)
    except _ParentGone:
        os._exit(1)
    except MemoryError:
        result = failed(OUT_OF_MEMORY)
    try:
        _send(conn, ("done", result))
    except MemoryError:
        _send(conn, ("done", failed(OUT_OF_MEMORY)))
    conn.close()


def _send(conn: Connection, message: tuple[Any, ...]) -> None:
    """Send to the parent; if it stopped listening (killed, cancelled), end quietly
    instead of printing a traceback onto the user's terminal."""
    try:
        conn.send(message)
    except (OSError, EOFError):
        os._exit(1)


class GuardedChild(Generic[R]):
    """One file being worked on in its own child process under a budget; poll it
    (:meth:`pump`) until :attr:`result` is set.

    A subclass says what the child does (:attr:`work`, run in the child) and how a
    failure is said as a result (:attr:`failed`: the child died, ran out of time or
    memory); messages other than page progress and the result go to :meth:`received`.
    Both are module-level functions, so a forkserver or spawned child can be given them.
    """

    work: ClassVar[ChildWork[Any]]
    failed: ClassVar[Callable[[FileFailure], Any]]

    def __init__(self, path: str, budget: ReadBudget, context: BaseContext) -> None:
        self.path = path
        self.budget = budget
        self.started = time.monotonic()
        self.page = 0
        self.pages = 0
        self.result: R | None = None
        self.released = False
        receive, send = context.Pipe(duplex=False)
        self.conn = receive
        forked = context.get_start_method() == "fork"
        parent = os.getpid() if forked else 0
        # BaseContext does not declare Process; every concrete context (fork, forkserver,
        # spawn) has it.
        work, failed = type(self).work, type(self).failed
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_child, args=(path, budget, send, parent, work, failed), daemon=True
        )
        try:
            self.process.start()
        except OSError as error:  # no process to be had (a process limit, no memory)
            receive.close()
            self.released = True
            self.result = self._failed(FileFailure("no_process", detail=str(error)))
        finally:
            send.close()

    def _failed(self, failure: FileFailure) -> R:
        result: R = type(self).failed(failure)
        return result

    def received(self, message: tuple[Any, ...]) -> bool:
        """A message the child streamed besides page progress (none by default). True
        stops this :meth:`pump` there, so the caller takes it before more are read: a
        child streaming data is held back by the pipe, not buffered here without end."""
        return False

    def pump(self) -> list[tuple[int, int]]:
        """Take what the child sent; return its page events. Sets :attr:`result` when the
        file is read, the child died, or the file ran out of time."""
        pages: list[tuple[int, int]] = []
        while self.result is None:
            try:
                if not self.conn.poll():
                    break
                message = self.conn.recv()
            except (EOFError, OSError):
                self._end(self._failed(WORKER_DIED))
                break
            if message[0] == "page":
                self.page, self.pages = message[1], message[2]
                pages.append((self.page, self.pages))
            elif message[0] == "done":
                self._end(message[1])
            elif self.received(message):
                break
        if self.result is None and not self.process.is_alive() and not self.conn.poll():
            self._end(self._failed(WORKER_DIED))
        if self.result is None and time.monotonic() - self.started > self.budget.document_seconds:
            self.stop()
            seconds = self.budget.document_seconds
            self.result = self._failed(FileFailure("timeout", (("seconds", seconds),)))
        return pages

    def delivered(self) -> None:
        """Hand what :meth:`received` kept to the caller, after each :meth:`pump` and before
        its page progress (nothing by default)."""

    def run(self, cancel: threading.Event, on_page: PageCallback | None = None) -> R:
        """Drive the child to its result in the caller's thread: the one loop of a single
        guarded read (a pool drives many children itself, :mod:`kkr_tui.ingest_pool`).

        What the child streams reaches the caller (:meth:`delivered`, then ``on_page``)
        between waits of at most :data:`POLL_S` on its pipe; when ``cancel`` is set the
        child is killed and :class:`IngestCancelled` raised, and an exception from a
        callback stops the child too and propagates.
        """
        from multiprocessing.connection import wait

        try:
            while True:
                if cancel.is_set():
                    raise IngestCancelled(self.path)
                pages = self.pump()
                self.delivered()
                for done, total in pages:
                    if on_page is not None:
                        on_page(done, total)
                if self.result is not None:
                    return self.result
                wait([self.conn, self.process.sentinel], timeout=POLL_S)
        finally:
            if self.result is None:
                self.stop()

    def _end(self, result: R) -> None:
        self.result = result
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self._release()

    def stop(self) -> None:
        """Kill the child now (cancel, deadline); its file is not read."""
        if self.released:
            return
        if self.process.pid is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        self._release()

    def _release(self) -> None:
        """Close the pipe and the process's handles now, not when the garbage collector
        gets to them: a run over thousands of files must not run out of descriptors."""
        if self.released:
            return
        self.released = True
        self.conn.close()
        if self.process.pid is not None:
            self.process.close()


class GuardedRead(GuardedChild[ParsedFile]):
    """A meeting document read and parsed in its own child process."""

    work = parse_work
    failed = parse_failed


def read_guarded(
    path: str,
    cancel: threading.Event,
    on_page: PageCallback | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
    context: BaseContext | None = None,
) -> ParsedFile:
    """Read and parse ``path`` in a child process under ``budget``.

    ``on_page`` gets the child's page progress here, in the caller's thread. When
    ``cancel`` is set the child is killed within :data:`POLL_S` and
    :class:`IngestCancelled` is raised.
    """
    return GuardedRead(path, budget, context or reader_context()).run(cancel, on_page)
