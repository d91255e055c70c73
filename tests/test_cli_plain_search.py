"""A plain ``kkr-tui search`` line is read without argparse (``cli._plain_search``), and
reads exactly as argparse reads it; every other line still goes to argparse, so help,
usage errors and their exit code stay argparse's own."""

from __future__ import annotations

import shlex

import pytest

from kkr_tui.cli import _command_word, _plain_search, build_parser, main

PLAIN = [
    "search okonomi",
    "search kommunernes økonomi budget",
    "search --json okonomi",
    "search okonomi --json",
    "search okonomi --limit 5",
    "search okonomi --limit=5",
    "search -n 3 okonomi",
    "search okonomi -n 3 --json",
    "search --limit 1 --json okonomi --db x.db",
    "search okonomi --db=x.db --debug",
    "--db a.db search okonomi",
    "--db=a.db search okonomi --db b.db",
    "--debug --read-only search SAG-2025-02162",
    "search council:midt year:2025",
    "search 3.4",
    "search 'februar 2025 sundhedsreform'",
    "search okonomi --limit ' 7'",
    "search --json --json okonomi",
    "search okonomi --limit 2 --limit 9",
    "search --db= okonomi",
]

#: Lines the plain reading leaves to argparse: help, errors, abbreviated options
#: (``--js``), ``-n5``, a word argparse may take as an option (``-5``, ``-``), ``--``.
NOT_PLAIN = [
    "search",
    "search --json",
    "search --help",
    "search -h okonomi",
    "search okonomi --js",
    "search okonomi --lim 5",
    "search okonomi -n5",
    "search okonomi -n=5",
    "search okonomi --limit 0",
    "search okonomi --limit x",
    "search okonomi --limit -3",
    "search okonomi --limit",
    "search okonomi --json=yes",
    "search okonomi --json budget",
    "search -- okonomi",
    "search -5",
    "search - okonomi",
    "search okonomi --read-only",
    "search okonomi --db",
    "search okonomi --db --json",
    "--db --debug search okonomi",
    "search okonomi --version",
]


def _argparse(words: list[str]) -> dict[str, object]:
    return vars(build_parser(_command_word(words)).parse_args(words))


@pytest.mark.parametrize("line", PLAIN)
def test_a_plain_line_reads_as_argparse_reads_it(line: str) -> None:
    words = shlex.split(line)
    assert _command_word(words) == "search"
    plain = _plain_search(words)
    assert plain is not None
    assert vars(plain) == _argparse(words)


@pytest.mark.parametrize("line", NOT_PLAIN)
def test_any_other_line_is_left_to_argparse(line: str) -> None:
    words = shlex.split(line)
    assert _command_word(words) == "search"
    assert _plain_search(words) is None


@pytest.mark.parametrize("line", ["search okonomi --limit 0", "search okonomi --json budget"])
def test_a_line_left_to_argparse_gets_its_usage_error(
    line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(shlex.split(line))
    assert done.value.code == 2
    assert "kkr-tui" in capsys.readouterr().err.splitlines()[-1]
