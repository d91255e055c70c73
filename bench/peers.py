"""kkr-tui's search beside the tools a user might reach for instead, whole process each.

    python bench/run.py --only peers            (or: python bench/peers.py)

On a store of the bundled samples, every labelled query (``tests/search_top_queries.json``,
the hit a reader expects first; ``tests/search_queries.json``, the hits expected in the
top 10) is run as a fresh process by:

- ``kkr-tui search Q --json --limit 10``;
- ``sqlite3`` FTS5 on the same database: the folded query words AND-ed, ``ORDER BY
  rank`` (bm25), the filter words left out (FTS5 cannot express them);
- ``rg -i -F`` over one line per item (title and text), the query as typed (filters
  left out), matches in file order;
- ``fzf --filter`` over the titles, fzf's own order.

Each tool is skipped with a note when it is not installed. Reported per tool: the
median and p95 of a whole process, hits@1 and MRR on the top-hit set, recall@10 on the
recall set. A peer returns items only, so a query whose expected top hit is a whole
meeting counts as a miss for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from stats import bytecode_env, summary  # noqa: E402

#: Every tool runs with bytecode written and read: kkr-tui as an installed copy runs
#: (this machine sets ``PYTHONDONTWRITEBYTECODE``; a stale ``__pycache__`` then made
#: each kkr-tui run compile its modules, ~50 ms more than a user pays).
_ENV = bytecode_env(HERE / "out" / "pycache-peers")

Key = tuple[str, "str | None"]


def _samples_store(folder: Path) -> tuple[Path, dict[int, Key]]:
    """A database of the bundled samples, and each item id's (file name, number)."""
    from kkr_tui.ingest import ingest_paths
    from kkr_tui.store import Store

    db = folder / "samples.db"
    with Store(db) as store:
        ingest_paths(store, sorted((ROOT / "sample_docs").glob("*.txt")))
        rows = store.item_rows(list(range(1, 10_000)))
        keys = {i: (Path(store.item(i).source_path).name, r.number) for i, r in rows.items()}
    return db, keys


def _dumps(db: Path, folder: Path) -> tuple[Path, Path]:
    """One line per item ("id<TAB>title text", whitespace collapsed) for rg, and
    "id<TAB>title" for fzf."""
    from kkr_tui.store import Store

    with Store(db, read_only=True) as store:
        rows = store.item_rows(list(range(1, 10_000)))
        texts = store.item_texts(list(rows))
    items, titles = folder / "items.txt", folder / "titles.txt"
    items.write_text(
        "".join(
            f"{i}\t{' '.join((rows[i].title + ' ' + texts.get(i, '')).split())}\n" for i in rows
        ),
        encoding="utf-8",
    )
    titles.write_text("".join(f"{i}\t{rows[i].title}\n" for i in rows), encoding="utf-8")
    return items, titles


def _ids(lines: str) -> list[int]:
    out = []
    for line in lines.splitlines():
        head = line.split("\t", 1)[0].strip()
        if head.isdigit():
            out.append(int(head))
    return out


def _words(query: str) -> str:
    from kkr_tui.search import parse_query

    return parse_query(query).text


def _tools(db: Path, items: Path, titles: Path) -> dict[str, Callable[[str], list[str]] | str]:
    """Each tool's command line for a query, or why it is skipped."""
    from kkr_tui.search.query import TOKEN_RE
    from kkr_tui.textfold import fold

    def sqlite_cmd(q: str) -> list[str]:
        words = TOKEN_RE.findall(fold(_words(q)))
        match = " ".join(f'"{w}"' for w in words) or '""'
        sql = f"SELECT rowid FROM items_fts WHERE items_fts MATCH '{match}' ORDER BY rank LIMIT 10"
        return ["sqlite3", "-readonly", str(db), sql]

    tools: dict[str, Callable[[str], list[str]] | str] = {
        "kkr-tui": lambda q: [
            sys.executable,
            "-m",
            "kkr_tui",
            "search",
            q,
            "--db",
            str(db),
            "--json",
            "--limit",
            "10",
        ],  # fmt: skip
    }
    tools["sqlite3 fts5"] = sqlite_cmd if shutil.which("sqlite3") else "sqlite3 not installed"
    tools["rg -i"] = (
        (lambda q: ["rg", "-i", "-F", "--no-filename", "-m", "10", _words(q), str(items)])
        if shutil.which("rg")
        else "rg not installed"
    )
    tools["fzf --filter"] = (
        (lambda q: ["fzf", "--filter", _words(q), "--delimiter", "\t", "--nth", "2"])
        if shutil.which("fzf")
        else "fzf not installed"
    )
    return tools


def _run(tool: str, command: list[str], titles: Path) -> tuple[float, list[int], list[str]]:
    """(seconds, item ids in the tool's order, each hit's kind: "meeting" for a hit that
    stands for its item's whole meeting)."""
    stdin = titles.open("rb") if tool == "fzf --filter" else None
    try:
        t = time.perf_counter()
        done = subprocess.run(command, stdin=stdin, capture_output=True, text=True, env=_ENV)
        took = time.perf_counter() - t
    finally:
        if stdin is not None:
            stdin.close()
    if tool == "kkr-tui":
        hits = json.loads(done.stdout or "[]")
        return took, [h["item_id"] for h in hits], [h["kind"] for h in hits]
    ids = _ids(done.stdout)[:10]
    return took, ids, ["item"] * len(ids)


def bench_peers(limit: int | None = None) -> dict[str, Any]:
    """Time, hits@1, MRR and recall@10 of kkr-tui and its peers on the samples."""
    from top_hits import load_cases

    recall_cases = json.loads((ROOT / "tests" / "search_queries.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, keys = _samples_store(folder)
        items, titles = _dumps(db, folder)
        top_cases = load_cases(p.name for p in (ROOT / "sample_docs").glob("*.txt"))[:limit]
        recall_cases = recall_cases[:limit]
        out: dict[str, Any] = {"queries_top": len(top_cases), "queries_recall": len(recall_cases)}
        for tool, command in _tools(db, items, titles).items():
            if isinstance(command, str):
                out[tool] = {"note": command}
                continue
            times: list[float] = []
            first = reciprocal = 0.0
            for case in top_cases:
                took, ids, kinds = _run(tool, command(case.query), titles)
                times.append(took)
                got = [
                    (keys[i][0], None) if kind == "meeting" else keys[i]
                    for i, kind in zip(ids, kinds, strict=True)
                    if i in keys
                ]
                want = (case.file, case.number)
                rank = got.index(want) + 1 if want in got else 0
                first += rank == 1
                reciprocal += 1 / rank if rank else 0.0
            expected = found = 0
            for case in recall_cases:
                took, ids, _ = _run(tool, command(case["query"]), titles)
                times.append(took)
                want = {tuple(e) for e in case["expect"]}
                got_set = {keys[i] for i in ids if i in keys}
                expected += len(want)
                found += len(want & got_set)
            out[tool] = {
                **summary(times),
                "hits_at_1": round(first / len(top_cases), 3),
                "mrr": round(reciprocal / len(top_cases), 3),
                "recall_at_10": round(found / expected, 3) if expected else None,
            }
    return out


if __name__ == "__main__":
    print(json.dumps(bench_peers(), indent=2, ensure_ascii=False))
