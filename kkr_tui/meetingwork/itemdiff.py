"""What changed between two versions of an item: which parts, and which words in them.

Pure: two versions in, a description of the change out (no store, no Textual), so
the reader, the CLI and the tests read the same answer.

Words, not lines: KL re-uploads an agenda with one sentence of a Beslutning changed,
and a line diff of a PDF's text would mark whole paragraphs. Text is cut into words
and punctuation marks (a number such as ``1.000`` or a case number stays one word),
and only those are compared: any run of whitespace equals any other, so a re-typeset
PDF whose lines and paragraphs break elsewhere compares equal, and a word split at a
line end with a hyphen (``kommu-`` / ``nerne``) equals the whole word. What is shown
keeps a paragraph break as a paragraph break and any other whitespace as one space.

The word diff is :class:`difflib.SequenceMatcher` (the standard library's, no new
dependency) without its "popular element" heuristic: in Danish prose *og*, *at* and
*i* are in every line, and the heuristic would treat them as junk and produce
scattered, unreadable matches in long parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

from kkr_tui.records import PartVersion, text_digest

SpanOp = Literal["same", "added", "removed"]
PartStatus = Literal["added", "removed", "changed", "unchanged"]

#: A word (letters and digits, with inner hyphens, apostrophes, points, commas or
#: slashes: ``Indenrigs-``'s hyphen is its own mark, ``1.000`` and ``SAG-2025-02162`` are
#: one word) or one punctuation mark.
_TOKEN = re.compile(r"\w+(?:[-'’.,/]\w+)*|[^\w\s]")
#: How many unchanged words a hunk shows on each side of a change.
CONTEXT_WORDS = 8


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text that is the same in both versions, only in the new one (``added``)
    or only in the old one (``removed``). ``text`` carries the space before its first
    word (none at the start of its version), so the spans of one version joined in
    order are that version's text with its whitespace normalised."""

    op: SpanOp
    text: str
    words: int


@dataclass(frozen=True, slots=True)
class PartDiff:
    """One part as it differs (or not) between the versions.

    ``spans`` is the word diff of a changed part; an added part is one ``added``
    span, a removed one one ``removed`` span, an unchanged one has none.
    ``compared`` is False when the earlier text was not kept (too long): the part is
    known to have changed, not how."""

    kind: str
    heading: str
    status: PartStatus
    spans: tuple[Span, ...] = ()
    compared: bool = True

    @property
    def added_words(self) -> int:
        return sum(s.words for s in self.spans if s.op == "added")

    @property
    def removed_words(self) -> int:
        return sum(s.words for s in self.spans if s.op == "removed")


@dataclass(frozen=True, slots=True)
class ItemDiff:
    """The change between two versions of an item: its title (when it changed) and
    every part of either version, in the new version's order (a removed part where it
    stood)."""

    title: tuple[Span, ...] | None
    parts: tuple[PartDiff, ...]

    @property
    def changed_parts(self) -> tuple[PartDiff, ...]:
        """The parts that differ."""
        return tuple(p for p in self.parts if p.status != "unchanged")

    @property
    def is_same(self) -> bool:
        """True when the two versions read the same, whitespace aside."""
        return self.title is None and not self.changed_parts


class _Token(NamedTuple):
    """A word or mark (a tuple: millions are made for a long part, and a frozen
    dataclass costs several times as much to build)."""

    key: str  # what is compared
    text: str  # what is shown
    gap: str  # the whitespace before it, normalised: "", " " or "\n\n"


def _gap(space: str) -> str:
    if space == " " or not space:
        return space
    return "\n\n" if space.count("\n") >= 2 else " "


