"""The "Sådan besluttede de andre" view's text, drawn without running the app."""

from __future__ import annotations

from types import SimpleNamespace

from rich.console import Console

from kkr_tui.app.screens.others import other_prompt, others_view

INDSTILLING = (
    "Det indstilles,\n\n"
    "- At KKR Midtjylland godkender fordelingen af flygtninge i 2026.\n\n"
    "- At KKR Midtjylland godkender, at modellen\nfastholdes.\n\n"
    "1. Et nummereret punkt"
)


def _other(indstilling: str = INDSTILLING) -> SimpleNamespace:
    related = SimpleNamespace(
        council="KKR Midtjylland",
        meeting_date="2025-06-18",
        number="3.7",
        title="Landstallet",
        item_id=7,
    )
    return SimpleNamespace(
        related=related, merged=None, indstilling=indstilling, beslutning="Godkendt."
    )


def _drawn(renderable: object) -> list[str]:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_one_related_item_is_singular_and_many_plural() -> None:
    assert str(others_view("3.5 Flygtninge", [_other()])[1]) == (
        "1 relateret punkt · Enter åbner · Esc tilbage"
    )
    assert str(others_view("3.5 Flygtninge", [_other(), _other()])[1]) == (
        "2 relaterede punkter, nyeste først · Enter åbner · Esc tilbage"
    )


def test_indstilling_keeps_list_items_on_their_own_lines() -> None:
    lines = _drawn(other_prompt(_other()))
    column = [line[:100].strip() for line in lines[1:5]]
    assert column == [
        "Indstilling: Det indstilles,",
        "- At KKR Midtjylland godkender fordelingen af flygtninge i 2026.",
        "- At KKR Midtjylland godkender, at modellen fastholdes.",
        "1. Et nummereret punkt",
    ]
