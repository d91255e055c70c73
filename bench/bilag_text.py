"""Bilag text with a real report's word distribution, deterministic by seed.

The first bilag pages of the bench were sample paragraphs shuffled: four samples' ~900
paragraphs recurring on 40,000 pages put "sundh…" on 84 % of the pages and "økonomi" on
45 %, so every figure that grows with the number of matching pages was a worst case no
archive has. A real archive's text follows Zipf's law: a few function words on every
page, a long tail of words (Danish compounds above all) on a handful of pages each,
and every report has its own subject, whose words fill its pages and are rare
elsewhere. This module writes pages that way:

- **The vocabulary** is the samples' own words ranked by how often the samples use
  them (so "og", "i", "at", "kommunerne" lead, as in KKR's documents) for the 300
  most used, then the samples' other words mixed at random ranks among ~60,000
  compounds of two sample words (``sundhed`` + ``s`` + ``klynge``), the tail a real
  archive's vocabulary grows (four samples of 2024-25 are about the health reform; a
  twenty-year archive is not). A word of rank *r* is drawn with weight
  1 / (r + 2.7) (Zipf–Mandelbrot, exponent 1), so "og" is ~3 % of the words and a
  word of rank 1,000 ~0.01 %.
- **Each bilag has a subject**: eight topic words drawn from the content words
  (rank 300 on, with the same Zipf weights, so popular subjects recur across bilag),
  which take 7 % of the words of its pages and make its title.
- **Pages** are sentences of 6–22 words (years and amounts now and then), paragraphs of
  3–6 sentences, about 2.5 kB (a typed A4 page of a KL notat holds 2–3.5 kB), a
  footer "Side n af N".

:class:`Needle` plants known facts (a rare word beside a bilag's subject word on one
page) for the labelled bilag queries of ``bilag_corpus.py``.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass

#: Compounds added after the samples' own words.
TAIL_WORDS = 60_000
#: Zipf–Mandelbrot offset: a word of rank r (0-based) weighs 1 / (r + 1 + SHIFT).
SHIFT = 1.7
#: The samples' most used words, which keep their rank.
HEAD_WORDS = 300
#: The samples' own subject (the health reform: "sundhedsreformen" is their 55th word,
#: on 27 % of the pages if it kept that rank), which ranks as any subject's words do.
SAMPLES_SUBJECT = "sundhed"
#: Words of a bilag's subject, and their share of its pages' words.
TOPIC_WORDS = 8
TOPIC_SHARE = 0.07
#: Content words (that can be a subject) start at this rank: the words before it are
#: the function words and the everyday words of every document.
CONTENT_FROM = HEAD_WORDS
PAGE_CHARS = 2500
TITLES = (
    "Notat om {a}",
    "Analyse af {a} og {b}",
    "Rapport: {a}",
    "Status på {a}",
    "Høringssvar vedrørende {a}",
    "Oplæg om {a} og {b}",
    "Aftale om {a}",
    "Evaluering af {a}",
)

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Subject:
    """A bilag's subject: its topic words and a title made of them."""

    words: tuple[str, ...]
    title: str


class BilagText:
    """Pages of Zipf-distributed Danish report text (see the module docstring)."""

    def __init__(self, sample_text: str, seed: int = 1) -> None:
        counts = Counter(_WORD.findall(sample_text.lower()))
        self.sample_words = frozenset(counts)
        ranked = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        rng = random.Random(seed * 104729)
        parts = [w for w in ranked if len(w) >= 5]
        # A compound's first part is never the samples' subject: a fiftieth of the parts
        # start with "sundhed", so a thousand compounds would, and "sundh…" would start
        # a word on three pages of four.
        firsts = [w for w in parts if not w.startswith(SAMPLES_SUBJECT)]
        known = set(ranked)
        tail: list[str] = []
        while len(tail) < TAIL_WORDS:
            a, b = rng.choice(firsts), rng.choice(parts)
            word = a + ("s" if rng.random() < 0.35 and not a.endswith("s") else "") + b
            if word not in known:
                known.add(word)
                tail.append(word)
        # Only the samples' most used words keep their rank: the function words and
        # KKR's everyday words. The rest mix into the tail at random ranks: four
        # samples from 2024-25 are about the health reform, a twenty-year archive is
        # not, and a word the samples use five times says little of its rank there.
        everyday = [w for w in ranked if not w.startswith(SAMPLES_SUBJECT)]
        head = everyday[:HEAD_WORDS]
        rest = [w for w in ranked if w not in set(head)] + tail
        rng.shuffle(rest)
        self.vocab: list[str] = head + rest
        self.cum = list(itertools.accumulate(1.0 / (r + 1 + SHIFT) for r in range(len(self.vocab))))
        content = [(r, w) for r, w in enumerate(self.vocab) if r >= CONTENT_FROM and len(w) >= 5]
        self.topic_pool = [w for _, w in content]
        self.topic_cum = list(itertools.accumulate(1.0 / (r + 1 + SHIFT) for r, _ in content))
        self.rank = {w: r for r, w in enumerate(self.vocab)}

    def subject(self, rng: random.Random) -> Subject:
        """Topic words for one bilag, and its title."""
        words: list[str] = []
        while len(words) < TOPIC_WORDS:
            (w,) = rng.choices(self.topic_pool, cum_weights=self.topic_cum, k=1)
            if w not in words:
                words.append(w)
        title = rng.choice(TITLES).format(a=words[0], b=words[1])
        return Subject(tuple(words), title[0].upper() + title[1:])

    def sentence(self, rng: random.Random, subject: Subject, year: int) -> str:
        """One sentence: Zipf words, the subject's words at their share, a number now and
        then."""
        n = rng.randint(6, 22)
        words = rng.choices(self.vocab, cum_weights=self.cum, k=n)
        for i in range(n):
            if rng.random() < TOPIC_SHARE:
                words[i] = rng.choice(subject.words)
        if rng.random() < 0.12:
            words.insert(rng.randrange(n), str(year + rng.choice((-1, 0, 0, 1))))
        elif rng.random() < 0.08:
            words.insert(rng.randrange(n), f"{rng.randint(2, 950)},{rng.randint(0, 9)} mio. kr.")
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def page(self, rng: random.Random, subject: Subject, year: int, number: int, total: int) -> str:
        """One page of a bilag about ``subject``: its title on the first page, paragraphs
        to about :data:`PAGE_CHARS`, the page footer."""
        lines = [subject.title] if number == 1 else []
        size = sum(len(line) for line in lines)
        while size < PAGE_CHARS:
            paragraph = " ".join(
                self.sentence(rng, subject, year) for _ in range(rng.randint(3, 6))
            )
            lines.append(paragraph)
            size += len(paragraph) + 1
        lines.append(f"Side {number} af {total}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Needle:
    """A known fact planted on one page of one bilag: ``rare`` (a word from the part of
    the vocabulary a query names on purpose: rank 1,500–6,000, on well under 1 % of the
    pages) written beside the bilag's first topic word. A labelled query asks for both
    (``query``), or for the rare word misspelt (``typo``), and must find that bilag at
    that page."""

    bilag: int
    page: int
    rare: str
    topic: str

    @property
    def sentence(self) -> str:
        return f"Særligt om {self.rare} i forhold til {self.topic}."

    @property
    def query(self) -> str:
        return f"{self.topic} {self.rare}"

    @property
    def typo(self) -> str:
        """The rare word with two letters in its middle swapped (a typing slip)."""
        w = self.rare
        i = len(w) // 2
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :] if w[i] != w[i + 1] else w[:i] + w[i + 2 :]
