"""Where a database's bytes go: every table and index, from SQLite's ``dbstat`` table.

The size target (issue 20: the database at most 2.5x its text) needs to know which
table holds what before anything is shrunk. ``dbstat`` gives each b-tree's pages, the
bytes they use on disk (``pgsize``) and the bytes of the records in them (``payload``),
as ``sqlite3_analyzer`` reports them. Free pages (a file not vacuumed since rows were
deleted) are counted apart, so a ratio is never flattered or spoilt by them.

"Text" is what the reader shows of the items: the UTF-8 bytes of every item's title,
its parts' text and its attachment names (``parts.text`` is the display text in every
schema version).

    python bench/dbsize.py bench/out/corpus-100k-s1-v4.db [--json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path


def text_bytes(conn: sqlite3.Connection) -> int:
    """UTF-8 bytes of what the reader shows: titles, parts' text, attachment names."""
    total = 0
    for sql in (
        "SELECT sum(length(CAST(title AS BLOB))) FROM items",
        "SELECT sum(length(CAST(text AS BLOB))) FROM parts",
        "SELECT sum(length(CAST(name AS BLOB))) FROM attachments",
    ):
        total += int(conn.execute(sql).fetchone()[0] or 0)
    return total


def measure(path: Path) -> dict[str, object]:
    """Bytes per table and index (``pgsize``: on disk; ``payload``: record bytes)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
        rows = conn.execute(
            "SELECT name, count(*), sum(pgsize), sum(payload) FROM dbstat"
            " GROUP BY name ORDER BY sum(pgsize) DESC"
        ).fetchall()
        items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        text = text_bytes(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    used = page_size * (page_count - free)
    objects = [
        {
            "name": name,
            "type": kinds.get(name, "table"),
            "pages": pages,
            "bytes": size,
            "payload": payload,
            "share": round(size / used, 4) if used else 0.0,
        }
        for name, pages, size, payload in rows
    ]
    return {
        "file": str(path),
        "schema_version": version,
        "items": items,
        "file_bytes": page_size * page_count,
        "free_bytes": page_size * free,
        "used_bytes": used,
        "text_bytes": text,
        "ratio_to_text": round(used / text, 3) if text else None,
        "bytes_per_item": round(used / items) if items else None,
        "objects": objects,
    }


def table(result: dict[str, object]) -> str:
    """A Markdown table of :func:`measure`'s result, largest first."""
    lines = [
        f"{result['file']} (schema {result['schema_version']}, {result['items']:,} items):"
        f" {int(result['used_bytes']) / 1e6:,.1f} MB used"  # type: ignore[call-overload]
        f" ({int(result['free_bytes']) / 1e6:,.1f} MB free pages),"  # type: ignore[call-overload]
        f" text {int(result['text_bytes']) / 1e6:,.1f} MB,"  # type: ignore[call-overload]
        f" ratio {result['ratio_to_text']}, {result['bytes_per_item']} B an item",
        "",
        "| object | type | MB | share | payload MB |",
        "|---|---|---|---|---|",
    ]
    small = [o for o in result["objects"] if o["bytes"] < 50_000]  # type: ignore[attr-defined]
    for obj in result["objects"]:  # type: ignore[attr-defined]
        if obj in small:
            continue
        lines.append(
            f"| {obj['name']} | {obj['type']} | {obj['bytes'] / 1e6:,.1f} |"
            f" {obj['share'] * 100:.1f} % | {obj['payload'] / 1e6:,.1f} |"
        )
    if small:
        size = sum(o["bytes"] for o in small) / 1e6
        lines.append(f"| {len(small)} others under 50 kB each | | {size:,.1f} | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: print where the bytes of each database go."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = [measure(p) for p in args.db]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("\n\n".join(table(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
