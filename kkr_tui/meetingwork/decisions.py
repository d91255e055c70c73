"""Read a decision (Beslutning) against its recommendation (Indstilling).

KKR minutes record most decisions with a fixed formula ("KKR Hovedstaden tiltrådte
indstillingen.", "… tog orienteringen til efterretning.", "… blev godkendt."). A
reader preparing a meeting wants to see at once where the council did something else:
changed the recommendation, postponed or rejected it, or added remarks. The rules are
deliberately plain and ordered, so that they can be explained and tested:

1. no decision text                                   -> ``none``
2. a word of rejection ("afviste", "ikke godkendt")   -> ``rejected``
3. a word of postponement ("udsat", "udsættes")       -> ``postponed``
4. a word of change ("med den ændring", "ændrede")    -> ``changed``
5. the decision is one formula sentence               -> ``approved`` / ``noted`` / ``discussed``
6. a formula sentence plus more text                  -> ``remarks``
7. anything else (a narrative without a formula)      -> ``remarks``

Only ``approved``, ``noted`` and ``discussed`` follow the recommendation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Outcome = Literal[
    "none", "approved", "noted", "discussed", "remarks", "changed", "postponed", "rejected"
]

AS_RECOMMENDED: frozenset[str] = frozenset({"approved", "noted", "discussed"})

LABELS: dict[str, str] = {
    "none": "ingen beslutning",
    "approved": "godkendt som indstillet",
    "noted": "taget til efterretning",
    "discussed": "drøftet",
    "remarks": "med bemærkninger",
    "changed": "ændret",
    "postponed": "udsat",
    "rejected": "afvist",
}

_REJECTED = re.compile(
    r"\b(afvist[e]?|forkast(?:ede|et)|ikke\s+(?:godkendt|tiltrådt|vedtaget)|kunne\s+ikke\s+tiltræde|"
    r"tilbagesendt|trukket\s+tilbage)\b",
    re.IGNORECASE,
)
_POSTPONED = re.compile(
    r"\b(udsat(?:te)?|udsættes|udskudt|udskydes|genoptages|behandles\s+på\s+(?:et\s+)?(?:senere|næste)\s+møde|"
    r"taget\s+af\s+dagsordenen|tog\s+punktet\s+af)\b",
    re.IGNORECASE,
)
_CHANGED = re.compile(
    r"\b(med\s+(?:den|de|følgende)\s+ændring(?:er)?|ændrede|ændret\s+således|med\s+(?:den\s+)?tilføjelse|"
    r"i\s+stedet\s+for|dog\s+således|med\s+følgende\s+(?:bemærkning|justering)|justeret)\b",
    re.IGNORECASE,
)
_FORMULAS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "approved",
        re.compile(
            r"\b(tiltrådte\s+indstillingen|godkendte\s+indstillingen|blev\s+godkendt|"
            r"godkendte\s+\w+|tiltrådte\s+\w+|vedtog)\b",
            re.IGNORECASE,
        ),
    ),
    ("noted", re.compile(r"\btog\s+.{0,80}?\btil\s+efterretning\b", re.IGNORECASE)),
    ("discussed", re.compile(r"\bdrøftede\b", re.IGNORECASE)),
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


@dataclass(frozen=True, slots=True)
class DecisionReading:
    """The outcome of one item and why: the rule that fired, quoted."""

    outcome: Outcome
    reason: str

    @property
    def departs(self) -> bool:
        """True when the council did something other than follow the recommendation."""
        return self.outcome not in AS_RECOMMENDED and self.outcome != "none"

    @property
    def label(self) -> str:
        return LABELS[self.outcome]


def read_decision(decision: str | None, recommendation: str | None = None) -> DecisionReading:
    """Classify a decision text; ``recommendation`` makes "drøftede" follow "drøfter"."""
    text = " ".join((decision or "").split())
    if not text:
        return DecisionReading("none", "no decision text")
    for outcome, pattern in (
        ("rejected", _REJECTED),
        ("postponed", _POSTPONED),
        ("changed", _CHANGED),
    ):
        match = pattern.search(text)
        if match:
            return DecisionReading(outcome, f"“{match.group(0)}”")  # type: ignore[arg-type]
    sentences = [s for s in _SENTENCE_RE.split(text) if s.strip()]
    for outcome, pattern in _FORMULAS:
        match = pattern.search(text)
        if not match:
            continue
        if outcome == "discussed" and recommendation and "drøft" not in recommendation.lower():
            continue
        if len(sentences) == 1:
            return DecisionReading(outcome, f"“{match.group(0)}”")  # type: ignore[arg-type]
        return DecisionReading(
            "remarks", f"“{match.group(0)}” and {len(sentences) - 1} more sentence(s)"
        )
    return DecisionReading("remarks", "no decision formula; a narrative decision")
