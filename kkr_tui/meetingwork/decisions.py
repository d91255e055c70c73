"""Read a decision (Beslutning) against its recommendation (Indstilling).

A false ⚠ is worse than none: a secretary who sees "afviger" on a plain "Godkendt."
stops trusting the reader. So ⚠ means one thing only: the council did something other
than recommended (changed, postponed, rejected, sent back, took the item off the
agenda, or it was withdrawn). Where the text does not settle it, the reading says
*uafklaret* and why, never ⚠.

How the text is read (Danish grammar, not council-specific formulas):

- The text is split into sentences and words. Every sentence is searched for *acts*:
  the forms of the verbs in :data:`kkr_tui.meetingwork.decision_words.VERBS`. A verb is
  listed once, as its stem and conjugation class; its present, past, participle and
  passive forms are generated (``godkend`` → godkender, godkendte, godkendt,
  godkendes …), so "Godkendt.", "KKR Sjælland godkendte …" and "Indstillingen blev
  godkendt." are the same act. Verbs that need a complement ("tage … til
  efterretning", "sende … tilbage", "tage … af dagsordenen") list it, found within a
  few words on either side, as Danish word order puts it.
- Negation ("ikke", "ej") shortly before or after a verb turns an approval into a
  rejection ("kunne ikke tiltræde", "blev ikke godkendt") and anything else into
  *uafklaret*. A hypothetical modal just before it ("skal godkendes", "vil blive
  behandlet") means it is not the council's act here: an approval is then ignored, a
  departure gives *uafklaret*.
- Modifiers that change what was approved ("med den ændring", "dog således", "i
  stedet") are :data:`~kkr_tui.meetingwork.decision_words.CHANGE_MARKERS`; they count
  only in a sentence that also holds an act or names the recommendation, else the
  reading is *uafklaret*.
- The recommendation is read with the same words: when it asks for approval, only an
  approval answers it (a "Drøftet." or "Taget til efterretning." is *uafklaret*); a
  request to discuss or to take note is answered by a discussion, a note, an approval
  or (for a note) a presentation.
- Sentences without an act are remarks, questions, thanks or narrative: they never
  make a departure; the label says "med bemærkninger".

A new phrasing needs a word-list entry in :mod:`.decision_words`, not a new rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kkr_tui.meetingwork.decision_words import (
    CHANGE_MARKERS,
    HYPOTHETICAL,
    NEGATIONS,
    NOTHING_PHRASES,
    NOTHING_WORDS,
    RECOMMENDATION_WORDS,
    REMARK_PREFIXES,
    SUBORDINATORS,
    UNSURE_MARKERS,
    VERBS,
    Kind,
    Verb,
)

Outcome = Literal[
    "none",
    "approved",
    "noted",
    "discussed",
    "informed",
    "nothing",
    "unsure",
    "changed",
    "postponed",
    "rejected",
    "returned",
    "removed",
    "withdrawn",
]

#: Outcomes where the council did what was recommended.
FOLLOWS: frozenset[str] = frozenset({"approved", "noted", "discussed", "informed", "nothing"})
#: Outcomes where it did something else: the only ones marked ⚠.
DEPARTS: frozenset[str] = frozenset(
    {"changed", "postponed", "rejected", "returned", "removed", "withdrawn"}
)
#: Kept for callers of the old module: the outcomes that follow the recommendation.
AS_RECOMMENDED = FOLLOWS

#: Labels of the outcomes that follow, when the decision also holds remarks.
REMARK_LABELS: dict[str, str] = {
    "approved": "godkendt, med bemærkninger",
    "noted": "taget til efterretning, m. bemærkn.",
    "discussed": "drøftet, med bemærkninger",
    "informed": "orientering givet, m. bemærkn.",
    "nothing": "intet at bemærke",
}
LABELS: dict[str, str] = {
    "none": "ingen beslutning",
    "approved": "godkendt som indstillet",
    "noted": "taget til efterretning",
    "discussed": "drøftet",
    "informed": "orientering givet",
    "nothing": "intet at bemærke",
    "unsure": "uafklaret",
    "changed": "ændret",
    "postponed": "udsat",
    "rejected": "afvist",
    "returned": "sendt tilbage",
    "removed": "taget af dagsordenen",
    "withdrawn": "trukket tilbage",
}

#: Which recommendation kinds a decision act answers.
ANSWERS: dict[Kind, frozenset[Kind]] = {
    "approved": frozenset({"approved", "noted", "discussed"}),
    "noted": frozenset({"noted", "discussed"}),
    "discussed": frozenset({"noted", "discussed"}),
    "informed": frozenset({"noted"}),
}
_FOLLOW_ORDER: tuple[Kind, ...] = ("approved", "noted", "discussed", "informed")
_DEPART_ORDER: tuple[Kind, ...] = (
    "rejected",
    "withdrawn",
    "removed",
    "returned",
    "postponed",
    "changed",
)
QUOTE_MAX = 24
_AUXILIARIES = frozenset({"blev", "er", "var", "ikke", "kunne", "blive", "bliver"})
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"“”–•-])")
_CLAUSE_RE = re.compile(r"[,;:]\s*|\s+men\s+")
_WORD_RE = re.compile(r"[a-zæøåéü]+(?:-[a-zæøåéü]+)*")


@dataclass(frozen=True, slots=True)
class DecisionReading:
    """How one item was decided and why, in Danish, short enough for one line."""

    outcome: Outcome
    reason: str
    remarks: bool = False

    @property
    def departs(self) -> bool:
        """True only when the council did something other than recommended."""
        return self.outcome in DEPARTS

    @property
    def unsure(self) -> bool:
        return self.outcome == "unsure"

    @property
    def label(self) -> str:
        """``godkendt som indstillet``, ``taget til efterretning med bemærkninger``, ``udsat``."""
        if self.remarks and self.outcome in REMARK_LABELS:
            return REMARK_LABELS[self.outcome]
        return LABELS[self.outcome]

    @property
    def mark(self) -> str:
        """``⚠`` departs, ``?`` unsure, ``✓`` follows, ``·`` no decision."""
        if self.departs:
            return "⚠"
        if self.unsure:
            return "?"
        return "✓" if self.outcome in FOLLOWS else "·"

    @property
    def line(self) -> str:
        """The one line the reader and the CLI show: mark, label, reason (≤ 80 columns)."""
        extra = " (afviger)" if self.departs else ""
        return f"{self.mark} {self.label}{extra} · {self.reason}"


@dataclass(frozen=True, slots=True)
class Act:
    """A verb of :data:`VERBS` found in a sentence, after negation and modality."""

    kind: Kind
    quote: str
    negated: bool
    hypothetical: bool
    negation_rejects: bool = True


def _words(sentence: str) -> list[str]:
    return _WORD_RE.findall(sentence.lower())


def _has_sequence(words: list[str], seq: tuple[str, ...], lo: int, hi: int) -> bool:
    n = len(seq)
    return any(
        tuple(words[i : i + n]) == seq for i in range(max(0, lo), min(len(words), hi) - n + 1)
    )


def _complement_found(words: list[str], at: int, verb: Verb) -> bool:
    if verb.needs and not verb.needs.intersection(words):
        return False
    if not verb.complements:
        return True
    return any(
        _has_sequence(words, seq, at + 1, at + 1 + verb.after + len(seq))
        or _has_sequence(words, seq, at - verb.before - len(seq), at)
        for seq in verb.complements
    )


def _acts(sentence: str, words: list[str]) -> list[Act]:
    found: list[Act] = []
    short = sentence.strip() if len(sentence.strip()) <= QUOTE_MAX else None
    for i, word in enumerate(words):
        for verb in VERBS.get(word, ()):
            if not _complement_found(words, i, verb):
                continue
            window = words[max(0, i - 3) : i] + words[i + 1 : i + 3]
            negated = any(w in NEGATIONS or w in NOTHING_WORDS for w in window)
            rejects = verb.negation_rejects and not any(w in NOTHING_WORDS for w in window)
            hypothetical = any(w in HYPOTHETICAL for w in words[max(0, i - 3) : i])
            start = i - 1 if i and words[i - 1] in _AUXILIARIES else i
            quote = short or " ".join(words[start : i + 3])
            found.append(Act(verb.kind, quote, negated, hypothetical, rejects))
    return found


def _phrase_in(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    for seq in phrases:
        if _has_sequence(words, seq, 0, len(words)):
            return seq
    return None


def _quote(text: str) -> str:
    text = text.strip()
    if len(text) > QUOTE_MAX:
        text = text[: QUOTE_MAX - 1].rstrip() + "…"
    return f"“{text}”"


def _adopts(clause: str) -> bool:
    """The clause adopts something: an approval act of the council, or names the recommendation."""
    words = _words(clause)
    if any(w.startswith("indstilling") for w in words):
        return True
    return any(
        a.kind == "approved" and not (a.negated or a.hypothetical) for a in _acts(clause, words)
    )


def _change_in(sentence: str) -> tuple[str, bool] | None:
    """A change marker in the sentence, and whether it modifies what the council adopted.

    It does when its clause (or the clause it follows: "godkendt, dog således at …") adopts
    something; a clause that reports a discussion ("…, hvordan man i stedet …") is skipped.
    """
    clauses = _CLAUSE_RE.split(sentence)
    for j, clause in enumerate(clauses):
        words = _words(clause)
        marker = _phrase_in(words, CHANGE_MARKERS)
        if marker is None or (words and words[0] in SUBORDINATORS):
            continue
        text = " ".join(marker)
        return text, _adopts(clause) or (j > 0 and _adopts(clauses[j - 1]))
    return None


def recommendation_kinds(recommendation: str | None) -> frozenset[Kind]:
    """What the Indstilling asks for: approval, a note, a discussion (may be several)."""
    words = _words(recommendation or "")
    kinds: set[Kind] = set()
    for i, word in enumerate(words):
        for verb in RECOMMENDATION_WORDS.get(word, ()):
            if _complement_found(words, i, verb):
                kinds.add(verb.kind)
    return frozenset(kinds)


def split_sentences(text: str) -> list[str]:
    """Sentences of a decision text (a date's "3. februar" never ends one)."""
    return [s for s in _SENTENCE_RE.split(" ".join(text.split())) if s.strip()]


def read_decision(decision: str | None, recommendation: str | None = None) -> DecisionReading:
    """Read the decision against the recommendation; see the module docstring for how."""
    text = " ".join((decision or "").split())
    if not text:
        return DecisionReading("none", "ingen beslutningstekst")
    asked = recommendation_kinds(recommendation)
    sentences = split_sentences(text)
    follows: list[Act] = []
    departures: list[tuple[Kind, str]] = []
    doubts: list[str] = []
    remark_sentences = 0
    for sentence in sentences:
        words = _words(sentence)
        acts = _acts(sentence, words)
        own = [a for a in acts if not a.hypothetical and not a.negated]
        change = _change_in(sentence)
        if change is not None:
            marker, applies = change
            if applies:
                departures.append(("changed", marker))
            else:
                doubts.append(f"“{marker}” uden beslutning")
        unsure_marker = _phrase_in(words, UNSURE_MARKERS)
        if unsure_marker is not None:
            doubts.append(f"“{' '.join(unsure_marker)}”")
        for act in acts:
            if act.kind in DEPARTS:
                if act.negated or act.hypothetical:
                    doubts.append(_quote(act.quote))
                else:
                    departures.append((act.kind, act.quote))
            elif act.negated:
                if act.kind == "approved" and act.negation_rejects and not act.hypothetical:
                    departures.append(("rejected", act.quote))
                else:
                    doubts.append(_quote(act.quote))
            elif not act.hypothetical:
                follows.append(act)
        if _phrase_in(words, NOTHING_PHRASES) is not None and not acts:
            follows.append(Act("nothing", "intet at bemærke", False, False))
        elif (not own and change is None) or any(w.startswith(REMARK_PREFIXES) for w in words):
            remark_sentences += 1
    if departures:
        kind, quote = min(departures, key=lambda d: _DEPART_ORDER.index(d[0]))
        return DecisionReading(kind, _quote(quote))
    if doubts:
        return DecisionReading("unsure", doubts[0])
    return _follow_reading(follows, asked, remark_sentences, len(sentences))


def _follow_reading(
    follows: list[Act], asked: frozenset[Kind], remark_sentences: int, sentences: int
) -> DecisionReading:
    remarks = remark_sentences > 0
    if any(a.kind == "nothing" for a in follows) and not asked - {"noted"}:
        return DecisionReading("nothing", "“intet at bemærke”")
    kinds = {a.kind for a in follows}
    if not kinds:
        why = "ingen beslutningsformel" if sentences == 1 else "referat uden beslutningsformel"
        return DecisionReading("unsure", why)
    if "approved" in asked and "approved" not in kinds:
        done = next(k for k in _FOLLOW_ORDER if k in kinds)
        return DecisionReading("unsure", f"{LABELS[done]}, men indstillingen bad om godkendelse")
    for kind in _FOLLOW_ORDER:
        if kind in kinds and (not asked or asked & ANSWERS.get(kind, frozenset())):
            act = next(a for a in follows if a.kind == kind)
            more = f", +{remark_sentences} sætn." if remarks else ""
            return DecisionReading(kind, _quote(act.quote) + more, remarks)
    done = next(k for k in _FOLLOW_ORDER if k in kinds)
    return DecisionReading("unsure", f"{LABELS[done]}, men det var ikke det indstillede")
