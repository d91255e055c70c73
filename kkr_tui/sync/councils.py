"""The five councils sync reads, slug -> the name the documents use.

On its own so that ``kkr-tui --help`` (which names them in the ``sync`` help) loads
nothing else of sync: its configuration pulls in dataclasses and urllib.
"""

from __future__ import annotations

COUNCILS: dict[str, str] = {
    "hovedstaden": "KKR Hovedstaden",
    "sjaelland": "KKR Sjælland",
    "syddanmark": "KKR Syddanmark",
    "midtjylland": "KKR Midtjylland",
    "nordjylland": "KKR Nordjylland",
}
