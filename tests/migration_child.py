"""A process that migrates a database and stops dead at a chosen moment, to be SIGKILLed there.

Usage: ``python tests/migration_child.py DB WHERE`` with WHERE one of

- ``event:STAGE:N``: at the N-th migration event of STAGE (1 = the first), told to the
  listener between two steps;
- ``inside:STAGE``: inside an SQL statement of STAGE: the store's stop is asked by
  SQLite's progress handler while the statement runs, and the stand-in for the stop
  event blocks right there, so the kill falls in the middle of the statement;
- ``sigint:STAGE``: inside an SQL statement of STAGE, the process sends itself SIGINT
  (Ctrl+C); prints ``INTERRUPTED`` and exits 130 when that ends the open;
- ``fill:STAGE:N``: at that event, fill the disk the database is on (a file written
  until the system says it is full), and go on: the migration then meets a full disk.
  Prints ``FAILED <the error's line>`` and exits 1 when the open fails.

It prints ``PAUSED <stage> <percent>`` when it has stopped and then waits for ever (the
test kills it); ``DONE`` if the migration ended without reaching the moment (the test
then fails: the moment it asked for does not exist). The moment is chosen by what the
migration reports, never by time.
"""

from __future__ import annotations

import os
import signal
import sys
import threading


def main() -> None:
    db, where = sys.argv[1], sys.argv[2]
    kind, stage, *rest = where.split(":")
    wanted = int(rest[0]) if rest else 0

    from kkr_tui.store import Store, migration

    # Look at the stop often, so even the small fixture's statements are entered.
    migration._TICK_OPS = 200
    seen: dict[str, int] = {}
    sent: list[int] = []
    now = {"stage": "", "percent": 0}

    def pause() -> None:
        print(f"PAUSED {now['stage']} {now['percent']}", flush=True)
        threading.Event().wait()  # until killed

    def listen(event: migration.MigrationEvent) -> None:
        now["stage"], now["percent"] = event.stage, event.percent
        seen[event.stage] = seen.get(event.stage, 0) + 1
        if event.stage == stage and seen[event.stage] == wanted:
            if kind == "event":
                pause()
            if kind == "fill":
                fill_disk(os.path.dirname(os.path.abspath(db)))

    class PauseInside(threading.Event):
        """The stop event, which blocks when SQLite asks it from inside a statement."""

        def is_set(self) -> bool:
            inside = sys._getframe(2).f_code.co_name == "_tick"  # the progress handler
            if inside and now["stage"] == stage:
                if kind == "inside":
                    pause()
                if kind == "sigint" and not sent:
                    sent.append(1)
                    os.kill(os.getpid(), signal.SIGINT)
            return False

    from kkr_tui.store import StoreError

    try:
        Store(db, on_migrate=listen, stop_migration=PauseInside()).close()
    except StoreError as exc:
        print(f"FAILED {exc}", flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        print("INTERRUPTED", flush=True)
        sys.exit(130)
    print("DONE", flush=True)


def fill_disk(folder: str) -> None:
    """Write a file in ``folder`` until its file system has no room left."""
    chunk = b"\0" * 4096
    with open(os.path.join(folder, "filler"), "wb", buffering=0) as out:
        try:
            while True:
                out.write(chunk)
        except OSError:
            pass


if __name__ == "__main__":
    main()