def tokens(text: str) -> list[_Token]:
    """The words and marks of ``text`` with the (normalised) whitespace before each.

    A word glued to a hyphen and followed by a word in lower case (``kommu- nerne``,
    ``kommu-`` at a line end, ``Indenrigs- og``) is compared as the two words joined
    without the hyphen, whatever whitespace lies between: typesetting splits words at
    line ends, and a compound's hyphen before *og* is then indistinguishable from such
    a split, so both versions are read alike. It is shown as written."""
    out: list[_Token] = []
    last = 0
    glued = False  # the last token ends in a hyphen glued to its word
    for match in _TOKEN.finditer(text):
        space = text[last : match.start()]
        word = match.group()
        last = match.end()
        if glued and word[:1].islower() and not space.strip():
            prev = out[-1]
            gap = " " if space else ""
            out[-1] = _Token(prev.key[:-1] + word, prev.text + gap + word, prev.gap)
            glued = False
            continue
        glued = False
        if word == "-" and out and not space and out[-1].key[-1:].isalnum():
            prev = out[-1]
            out[-1] = _Token(prev.key + "-", prev.text + "-", prev.gap)
            glued = True
            continue
        out.append(_Token(word, word, _gap(space) if out else ""))
    return out


def normalised(text: str) -> str:
    """``text`` as the diff shows it: words and marks with normalised whitespace."""
    return _join(tokens(text), first=True)


def _join(run: Sequence[_Token], *, first: bool) -> str:
    parts = []
    for index, token in enumerate(run):
        gap = "" if first and index == 0 else (token.gap or "")
        parts.append(gap + token.text)
    return "".join(parts)


def _words(run: Iterable[_Token]) -> int:
    return sum(1 for t in run if t.key[:1].isalnum() or t.key[:1] == "_")


def word_diff(old: str, new: str) -> tuple[Span, ...]:
    """The word diff of two texts: spans in reading order, removed words before the
    added words that replace them. Whitespace never differs; see the module's doc.

    Joined in order, the ``same`` and ``added`` spans are ``normalised(new)`` (with one
    leading space when the diff starts with removed words), the ``same`` and
    ``removed`` spans the words of ``old``."""
    return _spans(tokens(old), tokens(new))


def _spans(a: list[_Token], b: list[_Token]) -> tuple[Span, ...]:
    spans: list[Span] = []

    def add(op: SpanOp, run: Sequence[_Token], at_start: bool) -> None:
        if not run:
            return
        text = _join(run, first=at_start and not spans)
        if at_start and spans:
            # The first word of one version after words of the other: a space between.
            text = " " + text
        if spans and spans[-1].op == op:
            last = spans[-1]
            spans[-1] = Span(op, last.text + text, last.words + _words(run))
        else:
            spans.append(Span(op, text, _words(run)))

    for tag, i1, i2, j1, j2 in _opcodes([t.key for t in a], [t.key for t in b]):
        if tag == "equal":
            add("same", b[j1:j2], j1 == 0)
            continue
        add("removed", a[i1:i2], i1 == 0)
        add("added", b[j1:j2], j1 == 0)
    return tuple(spans)


#: The largest word diff done in one piece (words of the old side times words of the
#: new): SequenceMatcher's time grows with the product, ~125 ms at 1,000 x 1,000 on the
#: reference machine. Longer texts are first aligned sentence by sentence.
MAX_WORD_PRODUCT = 1_000_000
#: The same bound for aligning sentences (a sentence compares as one element).
MAX_SENTENCE_PRODUCT = 4_000_000
_SENTENCE_END = frozenset({".", "!", "?", ":", ";"})

