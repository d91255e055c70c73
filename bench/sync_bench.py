"""Benchmark ``kkr-tui sync`` against a generated five-council site served on 127.0.0.1.

The site is ``tests/sync_site.Site`` (pages modelled on KL's, real PDFs): by default 50
meetings (10 a council), each with an agenda, minutes and two bilag of 20 pages. The
sync runs in a child process (``python -m kkr_tui sync``), so its peak memory is its
own (``ru_maxrss`` of the child) and its CPU time (with its reading processes) is
``cpu_s``, the figure to quote on a shared machine; the server counts the requests.
Two runs:

- ``first``: everything downloaded, ingested and read (time, requests, requests/s,
  bytes, peak RSS);
- ``second``: the site unchanged: what an up-to-date archive costs (time, requests).

``--delay`` is the seconds kept between requests (the config's ``delay``; KL gets the
default 1.0): the requests/s figure shows it is kept. Nothing reaches the internet.

``--http-only N`` measures the HTTP client alone instead (``PoliteClient``, its
transport, TLS-less sockets): a child process GETs every PDF of the site N times in
turn with no delay, reading each body, and reports its own CPU per request and
requests/s (the server's work is the bench process's, not counted). ``--proxy`` sends
those requests through a local forwarding proxy (``tests/sync_proxy.py``) named by
``HTTP_PROXY``.

    python bench/sync_bench.py [--meetings 50] [--bilag-pages 20] [--delay 0.05]
    python bench/sync_bench.py --http-only 5 [--proxy]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sync_proxy import Proxy  # noqa: E402
from sync_site import SLUGS, Site  # noqa: E402

#: The child of ``--http-only``: URLs on stdin (JSON), its CPU and wall time on stdout.
HTTP_CHILD = """
import json, resource, sys, time
from kkr_tui.sync.client import PoliteClient
from kkr_tui.sync.config import SyncConfig
urls, rounds = json.load(sys.stdin)
config = SyncConfig(base_url=urls[0], delay=0, backoff=0)
got = 0
with PoliteClient(config) as client:
    started, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for url in urls:
            with client.get(url) as response:
                got += sum(len(chunk) for chunk in response.iter_bytes())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
print(json.dumps({"requests": client.requests, "bytes": got, "wall_s": wall, "cpu_s": cpu}))
"""


def http_only(site: Site, rounds: int, proxy: bool) -> dict[str, object]:
    """GET every PDF of ``site`` ``rounds`` times in a child (see the module docstring)."""
    urls = [site.url + path for path in sorted(site.files())]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    forwarder = Proxy().start() if proxy else None
    if forwarder is not None:
        env["HTTP_PROXY"] = forwarder.url
    seen = 0
    try:
        done = subprocess.run(
            [sys.executable, "-c", HTTP_CHILD],
            input=json.dumps([urls, rounds]),
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        if forwarder is not None:
            seen = len(forwarder.seen)
            forwarder.stop()
    figures = json.loads(done.stdout)
    requests = figures["requests"]
    return {
        "through_proxy": proxy,
        "requests_the_proxy_saw": seen,
        "requests": requests,
        "mb": round(figures["bytes"] / 1e6, 1),
        "requests_per_s": round(requests / figures["wall_s"], 1),
        "cpu_ms_per_request": round(1000 * figures["cpu_s"] / requests, 3),
        "cpu_s": round(figures["cpu_s"], 3),
    }


def build_site(meetings: int, bilag_pages: int) -> Site:
    """``meetings`` meetings spread over the five councils, newest years first."""
    site = Site()
    slugs = list(SLUGS)
    for n in range(meetings):
        slug = slugs[n % len(slugs)]
        k = n // len(slugs)
        iso = f"{2025 - k // 5}-{(k % 5) * 2 + 2:02d}-{10 + k % 15:02d}"
        site.add_meeting(
            slug,
            iso,
            minutes=True,
            bilag=(f"Bilag 2.1 Klimaplan {n}", f"Bilag 2.2 Notat om drikkevand {n}"),
            bilag_pages=bilag_pages,
        )
    return site


def _vm_hwm_kb(pid: int) -> int:
    """The peak resident set of one process so far (Linux ``VmHWM``), 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_sync(db: Path, url: str, env: dict[str, str]) -> dict[str, object]:
    """One ``kkr-tui sync`` in a child process: wall time, the sync process's own peak
    RSS (polled ``VmHWM``) and the largest of its process tree (``ru_maxrss``: the
    ingest reads each PDF in a child of its own)."""
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen(
        [sys.executable, "-m", "kkr_tui", "sync", "--db", str(db), "--base-url", url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak_kb = 0
    while child.poll() is None:
        peak_kb = max(peak_kb, _vm_hwm_kb(child.pid))
        time.sleep(0.05)
    out, err = child.communicate()
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tree_kb = cpu_after.ru_maxrss
    # CPU of the sync and its reading processes (all waited for): what the run costs
    # on a shared machine, where the wall time also holds the others' load.
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    if child.returncode != 0:
        sys.stderr.write(out[-2000:] + err[-2000:])
        raise SystemExit(f"sync exited {child.returncode}")
    return {
        "seconds": round(elapsed, 2),
        "cpu_s": round(cpu, 2),
        "sync_process_peak_rss_mb": round(peak_kb / 1024, 1),
        # ru_maxrss of all children so far: the first run's, an upper bound after it.
        "largest_process_peak_rss_mb": round(tree_kb / 1024, 1),
        "summary": out.strip().splitlines()[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=50)
    parser.add_argument("--bilag-pages", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--http-only", type=int, default=0, metavar="ROUNDS")
    parser.add_argument("--proxy", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    site = build_site(args.meetings, args.bilag_pages)
    files = site.files()
    build_s = time.perf_counter() - t0
    site.start()
    if args.http_only:
        print(json.dumps(http_only(site, args.http_only, args.proxy), indent=2))
        site.stop()
        return
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        config = home / "config" / "kkr-tui" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f"[sync]\ndelay = {args.delay}\nbackoff = 0\n", encoding="utf-8")
        env = {**os.environ, "XDG_CONFIG_HOME": str(home / "config")}
        db = home / "kkr.db"
        result: dict[str, object] = {
            "site": {
                "meetings": args.meetings,
                "pdfs": len(files),
                "bytes": sum(len(b) for b in files.values()),
                "bilag_pages": args.bilag_pages,
                "build_s": round(build_s, 1),
            },
            "delay_s": args.delay,
        }
        for name in ("first", "second"):
            before = len(site.requests)
            figures = run_sync(db, site.url, env)
            requests = len(site.requests) - before
            seconds = float(str(figures["seconds"]))
            figures["requests"] = requests
            figures["requests_per_s"] = round(requests / seconds, 2)
            result[name] = figures
        result["db_mb"] = round(db.stat().st_size / 1024 / 1024, 1)
    site.stop()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
