"""One PDF from the web to the downloads folder: streamed, checked, moved into place.

The body is streamed to a hidden temporary file in the target folder (so the final
``os.replace`` is a rename on one file system, atomic), hashed as it arrives, and
refused when it grows past the size limit. Before the rename the file must start with
``%PDF-`` and end with ``%%EOF`` (a server dying mid-body without telling, or an HTML
error page served as ``.pdf``, fails here). Whatever goes wrong, also Ctrl+C, the
temporary file is removed: the folder only ever holds whole files.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from kkr_tui.model import SyncFailure
from kkr_tui.sync.client import FetchError, PoliteClient, SyncCancelled, Validators, validators_of
from kkr_tui.sync.netreason import transfer_failure

if TYPE_CHECKING:
    import httpx

_CHUNK = 64 * 1024
#: A PDF may have junk before its header and whitespace after its end marker.
_EDGE = 1024
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, slots=True)
class Downloaded:
    """A file in place (``path``), or None when the server said it had not changed."""

    path: Path | None
    size: int
    sha256: str
    validators: Validators


def file_name(url: str) -> str:
    """A safe, unique file name for a URL: its own name (folded to ASCII-ish word
    characters, at most 80) and 8 hex of the URL's hash, since KL reuses names across
    its ``/media/<folder>/`` folders."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    stem = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE)
    stem = _UNSAFE.sub("-", stem).strip("-.")[:80] or "dokument"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return f"{stem}-{digest}.pdf"


def download_pdf(
    client: PoliteClient,
    url: str,
    target: Path,
    *,
    max_bytes: int,
    validators: Validators | None = None,
) -> Downloaded:
    """Fetch ``url`` into ``target``; raises :class:`FetchError` with the reason.

    With ``validators`` the request is conditional and a 304 returns ``path=None``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with client.get(url, validators) as response:
        if response.status_code == 304:
            return Downloaded(None, 0, "", validators or Validators())
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(
                url,
                SyncFailure("too_large", (("size", int(declared)), ("limit", max_bytes))),
            )
        fd, temp_name = tempfile.mkstemp(prefix=".part-", suffix=".pdf", dir=target.parent)
        temp = Path(temp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            head = b""
            tail = b""
            with os.fdopen(fd, "wb") as out:
                for chunk in _body(client, response, url):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(url, SyncFailure("over_limit", (("limit", max_bytes),)))
                    if len(head) < _EDGE:
                        head += chunk[: _EDGE - len(head)]
                    tail = (tail + chunk)[-_EDGE:]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if b"%PDF-" not in head:
                raise FetchError(url, SyncFailure("not_pdf"))
            if b"%%EOF" not in tail:
                raise FetchError(url, SyncFailure("incomplete_pdf"))
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    client.bytes_received += size
    return Downloaded(target, size, digest.hexdigest(), validators_of(response))


def _body(client: PoliteClient, response: httpx.Response, url: str) -> Iterator[bytes]:
    import httpx

    chunks = response.iter_bytes(_CHUNK)
    try:
        while True:
            with client.waiting():
                chunk = next(chunks, None)
            if chunk is None:
                return
            if client.cancel.is_set():
                raise SyncCancelled
            yield chunk
    except httpx.TimeoutException:
        raise FetchError(url, SyncFailure("transfer_stalled")) from None
    except httpx.TransportError as exc:
        raise FetchError(url, transfer_failure(exc)) from None
