"""The command line: every command, its output and its exit code (0 ok, 1 failed, 2 usage)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kkr_tui import __version__, paths
from kkr_tui.cli import main


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the user's real database or config."""
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def run(*argv: str) -> int:
    return main(list(argv))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("--version")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"kkr-tui {__version__}"


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["ingest", "x", "--jobs", "-1"], ["search"], ["parse"], ["--nope"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(*argv)
    assert exit_info.value.code == 2
    assert "brug:" in capsys.readouterr().err


def test_ingest_without_paths_is_a_usage_error(
    tmp_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("ingest", "--db", str(tmp_db)) == 2
    assert "STI" in capsys.readouterr().err
    assert not tmp_db.exists()


def test_ingest_prints_one_line_per_file_and_a_summary(
    tmp_db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"tilføjet  KKR Hovedstaden 18.06.2025 dagsorden  "
        f"{samples_dir / '000_5761956d8ee0dfc0.txt'}"
    )
    assert len(lines) == 6
    assert lines[-1] == "tilføjet 5, opdateret 0, uændret 0, fejl 0"
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    again = capsys.readouterr().out.splitlines()
    assert all(line.startswith("uændret ") for line in again[:5])
    assert again[-1] == "tilføjet 0, opdateret 0, uændret 5, fejl 0"


def test_ingest_with_a_bad_file_exits_1_and_stores_the_rest(
    tmp_db: Path, samples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(samples_dir, folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    missing = tmp_path / "missing.txt"
    assert run("ingest", str(folder), str(missing), "--db", str(tmp_db)) == 1
    captured = capsys.readouterr()
    assert f"FEJL {missing}: filen findes ikke\n" in captured.out
    assert f"FEJL {folder / 'broken.pdf'}: PDF-filen er afkortet" in captured.out
    assert captured.out.splitlines()[-1] == "tilføjet 5, opdateret 0, uændret 0, fejl 2"
    assert "Traceback" not in captured.out + captured.err


def test_environment_variable_chooses_the_database(
    tmp_db: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DB_ENV_VAR, str(tmp_db))
    assert run("ingest", str(samples_dir / "000_5761956d8ee0dfc0.txt")) == 0
    assert tmp_db.is_file()


def test_debug_shows_tracebacks_of_unexpected_errors(
    tmp_db: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import kkr_tui.parser

    def explode(doc: object) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(kkr_tui.parser, "parse", explode)
    sample = str(samples_dir / "000_5761956d8ee0dfc0.txt")
    assert run("ingest", sample, "--db", str(tmp_db)) == 1
    quiet = capsys.readouterr()
    assert f"FEJL {sample}: en uventet fejl stoppede læsningen\n" in quiet.out
    assert "Traceback" not in quiet.out + quiet.err and "parser bug" not in quiet.out
    assert run("--debug", "ingest", sample, "--db", str(tmp_db)) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "teknisk detalje: RuntimeError: parser bug" in err
    assert run("parse", sample, "--debug") == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "teknisk detalje: RuntimeError: parser bug" in err


def test_parse_json_is_the_meeting_dict(
    samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("parse", str(samples_dir / "001_5e5d42c32cdde801.txt"), "--json") == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["council"] == "KKR Hovedstaden"
    assert data["meeting_date"] == "2025-02-03"
    assert data["doc_type"] == "minutes"
    assert data["sections"][0]["items"][0]["number"] == "1.1"
    assert "\\u00" not in out and "ø" in out


def test_parse_outline_names_meeting_sections_and_items(
    samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("parse", str(samples_dir / "000_5761956d8ee0dfc0.txt")) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "KKR Hovedstaden · 18.06.2025 · dagsorden"
    assert "1. Godkendelse af referat og dagsorden" in lines
    assert "  1.1 Godkendelse af referat" in lines
    assert (
        lines[lines.index("  1.1 Godkendelse af referat") + 1]
        == "      SAG-2025-02162 · gitb · s. 2"
    )
    assert any(line.startswith("      dele: Baggrund, Indstilling") for line in lines)


def test_parse_outline_shows_the_parsers_warnings_in_danish(
    samples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reliability_corpus import drop_case_line

    doc = tmp_path / "uden sagsnummer.txt"
    doc.write_text(drop_case_line(samples_dir / "001_5e5d42c32cdde801.txt"), encoding="utf-8")
    assert run("parse", str(doc)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "      advarsel: ingen sagsnummerlinje (SAG-…) efter titlen" in lines
    assert not any("no case number" in line for line in lines)


def test_parse_of_a_document_without_kkr_structure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Kære alle,\nhusk kaffen på fredag.\n" * 5, encoding="utf-8")
    assert run("parse", str(letter)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line == (
        f"{letter}: det er ikke et KKR-mødedokument: "
        "ingen nummererede afsnit og punkter (som '1.' og '1.1.') fundet"
    )


@pytest.mark.parametrize(
    ("content", "cause", "reason"),
    [
        (b"", "empty", "filen er tom"),
        (b"GIF89a garbage", "not_pdf", "filen er ikke en PDF, selv om navnet siger det"),
    ],
)
def test_parse_of_unreadable_files_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, cause: str, reason: str
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    assert run("parse", str(bad)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{bad}: {reason}\n"
    assert run("parse", str(bad), "--json") == 1  # the stable cause on stdout, for scripts
    captured = capsys.readouterr()
    assert captured.err == f"{bad}: {reason}\n"
    assert json.loads(captured.out) == {
        "file": str(bad),
        "error": {"cause": cause, "params": {}, "detail": "", "text": reason},
    }


def test_parse_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("parse", str(tmp_path / "nope.txt")) == 1
    assert capsys.readouterr().err.startswith(f"{tmp_path / 'nope.txt'}: ")


def test_search_finds_stored_items(
    tmp_db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("kkr_tui.search")
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    capsys.readouterr()
    assert run("search", "mobilitet", "--db", str(tmp_db), "--limit", "3") == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("KKR")]
    assert 1 <= len(lines) <= 3
    assert "mobilitet" in lines[0].lower() or "Mobilitet" in lines[0]
    assert run("search", "SAG-2025-02162", "--json", "--db", str(tmp_db)) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["kind"] for h in hits[:2]] == ["meeting", "case"], "every item carries it"
    assert {"item_id", "council", "meeting_date", "number", "title", "snippet"} <= set(hits[1])


@pytest.mark.parametrize(
    ("query", "valid"),
    [
        ("year:20x klima", "year:2021, year:2022, year:2025"),
        ("type:protokol", "type:dagsorden, type:referat"),
        ("council:foo klima", "council:hovedstaden"),
        ("year:2019", "year:2021, year:2022, year:2025"),
    ],
)
def test_search_with_a_filter_that_cannot_match_says_so(
    tmp_db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str], query: str, valid: str
) -> None:
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    capsys.readouterr()
    assert run("search", *query.split(), "--db", str(tmp_db)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    key = query.split()[0]
    assert err.startswith(f"{key} passer ikke på noget; mulige værdier: ")
    assert valid in err


@pytest.mark.parametrize(
    "argv",
    [["search", "x"], ["notes"], ["new"], ["related", "1"], ["export", "1"], ["decisions", "1"]],
    ids=lambda a: a[0],
)
def test_commands_without_a_database_say_how_to_get_documents(
    argv: list[str], tmp_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv, "--db", str(tmp_db)) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "`kkr-tui`" in err and "kkr-tui ingest" in err
    # The path means nothing to a new user (and on a fresh install it is not theirs).
    assert str(tmp_db) not in err and "site-packages" not in err
    assert not tmp_db.exists()


def test_locate_prints_every_location(tmp_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("locate", "--db", str(tmp_db)) == 0
    out = capsys.readouterr().out
    labels = [line.split(":")[0] for line in out.splitlines()]
    assert labels == [
        "database",
        "indstillingsfil",
        "datamappe",
        "cachemappe",
        "logfil",
        "eksempeldokumenter",
        "typografier",
    ]
    assert str(tmp_db) in out
    assert str(paths.sample_docs_dir()) in out


def test_no_command_opens_the_app_on_the_chosen_database(
    tmp_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kkr_tui.app

    calls = []
    monkeypatch.setattr(kkr_tui.app, "run_app", lambda db, **kw: calls.append((db, kw)))
    assert run("--db", str(tmp_db)) == 0
    assert calls == [(tmp_db, {"first_run_ingest": True})]


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    # cwd away from the clone: `-m` puts the cwd first on sys.path, and CI must run the wheel.
    result = subprocess.run(
        [sys.executable, "-m", "kkr_tui", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"kkr-tui {__version__}"


def test_ctrl_c_stops_cleanly_and_keeps_whole_documents(tmp_path: Path, samples_dir: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    sample = (samples_dir / "001_5e5d42c32cdde801.txt").read_text(encoding="utf-8")
    for i in range(40):
        (folder / f"{i:02d}.txt").write_text(sample + "\n" * (i + 1), encoding="utf-8")
    db = tmp_path / "kkr.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kkr_tui", "ingest", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("tilføjet ")
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    lines = [first, *rest.splitlines()]
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert lines[-1].endswith("(afbrudt)")
    stored = [line for line in lines[:-1] if line.startswith(("tilføjet ", "opdateret "))]
    assert 1 <= len(stored) < 40
    from kkr_tui.store import Store

    with Store(db, read_only=True) as store:
        last_stored = Path(stored[-1].rstrip("\n").split("  ")[-1])
        assert store.find_document(_sha(last_stored)) is not None
        assert len(store.councils()) == 1


def _sha(path: Path) -> str:
    from kkr_tui.ingest import file_sha256

    return file_sha256(path)


def test_progress_bar_only_on_a_terminal(
    tmp_db: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    assert "\r" not in capsys.readouterr().err


def test_cli_module_keeps_heavy_imports_lazy(tmp_path: Path) -> None:
    code = "import kkr_tui.cli, sys; print(sorted(m for m in sys.modules if '.' not in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    for heavy in ("pypdf", "sqlite_utils", "rapidfuzz", "textual", "rich", "platformdirs"):
        assert f"'{heavy}'" not in out.stdout


def test_hostile_file_names_cannot_reach_the_terminal(
    tmp_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "\x1b]0;pwned\x07evil\nname\u202e.txt").write_bytes(b"")
    assert run("ingest", str(folder), "--db", str(tmp_db)) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert len(out.splitlines()) == 2
    assert "?]0;pwned?evil?name?.txt: filen er tom" in out


def test_reparse_without_paths_rereads_stored_files(
    tmp_db: Path,
    samples_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import kkr_tui.parser

    copies = tmp_path / "copies"
    shutil.copytree(samples_dir, copies)
    assert run("ingest", str(copies), "--db", str(tmp_db)) == 0
    (copies / "000_5761956d8ee0dfc0.txt").unlink()
    capsys.readouterr()
    monkeypatch.setattr(kkr_tui.parser, "PARSER_VERSION", "999")
    assert run("ingest", "--reparse", "--db", str(tmp_db)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1 gemt dokument findes ikke længere på disken; sprunget over"
    assert lines[-1] == "tilføjet 0, opdateret 4, uændret 0, fejl 0"


@pytest.mark.parametrize(
    "argv",
    [["notes"], ["new"], ["related", "1"], ["export", "hovedstaden 18.06.2025", "--format", "md"]],
)
def test_meeting_work_commands_without_a_database_say_so_in_one_line(
    tmp_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert run(*argv, "--db", str(tmp_db)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("kkr-tui: ") and "kkr-tui ingest" in err
    assert "Error" not in err and "--debug" not in err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["related", "nordjylland 01.01.1999 1.1"], "nordjylland 01.01.1999 1.1"),
        (["related", "hovedstaden 18.06.2025 9.9"], "9.9"),
        (["decisions", "hovedstaden"], "hovedstaden"),
        (["export", "hovedstaden 01.01.1999", "--format", "md"], "hovedstaden 01.01.1999"),
    ],
)
def test_an_item_or_meeting_that_is_not_there_is_one_plain_line(
    tmp_db: Path,
    samples_dir: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    named: str,
) -> None:
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    capsys.readouterr()
    assert run(*argv, "--db", str(tmp_db)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("kkr-tui: ") and named in err, err
    assert "LookupError" not in err and "--debug" not in err


def test_a_bug_is_still_named_with_its_type(
    tmp_db: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Only "not there" is a plain line: a KeyError (a LookupError too) is a bug."""
    import kkr_tui.meetingwork.lookup

    def broken(*args: object) -> int:
        raise KeyError("council")

    monkeypatch.setattr(kkr_tui.meetingwork.lookup, "find_item", broken)
    assert run("ingest", str(samples_dir), "--db", str(tmp_db)) == 0
    capsys.readouterr()
    assert run("related", "1", "--db", str(tmp_db)) == 1
    assert "KeyError: 'council'" in capsys.readouterr().err


def test_locate_reports_a_key_bound_twice_and_an_unknown_name(
    tmp_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\nnext_item = "n"\nnext_thing = "x"\n', encoding="utf-8")
    monkeypatch.setattr(paths, "config_path", lambda: config)
    assert run("locate", "--db", str(tmp_db)) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"{config}: keymap: n er lagt på både next_item og edit_note" in out
    assert f"{config}: keymap: ukendt navn next_thing" in out
