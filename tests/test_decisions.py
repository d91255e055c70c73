"""Decision reading: the rules of kkr_tui.decisions on the samples' real decision texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kkr_tui.decisions import read_decision
from kkr_tui.parser import parse
from kkr_tui.sources.text import read_text

MINUTES = Path(__file__).resolve().parents[1] / "sample_docs" / "001_5e5d42c32cdde801.txt"


@pytest.fixture(scope="module")
def readings() -> dict[str, tuple[str, bool]]:
    meeting = parse(read_text(MINUTES))
    out = {}
    for item in meeting.items():
        rec, dec = item.part("Indstilling"), item.part("Beslutning")
        reading = read_decision(dec.text if dec else None, rec.text if rec else None)
        out[item.number] = (reading.outcome, reading.departs)
    return out


def test_formula_decisions_follow_the_recommendation(readings) -> None:
    assert readings["1.2"] == ("approved", False)  # "… blev godkendt."
    assert readings["3.7"] == ("approved", False)  # "KKR Hovedstaden tiltrådte indstillingen."
    assert readings["4.2"] == ("noted", False)  # "… tog orienteringen til efterretning."
    assert readings["3.5"] == ("discussed", False)  # recommendation "drøfter", decision "drøftede"


def test_extra_sentences_and_narratives_are_remarks(readings) -> None:
    assert readings["3.8"] == ("remarks", True)  # tiltrådte + a question and a follow-up
    assert readings["3.2"] == ("remarks", True)  # a remark before "tog … til efterretning"
    assert readings["3.1"] == ("remarks", True)  # narrative, no formula


def test_item_without_decision(readings) -> None:
    assert readings["2.1"] == ("none", False)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        (
            "KKR Hovedstaden godkendte indstillingen med den ændring, at fristen blev 1. maj.",
            "changed",
        ),
        ("Punktet blev udsat til næste møde.", "postponed"),
        ("KKR Sjælland kunne ikke tiltræde indstillingen.", "rejected"),
        ("Indstillingen blev ikke godkendt.", "rejected"),
        ("KKR Midtjylland drøftede sagen.", "discussed"),
    ],
)
def test_departures(text: str, outcome: str) -> None:
    reading = read_decision(text, "Det indstilles, at KKR drøfter og godkender sagen.")
    assert reading.outcome == outcome
    assert reading.departs is (outcome not in ("approved", "noted", "discussed"))


def test_discussion_does_not_follow_an_approval_recommendation() -> None:
    reading = read_decision("KKR drøftede sagen.", "Det indstilles, at KKR godkender planen.")
    assert reading.departs
