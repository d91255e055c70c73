"""Every path the user names is checked before anything reads it: FIFOs and devices.

A FIFO named ``x.pdf`` (in a folder or named directly) or a link to ``/dev/zero`` made
``kkr-tui ingest`` hang for ever: the file was hashed before any reader checked that
it is a regular file. A FIFO given as ``--db`` hung ``kkr-tui search`` inside SQLite.
Each now gets one line naming the path and the reason, and the run goes on.

The commands run in a child process with a generous timeout, so a regression fails
the test instead of hanging the suite; the timeout is a safety net, not a measurement.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from reliability_corpus import kkr_command

HANG_GUARD_S = 60


def _run(*args: str, cwd: Path) -> tuple[int, str, str]:
    proc = kkr_command(*args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"kkr-tui {' '.join(args)} hung")
    return proc.returncode, out, err


@pytest.fixture
def hostile_folder(tmp_path: Path, samples_dir: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.pdf")
    os.symlink("/dev/zero", folder / "zero.txt")
    sample = sorted(samples_dir.glob("*.txt"))[0]
    (folder / "good.txt").write_bytes(sample.read_bytes())
    return folder


def test_fifo_and_dev_zero_in_a_folder_or_named_are_one_line_each(
    tmp_path: Path, hostile_folder: Path
) -> None:
    db = tmp_path / "kkr.db"
    pipe, zero = hostile_folder / "pipe.pdf", hostile_folder / "zero.txt"
    code, out, err = _run(
        "ingest", str(hostile_folder), str(pipe), str(zero), "--db", str(db), cwd=tmp_path
    )
    assert code == 1 and "Traceback" not in out + err
    lines = out.splitlines()
    assert f"FEJL {pipe}: det er ikke en almindelig fil (men en enhed eller et rør)" in lines
    assert f"FEJL {zero}: det er ikke en almindelig fil (men en enhed eller et rør)" in lines
    assert any(line.startswith("tilføjet") and "good.txt" in line for line in lines)
    assert lines[-1] == "tilføjet 1, opdateret 0, uændret 0, fejl 2"


def test_a_fifo_as_database_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "kkr.db"
    os.mkfifo(db)
    for command in (["search", "økonomi"], ["notes"], ["ingest", str(tmp_path)]):
        code, out, err = _run(*command, "--db", str(db), cwd=tmp_path)
        assert (code, out, err) == (1, "", f"{db}: ikke en almindelig fil\n"), command


def test_a_fifo_beside_the_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "kkr.db"
    db.write_bytes(b"")
    os.mkfifo(f"{db}-wal")
    code, _out, err = _run("search", "økonomi", "--db", str(db), cwd=tmp_path)
    assert (code, err) == (1, f"{db}-wal: ikke en almindelig fil\n")


@pytest.mark.parametrize("name", ["pipe.pdf", "pipe.txt"])
def test_parse_refuses_a_fifo_in_one_line(tmp_path: Path, name: str) -> None:
    pipe = tmp_path / name
    os.mkfifo(pipe)
    code, out, err = _run("parse", str(pipe), cwd=tmp_path)
    assert (code, out, err) == (
        1,
        "",
        f"{pipe}: det er ikke en almindelig fil (men en enhed eller et rør)\n",
    )
