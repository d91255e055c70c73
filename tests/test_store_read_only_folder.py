"""A database in a folder the user may not write to still opens for reading.

SQLite needs a ``-shm`` file to read a WAL database and cannot create one in a read-only
folder; the store then reads the file as immutable (safe: no ``-wal`` means every page
is in the main file) and refuses with a reason when a ``-wal`` is left over.

Permissions do not bind root, so as root the check runs in a child process as
``nobody`` (skipped where that user cannot run this interpreter).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

import kkr_tui
from kkr_tui.ingest import ingest_paths
from kkr_tui.paths import sample_docs_dir
from kkr_tui.store import Store, StoreError

PROBE = """
import sys
from kkr_tui.store import Store, StoreError
try:
    with Store(sys.argv[1], read_only=True) as store:
        print("meetings", len(store.meetings("KKR Hovedstaden", 2025)))
except StoreError as exc:
    print("error", exc)
"""


def _as_nobody(*args: str) -> str:
    """Run ``python ARGS`` as ``nobody``; skip when that is not possible here."""
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("runuser not available")
    paths = {str(Path(kkr_tui.__file__).parents[1])}
    paths |= {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    env = {"PYTHONPATH": os.pathsep.join(sorted(paths)), "HOME": "/tmp", "PATH": "/usr/bin:/bin"}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        cmd = [runuser, "-u", "nobody", "--", python]
        probe = subprocess.run([*cmd, "-c", "import kkr_tui.store"], env=env, capture_output=True)
        if probe.returncode == 0:
            break
    else:
        pytest.skip("user nobody cannot run this interpreter and its packages")
    done = subprocess.run([*cmd, *args], env=env, capture_output=True, text=True, cwd="/")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _read(db: Path) -> str:
    if os.geteuid() == 0:
        return _as_nobody("-c", PROBE, str(db))
    try:
        with Store(db, read_only=True) as store:
            return f"meetings {len(store.meetings('KKR Hovedstaden', 2025))}"
    except StoreError as exc:
        return f"error {exc}"


@pytest.fixture
def locked_folder():
    """A world-readable database in a folder nobody but root may write to.

    Made with ``mkdtemp`` because pytest's ``tmp_path`` sits under a folder only its
    owner may enter, which the ``nobody`` child could not reach.
    """
    top = Path(tempfile.mkdtemp(prefix="kkr-ro-"))
    folder = top / "shared"
    folder.mkdir()
    db = folder / "kkr.db"
    with Store(db) as store:
        ingest_paths(store, sorted(sample_docs_dir().glob("000_*.txt")))
    top.chmod(0o755)
    db.chmod(0o644)
    folder.chmod(0o555)
    try:
        yield db
    finally:
        folder.chmod(0o755)
        shutil.rmtree(top)


def test_database_in_a_read_only_folder_is_read(locked_folder: Path) -> None:
    assert not Path(f"{locked_folder}-wal").exists()
    assert _read(locked_folder) == "meetings 1"


def test_leftover_wal_in_a_read_only_folder_is_refused_with_its_reason(
    locked_folder: Path,
) -> None:
    folder = locked_folder.parent
    folder.chmod(0o755)
    Path(f"{locked_folder}-wal").write_bytes(b"\0" * 64)
    Path(f"{locked_folder}-wal").chmod(0o644)
    folder.chmod(0o555)
    message = _read(locked_folder)
    # The probe runs without a language set: the store says it in Danish, as users read it.
    assert message.startswith("error ") and "skrivebeskyttet" in message and "kkr.db-wal" in message


def test_reading_commands_work_in_a_read_only_folder(locked_folder: Path) -> None:
    if os.geteuid() != 0:
        from kkr_tui.cli import main

        assert main(["--db", str(locked_folder), "related", "KKR Hovedstaden 18.06.2025 3.3"]) == 0
        return
    out = _as_nobody(
        "-m", "kkr_tui", "--db", str(locked_folder), "related", "KKR Hovedstaden 18.06.2025 3.3"
    )
    assert out.startswith("KKR Hovedstaden, møde 18.06.2025, pkt. 3.3")
