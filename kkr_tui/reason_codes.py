"""The reasons the store keeps for sync (the manifest's and the bilag rows' ``reason``),
as codes in a small JSON text, never words.

Why: a stored sentence stays in the language and wording of the day it was written;
switching to English, or rewording a message, would leave the old text on screen. So
sync hands the store a code (:class:`~kkr_tui.model.FileFailure`,
:class:`~kkr_tui.model.SyncFailure`, or a bilag's page warnings), :func:`encode` makes
the text the store keeps, and :func:`decode` gives the code back to whoever shows it
(:func:`kkr_tui.failure_words.stored_words` words it in the user's language).

Rows stored by an older kkr-tui hold words: :func:`decode` hands those back as the
plain string they are, shown as they were. The shape (``{"kind": "file"|"sync"|
"pages", …}``) is stable: a newer kkr-tui must read what an older one stored.
"""

from __future__ import annotations

import json
from typing import Any, cast

from kkr_tui.model import FileFailure, PageWarning, SyncFailure

#: What :func:`decode` gives back: a code, a bilag's page warnings, or an older row's words.
Decoded = FileFailure | SyncFailure | tuple[PageWarning, ...] | str


def encode(reason: FileFailure | SyncFailure | tuple[PageWarning, ...]) -> str:
    """The text the store keeps for ``reason`` (no words; a library's detail left out)."""
    if isinstance(reason, FileFailure):
        body: dict[str, object] = {
            "kind": "file",
            "cause": reason.cause,
            "params": dict(reason.params),
        }
    elif isinstance(reason, SyncFailure):
        body = {"kind": "sync", **reason.as_json()}
    else:
        # A warning with a cause keeps no words (its ``reason`` is the sentence of the
        # day); one without (pypdf's own words for a damaged page) keeps them.
        body = {
            "kind": "pages",
            "warnings": [
                {**warning.as_json(), "reason": "" if warning.cause else warning.reason}
                for warning in reason
            ],
        }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | None) -> Decoded | None:
    """The code in a stored reason; an older row's words as they are; None for none."""
    if text is None:
        return None
    if not text.startswith('{"kind":'):
        return text  # words stored before reasons were codes
    try:
        body = json.loads(text)
        kind = body["kind"]
        if kind == "file":
            return FileFailure(cast(Any, str(body["cause"])), _params(body.get("params")))
        if kind == "sync":
            return _sync(body)
        if kind == "pages":
            return tuple(PageWarning.from_json(entry) for entry in body["warnings"])
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return text  # not a shape this kkr-tui knows: shown as it is


def _sync(body: dict[str, Any]) -> SyncFailure:
    inner = body.get("inner")
    return SyncFailure(
        cast(Any, str(body["cause"])),
        _params(body.get("params")),
        _sync(inner) if isinstance(inner, dict) else None,
    )


def _params(raw: object) -> tuple[tuple[str, int | float | str], ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        (str(name), value if isinstance(value, int | float | str) else str(value))
        for name, value in raw.items()
    )