Opcode = tuple[str, int, int, int, int]


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """Opcodes (as SequenceMatcher's) turning ``a`` into ``b``, in bounded time.

    Small enough: one word-level SequenceMatcher. Otherwise the common head and tail
    are cut off, the rest aligned by sentences (which end at a full stop or similar,
    whatever the line breaks) and each differing run of sentences diffed word by word
    when small enough; a run still too large (a part rewritten from end to end) is
    shown whole as removed and added."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    out: list[Opcode] = []
    if head:
        out.append(("equal", 0, head, 0, head))
    out.extend(_middle(a, b, head, len(a) - tail, head, len(b) - tail))
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


def _words_matched(
    a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> list[Opcode]:
    matcher = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    return [(t, x1 + i1, x2 + i1, y1 + j1, y2 + j1) for t, x1, x2, y1, y2 in matcher.get_opcodes()]


def _middle(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int) -> list[Opcode]:
    if i1 == i2 and j1 == j2:
        return []
    if i1 == i2 or j1 == j2:
        return [("insert" if i1 == i2 else "delete", i1, i2, j1, j2)]
    if (i2 - i1) * (j2 - j1) <= MAX_WORD_PRODUCT:
        return _words_matched(a, b, i1, i2, j1, j2)
    sa, sb = _sentences(a, i1, i2), _sentences(b, j1, j2)
    if len(sa) * len(sb) > MAX_SENTENCE_PRODUCT or (len(sa) == 1 and len(sb) == 1):
        return [("replace", i1, i2, j1, j2)]
    matcher = SequenceMatcher(
        None,
        [tuple(a[x:y]) for x, y in sa],
        [tuple(b[x:y]) for x, y in sb],
        autojunk=False,
    )
    out: list[Opcode] = []
    for tag, x1, x2, y1, y2 in matcher.get_opcodes():
        ai1 = sa[x1][0] if x1 < len(sa) else i2
        ai2 = sa[x2 - 1][1] if x2 > x1 else ai1
        bj1 = sb[y1][0] if y1 < len(sb) else j2
        bj2 = sb[y2 - 1][1] if y2 > y1 else bj1
        if tag == "equal":
            out.append(("equal", ai1, ai2, bj1, bj2))
        elif (ai2 - ai1) * (bj2 - bj1) <= MAX_WORD_PRODUCT:
            out.extend(
                _words_matched(a, b, ai1, ai2, bj1, bj2)
                if ai1 < ai2 and bj1 < bj2
                else [("insert" if ai1 == ai2 else "delete", ai1, ai2, bj1, bj2)]
            )
        else:
            out.append(("replace", ai1, ai2, bj1, bj2))
    return out


def _sentences(keys: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """``keys[start:end]`` cut after each sentence end: (from, to) index pairs."""
    out: list[tuple[int, int]] = []
    first = start
    for index in range(start, end):
        if keys[index] in _SENTENCE_END:
            out.append((first, index + 1))
            first = index + 1
    if first < end:
        out.append((first, end))
    return out


def part_diff(old: PartVersion | None, new: PartVersion | None) -> PartDiff:
    """One part compared: added (no old), removed (no new), changed or unchanged."""
    if old is None and new is not None:
        text = normalised(new.text or "")
        return PartDiff(new.kind, new.heading, "added", (Span("added", text, _count(text)),))
    if new is None and old is not None:
        if old.text is None:
            return PartDiff(old.kind, old.heading, "removed", (), compared=False)
        text = normalised(old.text)
        return PartDiff(old.kind, old.heading, "removed", (Span("removed", text, _count(text)),))
    assert old is not None and new is not None
    if old.text is None:
        same = bool(old.digest) and old.digest == text_digest(new.text or "")
        status: PartStatus = "unchanged" if same else "changed"
        return PartDiff(new.kind, new.heading, status, (), compared=False)
    new_text = new.text or ""
    if old.text.split() == new_text.split():  # the common case, answered cheaply
        return PartDiff(new.kind, new.heading, "unchanged")
    a, b = tokens(old.text), tokens(new_text)
    if [t.key for t in a] == [t.key for t in b]:
        return PartDiff(new.kind, new.heading, "unchanged")
    return PartDiff(new.kind, new.heading, "changed", _spans(a, b))


def _same_words(old: str, new: str) -> bool:
    """Whether two texts have the same words. Equal but for whitespace is answered
    without cutting them into words (most parts of a changed item are unchanged, and
    cutting is most of the cost)."""
    if old.split() == new.split():
        return True
    return [t.key for t in tokens(old)] == [t.key for t in tokens(new)]


def _count(text: str) -> int:
    return _words(tokens(text))


def _pair(
    old: Sequence[PartVersion], new: Sequence[PartVersion]
) -> list[tuple[PartVersion | None, PartVersion | None]]:
    """Old and new parts paired by kind, the n-th of a kind with the n-th; unpaired old
    parts placed after the new part that followed them in the old order."""
    remaining: dict[str, list[PartVersion]] = {}
    for part in old:
        remaining.setdefault(part.kind, []).append(part)
    paired: list[tuple[PartVersion | None, PartVersion | None]] = []
    used: set[int] = set()
    for part in new:
        queue = remaining.get(part.kind)
        match = queue.pop(0) if queue else None
        if match is not None:
            used.add(id(match))
        paired.append((match, part))
    # Removed parts go where they stood: after the paired part that came before them.
    out: list[tuple[PartVersion | None, PartVersion | None]] = []
    placed_after: dict[int, list[PartVersion]] = {}
    anchor: PartVersion | None = None
    leading: list[PartVersion] = []
    for part in old:
        if id(part) in used:
            anchor = part
        elif anchor is None:
            leading.append(part)
        else:
            placed_after.setdefault(id(anchor), []).append(part)
    out.extend((part, None) for part in leading)
    for before, after in paired:
        out.append((before, after))
        if before is not None:
            out.extend((part, None) for part in placed_after.get(id(before), []))
    return out


def item_diff(
    old_title: str,
    old_parts: Sequence[PartVersion],
    new_title: str,
    new_parts: Sequence[PartVersion],
    *,
    keep_removed: bool = True,
) -> ItemDiff:
    """The change between two versions of an item.

    ``keep_removed=False`` leaves out parts only the old version has: the minutes
    repeat no Indstilling they took over unchanged, and the reader shows it from the
    agenda, so "removed" would say something untrue.
    """
    title = None
    if not _same_words(old_title, new_title):
        title = word_diff(old_title, new_title)
    parts = [part_diff(before, after) for before, after in _pair(old_parts, new_parts)]
    if not keep_removed:
        parts = [p for p in parts if p.status != "removed"]
    return ItemDiff(title, tuple(parts))


@dataclass(frozen=True, slots=True)
class Hunk:
    """Changes with a little unchanged text around them. ``cut_before``/``cut_after``
    say that unchanged text was left out there (shown as "…")."""

    spans: tuple[Span, ...]
    cut_before: bool
    cut_after: bool


def hunks(spans: Sequence[Span], context: int = CONTEXT_WORDS) -> list[Hunk]:
    """The changes of a word diff with ``context`` unchanged words on each side; long
    unchanged stretches between them split the diff into separate hunks. A diff
    without changes has no hunks."""
    out: list[Hunk] = []
    current: list[Span] = []
    cut_before = False
    last = len(spans) - 1
    for index, span in enumerate(spans):
        if span.op != "same":
            current.append(span)
            continue
        pieces = _words_of(span.text)
        inner = 0 < index < last
        if inner and len(pieces) <= 2 * context:
            current.append(span)
            continue
        if index > 0:
            head = pieces[:context]
            current.append(Span("same", "".join(head), _count("".join(head))))
            out.append(Hunk(tuple(current), cut_before, len(pieces) > context or inner))
            current = []
        if index < last:
            tail = pieces[-context:] if context else []
            cut_before = len(pieces) > len(tail)
            text = "".join(tail)
            current = [Span("same", text.lstrip() if cut_before else text, _count(text))]
    if any(s.op != "same" for s in current):
        out.append(Hunk(tuple(current), cut_before, False))
    return [h for h in out if any(s.op != "same" for s in h.spans)]


def _words_of(text: str) -> list[str]:
    """``text`` cut before each gap, each piece a word with the space before it."""
    return re.findall(r"\s*\S+", text)
