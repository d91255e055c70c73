"""A KL-like site on 127.0.0.1 for sync tests and the sync benchmark.

Council pages are modelled on ``shared/KL_PAGES.md``: a heading "Mødemateriale", the
intro line, "Mødedatoer", sections "Mødemateriale YYYY" with one block per meeting (a
"KKR X holder møde den …" sentence, topics, "Herunder ses dagsorden, referat og
bilag." and the links, shown as "PDF" plus a title or as "PDF" alone), and a footer
with a privacy-policy PDF. PDFs are real (``pdf_factory``). A test changes the site
between runs (re-upload, remove a link) or makes a path misbehave (``faults``).

Nothing here reaches the internet: the server binds 127.0.0.1 on a free port.
"""

from __future__ import annotations

import functools
import hashlib
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory

from pdf_factory import build_meeting_pdf

SLUGS = {
    "hovedstaden": "KKR Hovedstaden",
    "sjaelland": "KKR Sjælland",
    "syddanmark": "KKR Syddanmark",
    "midtjylland": "KKR Midtjylland",
    "nordjylland": "KKR Nordjylland",
}
MONTHS = [
    *("januar", "februar", "marts", "april", "maj", "juni"),
    *("juli", "august", "september", "oktober", "november", "december"),
]


def meeting_pages(council: str, iso: str, doc_type: str, variant: str = "") -> list[str]:
    """Page texts of a small agenda or minutes the parser reads as that meeting."""
    y, m, d = iso.split("-")
    kind = "DAGSORDEN" if doc_type == "agenda" else "REFERAT"
    front = f"{kind}\n\n{council}\n\nDato: {d}-{m}-{y} kl. 9:30\n\nSted: Rådhuset\n\n"
    decision = "\nBeslutning \nKKR godkendte indstillingen. " if doc_type == "minutes" else ""
    return [
        front,
        " 1. Godkendelse af dagsorden \n \n1.1. Godkendelse af dagsorden \n"
        f"SAG-{y}-00001 abc \nIndstilling \nDet indstilles, at {council} godkender "
        f"dagsordenen. {variant}{decision}",
        " 2. Regionalpolitiske sager \n \n2.1. Klimaplan og vand \n"
        f"SAG-{y}-00002 def \nBaggrund \nKommunerne arbejder med klimatilpasning og "
        f"drikkevand i {council}. \nIndstilling \nDet indstilles, at KKR drøfter planen. "
        "\nBilag \nBilag 2.1 Klimaplan for regionen \nBilag 2.2 Notat om drikkevand "
        f"{decision}",
    ]


@functools.cache
def meeting_pdf(council: str, iso: str, doc_type: str, variant: str = "") -> bytes:
    """The bytes of a meeting PDF (cached: building one costs a few ms)."""
    with TemporaryDirectory() as folder:
        path = Path(folder) / "m.pdf"
        build_meeting_pdf(path, meeting_pages(council, iso, doc_type, variant))
        return path.read_bytes()


@functools.cache
def bilag_pdf(title: str, pages: int = 2) -> bytes:
    """A bilag: a few pages of plain text, no KKR structure."""
    texts = [
        f"{title}\n\nSide {n} af {pages}.\nGrundvand og drikkevand beskyttes i hele regionen "
        f"(afsnit {n}).\n"
        for n in range(1, pages + 1)
    ]
    with TemporaryDirectory() as folder:
        path = Path(folder) / "b.pdf"
        build_meeting_pdf(path, texts)
        return path.read_bytes()


@dataclass
class Link:
    """A link on a council page: ``href`` as written, the visible text and the body."""

    href: str
    text: str
    body: bytes = b""


@dataclass
class Meeting:
    """A meeting block of a council page."""

    iso: str
    links: list[Link] = field(default_factory=list)

    def sentence(self, council: str) -> str:
        y, m, d = self.iso.split("-")
        return f"{council} holder møde den {int(d)}. {MONTHS[int(m) - 1]} {y} kl. 9.30 - 12.30"


