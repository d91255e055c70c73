"""Search across all councils: case numbers, item numbers, and typo-tolerant Danish text.

Fast at 100k-1M items, never a fuzzy scan over all items. One module a job:

- :mod:`.query`      what a query asks for: words, filters, case and item numbers
- :mod:`.vocabulary` the index's terms in memory (:mod:`.termlist` keeps them compact,
  :mod:`.loading` reads them in steps, :mod:`.snapshot` saves a large one for the next
  start, :mod:`.memory` gives the load's garbage back to the OS)
- :mod:`.expand`     a query word and what it stands for in the vocabulary
- :mod:`.rank`       full-text candidates, re-ranked
- :mod:`.highlight`  highlight spans and snippets in display text
- :mod:`.hits`       :class:`SearchHit`, what a search hands back
- :mod:`.index`      :class:`SearchIndex`: one store's search and its cached vocabulary

Use: ``SearchIndex(store).search("sundhedsreform")``; keep the index as long as the
store, so the vocabulary is read once.
"""

from __future__ import annotations

from kkr_tui.search.hits import HitKind, SearchHit
from kkr_tui.search.index import Answer, FilterProblem, SearchIndex
from kkr_tui.search.query import ParsedQuery, parse_query, resolve_councils
from kkr_tui.search.vocabulary import Vocabulary

__all__ = [
    "Answer",
    "FilterProblem",
    "HitKind",
    "ParsedQuery",
    "SearchHit",
    "SearchIndex",
    "Vocabulary",
    "parse_query",
    "resolve_councils",
]
