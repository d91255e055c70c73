"""Regenerate docs/screenshot.svg: the reader on the bundled samples, an item open.

Run from the repository root: ``python docs/make_screenshot.py``. It uses a throwaway
database and config, so it never touches the user's own.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from app_fixtures import build_sample_store, make_app, settle  # noqa: E402


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = build_sample_store(Path(tmp) / "kkr.db", sorted((ROOT / "sample_docs").glob("*.txt")))
        app = make_app(db, Path(tmp) / "config.toml")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            for key in ("/",):
                await pilot.press(key)
            await pilot.press(*"sundhedsreform")
            await settle(pilot, 12)
            await pilot.press("enter")
            await settle(pilot, 12)
            app.save_screenshot(filename="screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