@dataclass
class Fault:
    """How a path misbehaves: ``status`` answers (used one each request, the last one
    repeats), ``hang`` blocks until the server stops, ``die_after`` sends that many
    bytes of a longer body and drops the connection, ``stop_site`` shuts the whole
    server down (later connections are refused) and drops this one unanswered,
    ``stall_after`` sends that many bytes of the body, sets :attr:`Site.stalled` and
    sends nothing more until the server stops (a download in flight, for Ctrl+C), then
    sets :attr:`Site.stall_ended`."""

    statuses: list[int] = field(default_factory=list)
    hang: bool = False
    die_after: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    stop_site: bool = False
    stall_after: int | None = None


class _QuietServer(ThreadingHTTPServer):
    """A client that closes a connection with an answer unread (a 5xx body it does not
    want, a stalled download it gives up on) resets it; socketserver would print that
    as a traceback on stderr, inside the very output the tests read."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class Site:
    """Five council pages and their files, served from 127.0.0.1 (see module docstring)."""

    def __init__(self) -> None:
        self.meetings: dict[str, list[Meeting]] = {slug: [] for slug in SLUGS}
        self.extra_html: dict[str, str] = {slug: "" for slug in SLUGS}
        self.faults: dict[str, Fault] = {}
        #: The text served as /robots.txt (None: 404, as a site without one).
        self.robots: str | None = None
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self.stalled = threading.Event()
        self.stall_ended = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.tls: ssl.SSLContext | None = None
        self.port = 0

    # -- content ---------------------------------------------------------------------

    def add_meeting(
        self,
        slug: str,
        iso: str,
        *,
        minutes: bool = False,
        bilag: tuple[str, ...] = (),
        text_only_pdf: bool = False,
        variant: str = "",
        bilag_pages: int = 2,
    ) -> Meeting:
        """A meeting block with its agenda (and minutes, and bilag) under /media/."""
        council = SLUGS[slug]
        meeting = Meeting(iso)
        d = iso.split("-")
        nice = f"{int(d[2])}. {MONTHS[int(d[1]) - 1]} {d[0]}"
        kinds = ["agenda", "minutes"] if minutes else ["agenda"]
        for kind in kinds:
            word = "Dagsorden" if kind == "agenda" else "Referat"
            body = meeting_pdf(council, iso, kind, variant)
            folder = hashlib.sha256(body).hexdigest()[:8]
            href = f"/media/{folder}/{word.lower()}-{slug}-{iso}.pdf"
            text = "PDF" if text_only_pdf else f"PDF / {word} {council} {nice}.pdf"
            meeting.links.append(Link(href, text, body))
        for n, title in enumerate(bilag, start=1):
            body = bilag_pdf(title, bilag_pages)
            folder = hashlib.sha256(body + iso.encode()).hexdigest()[:8]
            href = f"http://127.0.0.1:{{port}}/media/{folder}/bilag-{n}.pdf?format=noformat"
            meeting.links.append(Link(href, f"PDF {title}", body))
        self.meetings[slug].append(meeting)
        return meeting

    def files(self) -> dict[str, bytes]:
        """Path -> body of every linked file on this host."""
        found = {}
        for meetings in self.meetings.values():
            for meeting in meetings:
                for link in meeting.links:
                    found[self._path(link.href)] = link.body
        found["/media/9999/privatlivspolitik.pdf"] = bilag_pdf("Privatlivspolitik", 1)
        return found

    def _path(self, href: str) -> str:
        href = href.replace("{port}", str(self.port))
        if href.startswith("http"):
            href = "/" + href.split("/", 3)[3]
        return href.split("?", 1)[0]

    def page(self, slug: str) -> str:
        """The HTML of a council page."""
        council = SLUGS[slug]
        by_year: dict[str, list[Meeting]] = {}
        for meeting in sorted(self.meetings[slug], key=lambda m: m.iso, reverse=True):
            by_year.setdefault(meeting.iso[:4], []).append(meeting)
        out = [
            "<!doctype html><html lang='da'><head><title>Mødemateriale</title></head><body>",
            "<header><nav><a href='/'>Forside</a><a href='/media/1/logo-guide.pdf'>PDF</a>"
            "</nav></header><main><h1>Mødemateriale</h1>",
            f"<p>{council} holder som udgangspunkt fem møder om året.</p>",
            "<h2>Mødedatoer</h2><ul><li>Onsdag den 18. juni</li></ul>",
        ]
        for year, meetings in by_year.items():
            out.append(f"<section class='accordion'><h2>Mødemateriale {year}</h2>")
            for meeting in meetings:
                out.append("<div class='meeting'>")
                out.append(f"<p>{meeting.sentence(council)}, <em>Rådhuset</em>.</p>")
                out.append("<ul><li>Klima og vand</li><li>Sundhedsreformen</li></ul>")
                out.append("<p>Herunder ses dagsorden, referat og bilag.</p><ul class='files'>")
                for link in meeting.links:
                    href = link.href.replace("{port}", str(self.port))
                    if link.text == "PDF":
                        out.append(f"<li><a href='{href}'>PDF</a></li>")
                    else:
                        out.append(f"<li><a href='{href}'><span>{link.text}</span></a></li>")
                out.append("</ul></div>")
            out.append("</section>")
        out.append(self.extra_html[slug])
        out.append(
            "</main><footer class='site-footer'><a href='/media/9999/privatlivspolitik.pdf'>"
            "Privatlivspolitik (PDF)</a></footer></body></html>"
        )
        return "".join(out)

    # -- serving ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, port: int = 0, tls: ssl.SSLContext | None = None) -> Site:
        """Serve on ``port`` (0: a free one; the old port to come back after ``stop``),
        over TLS with ``tls`` (a server context) when given."""
        site = self
        self.tls = tls

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("Host", ""), dict(self.headers)))
                site.serve(self)

        self.stopping.clear()
        self._server = _QuietServer(("127.0.0.1", port), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        fault = self.faults.get(path)
        if fault is not None and fault.stop_site:
            self.stop()
            handler.close_connection = True
            return
        if fault is not None and fault.hang:
            self.stopping.wait(30)
            return
        if fault is not None and fault.statuses:
            status = fault.statuses.pop(0) if len(fault.statuses) > 1 else fault.statuses[0]
            if status != 200:
                self._send(handler, status, b"fejl", "text/plain", fault.headers)
                return
        body, kind = self._content(path)
        if body is None:
            self._send(handler, 404, b"ikke fundet", "text/plain")
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if fault is not None and fault.stall_after is not None:
            handler.send_response(200)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: fault.stall_after])
            handler.wfile.flush()
            self.stalled.set()
            self.stopping.wait(60)
            self.stall_ended.set()
            handler.close_connection = True
            return
        if fault is not None and fault.die_after is not None:
            handler.send_response(200)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: fault.die_after])
            handler.wfile.flush()
            handler.close_connection = True
            return
        self._send(handler, 200, body, kind, {"ETag": etag})

    def _content(self, path: str) -> tuple[bytes | None, str]:
        if path == "/robots.txt":
            text = self.robots
            return (None if text is None else text.encode()), "text/plain; charset=utf-8"
        for slug in SLUGS:
            if path == f"/politik/kkr/kkr-{slug}/moedemateriale":
                return self.page(slug).encode(), "text/html; charset=utf-8"
        body = self.files().get(path)
        return body, "application/pdf"

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        kind: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def pdf_requests(self) -> list[str]:
        """Paths of the PDF requests so far."""
        return [path for path, _, _ in self.requests if ".pdf" in path]


Factory = Callable[[], Site]
