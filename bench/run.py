"""kkr-tui benchmarks: search, ingest, app start-up and memory, printed as JSON.

    python bench/run.py [--sizes 10k,100k] [--quick]
        [--only search,ingest,app,rss,peers,cli,typo_first,recall,search_bilag]

Every figure is a median and a p95 over repeated runs, measured beside its baseline in
the same run on the same data (naive rapidfuzz for search, raw pypdf for ingest, an
empty Textual app for start-up), so the ratios hold even on a noisy machine.
See bench/README.md for the method and the latest figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

import corpus  # noqa: E402
from stats import bytecode_env, repeat, repeat_with_cpu, summary, timed  # noqa: E402

QUERIES_FILE = ROOT / "tests" / "search_queries.json"

#: Query kinds from the issue; ``{case}`` is replaced by a case number present in the corpus.
QUERY_KINDS: dict[str, list[str]] = {
    "typo": ["sundhedsrefrom"],
    "prefix": ["s", "su", "sun", "sund", "sundh"],
    "words": ["godkendelse af referat", "kommunernes økonomi budget"],
    "folding": ["okonomi", "aarhus"],
    "case_number": ["{case}"],
    "council_filter": ["council:midt sundhedsreform"],
    "date": ["februar 2025 sundhedsreform", "juni 2024 budget", "marts 2023 flygtninge"],
}
#: Kinds the bilag search is measured on besides :data:`QUERY_KINDS`: words on a
#: quarter to half of the honest corpus's bilag pages, alone and narrowed by a filter
#: (the bound's worst cases: the most pages to count, and filters checked per page).
BILAG_KINDS: dict[str, list[str]] = {
    "common": ["kommunernes", "okonomi referat"],
    "common_filtered": ["council:midt okonomi", "juni 2024 kommunernes", "year:2020 okonomi"],
}
#: The one query per kind the naive baseline is run on.
BASELINE_QUERY = {
    "typo": "sundhedsrefrom",
    "prefix": "sundh",
    "words": "kommunernes økonomi budget",
    "folding": "okonomi",
    "case_number": "{case}",
    "council_filter": "sundhedsreform",
    "date": "februar 2025 sundhedsreform",
}


def _search_module() -> Any:
    try:
        from kkr_tui import search
    except ImportError as error:
        return str(error)
    return search


def _a_case_number(store: Any) -> str:
    rows = store.item_rows(list(range(1, 200)))
    return next(r.case_number for r in rows.values() if r.case_number)


def naive_choices(store: Any, n: int) -> list[str]:
    """Every item's title and text, as a brute-force search would hold them."""
    out: list[str] = []
    for start in range(1, n + 1, 500):
        ids = list(range(start, min(start + 500, n + 1)))
        rows = store.item_rows(ids)
        texts = store.item_texts(ids)
        out.extend(f"{rows[i].title}\n{texts.get(i, '')}" for i in ids if i in rows)
    return out


def bench_search(n: int, runs: int, baseline_runs: int) -> dict[str, Any]:
    """Latency per query kind, the naive baseline beside it, and top-10 agreement.

    ``baseline_runs`` 0 leaves the baseline out (at 1M it takes ~20 minutes)."""
    from rapidfuzz import fuzz, process, utils

    from kkr_tui.store import Store

    stats = corpus.build(n)
    path = corpus.db_path(n, 1)
    search_mod = _search_module()
    result: dict[str, Any] = {"corpus": stats}
    with Store(path, read_only=True) as store:
        case = _a_case_number(store)
        index = None if isinstance(search_mod, str) else search_mod.SearchIndex(store)
        if index is None:
            result["search"] = f"kkr_tui.search not importable: {search_mod}"
        else:
            first_s, _ = timed(lambda: index.search("sundhedsreform"))
            result["first_query_s"] = round(first_s, 3)
            kinds: dict[str, Any] = {}
            for kind, queries in QUERY_KINDS.items():
                samples: list[float] = []
                warm: list[float] = []
                cpu: list[float] = []
                per_query = {}
                for q in queries:
                    q = q.replace("{case}", case)
                    s, c = repeat_with_cpu(lambda q=q: index.search(q, limit=50), runs)
                    samples.extend(s)
                    warm.extend(s[1:])
                    cpu.extend(c)
                    per_query[q] = {**summary(s), "first_call_ms": round(s[0] * 1000, 2)}
                kinds[kind] = {
                    **summary(samples),
                    "warm": summary(warm),
                    "cpu": summary(cpu),
                    "first_calls_max_ms": max(e["first_call_ms"] for e in per_query.values()),
                    "queries": per_query,
                }
            result["search"] = kinds
        if baseline_runs < 1:
            result["naive"] = "not run (--naive-up-to)"
            return result
        t_load, choices = timed(lambda: naive_choices(store, n))
        result["naive_load_s"] = round(t_load, 2)
        naive: dict[str, Any] = {}
        for kind, q in BASELINE_QUERY.items():
            q = q.replace("{case}", case)

            def run_naive(q: str = q) -> list:
                return process.extract(
                    q, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=10
                )

            samples = []
            top: list = []
            for _ in range(baseline_runs):
                s, top = timed(run_naive)
                samples.append(s)
            entry: dict[str, Any] = {"query": q, **summary(samples)}
            if index is not None:
                own = index.search(q, limit=10)
                own_ids = {h.item_id for h in own}
                naive_ids = {idx + 1 for _, _, idx in top}
                entry["agreement_at_10"] = round(len(own_ids & naive_ids) / 10, 2)
                own_p95 = result["search"][kind]["p95_ms"]
                entry["ratio_search_p95_to_naive_median"] = round(own_p95 / entry["median_ms"], 4)
            naive[kind] = entry
        result["naive"] = naive
    return result


#: The ways a query reaches the search, for ``search_bilag``: the items alone (as the
#: ``search`` figures), the reader's call with bilag hits (limit 50: the items, then the
#: bilag), the reader's second step alone (``bilag_hits``, the 12 bilag it shows after
#: the items), and the query part of ``kkr-tui search --json`` (limit 20, bilag, hits as
#: JSON).
SEARCH_PATHS = ("items", "reader", "bilag_only", "cli_json")


def _exact_bilag(index: Any, query: str, limit: int) -> list[tuple[int, int]]:
    """The bilag (id, page) the search gives for ``query`` when it ranks every matching
    page (the store's bounds set past any archive): what the bounded search is
    compared with."""
    from kkr_tui.store import bilag as bilag_store

    saved = getattr(bilag_store, "RANK_ALL", None), getattr(bilag_store, "SCAN_MAX", None)
    if saved[0] is None:
        return [(h.bilag_id, h.page) for h in index.bilag_hits(query, limit=limit)]
    bilag_store.RANK_ALL = bilag_store.SCAN_MAX = 10**9
    try:
        return [(h.bilag_id, h.page) for h in index.bilag_hits(query, limit=limit)]
    finally:
        bilag_store.RANK_ALL, bilag_store.SCAN_MAX = saved


def bilag_recall(store: Any, index: Any, needles: list[dict[str, Any]]) -> dict[str, Any]:
    """The labelled bilag queries (``bilag_corpus.py``'s planted facts): recall@12 (the
    bilag among the 12 bilag the reader shows), and whether the hit opens at the page
    the fact is on; the same for the rare word misspelt."""
    out: dict[str, Any] = {"queries": len(needles)}
    for key, form in (("query", lambda n: n["query"]), ("typo", _typo_query)):
        found = at_page = 0
        missed = []
        for needle in needles:
            row = store.bilag_by_url(needle["url"])
            hits = index.bilag_hits(form(needle), limit=12)
            hit = next((h for h in hits if row is not None and h.bilag_id == row.id), None)
            found += hit is not None
            at_page += hit is not None and hit.page == needle["page"]
            if hit is None:
                missed.append(form(needle))
        out[key] = {
            "recall_at_12": round(found / len(needles), 3),
            "opens_at_its_page": round(at_page / len(needles), 3),
            "missed": missed[:5],
        }
    return out


#: Labelled misspellings of words only bilag use (``bilag_only_typos``).
BILAG_ONLY_TYPOS = 40


def bilag_only_words(db: Path, n: int = BILAG_ONLY_TYPOS) -> list[str]:
    """``n`` words the bilag pages have and no item does (the corpus's compounds: most
    of the bilag's vocabulary), of ten letters or more and on 2-200 pages, chosen by a
    fixed seed: read from the index itself (FTS5's own vocabulary of ``bilag_fts`` and
    the items' ``terms``), so the same words are asked of any release."""
    import random
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.bv USING fts5vocab(main, 'bilag_fts', 'row')")
        words = [
            term
            for (term,) in conn.execute(
                "SELECT term FROM temp.bv WHERE doc BETWEEN 2 AND 200 AND length(term) >= 10"
                " AND term NOT IN (SELECT term FROM terms) AND term GLOB '[a-z]*'"
                " ORDER BY term"
            )
        ]
    finally:
        conn.close()
    return random.Random(20).sample(words, min(n, len(words)))


def misspelt(word: str) -> str:
    """``word`` with the two letters in its middle swapped (as the planted facts'
    misspellings are made)."""
    i = len(word) // 2
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def bilag_only_typos(db: Path, index: Any) -> dict[str, Any]:
    """recall@12 of words only bilag use, misspelt (``misspelt``): alone (a hit counts
    when the bilag it opens has the word spelt right among its marked words), and
    being typed, cut after three quarters of their letters (a hit counts when a marked
    word is a start of the word)."""
    words = bilag_only_words(db)
    out: dict[str, Any] = {"queries": len(words)}
    for form in ("whole", "typed"):
        found = 0
        missed = []
        for word in words:
            query = misspelt(word)
            if form == "typed":
                query = query[: len(word) * 3 // 4]
            hits = index.bilag_hits(query, limit=12)
            ok = any(
                any(word.startswith(w) if form == "typed" else w == word for w in h.bilag_words)
                for h in hits
            )
            found += ok
            if not ok:
                missed.append(query)
        out[form] = {"recall_at_12": round(found / max(1, len(words)), 3), "missed": missed[:5]}
    return out


def _typo_query(needle: dict[str, Any]) -> str:
    topic = needle["query"].split()[0]
    return f"{topic} {needle['typo']}"


def bench_search_bilag(n: int, pages: int, runs: int) -> dict[str, Any]:
    """p50/p95 (wall and CPU) per query kind and per path on the ``n``-item corpus with
    ``pages`` bilag pages (``bilag_corpus.py``), the labelled bilag queries' recall, the
    bounded bilag answer against the exact one, the whole ``kkr-tui search --json``
    command in-process (opening the store and the index every call, as the command
    does), and the sizes."""
    import contextlib
    import dataclasses
    import io

    import bilag_corpus

    from kkr_tui.cli import main as cli_main
    from kkr_tui.search import SearchIndex
    from kkr_tui.store import Store

    stats = bilag_corpus.build(n, pages)
    path = bilag_corpus.db_path(n, pages)
    result: dict[str, Any] = {"corpus": {k: v for k, v in stats.items() if k != "needles"}}
    with Store(path, read_only=True) as store:
        case = _a_case_number(store)
        index = SearchIndex(store)

        def call(way: str, q: str) -> Any:
            if way == "items":
                return index.search(q, limit=50)
            if way == "reader":
                return index.answer(q, limit=50, bilag=True).hits
            if way == "bilag_only":
                return index.bilag_hits(q, limit=12)
            hits = index.answer(q, limit=20, bilag=True).hits
            return json.dumps([dataclasses.asdict(h) for h in hits], ensure_ascii=False)

        first_s, _ = timed(lambda: call("reader", "sundhedsreform"))
        result["first_query_s"] = round(first_s, 3)
        kinds: dict[str, Any] = {}
        for kind, queries in {**QUERY_KINDS, **BILAG_KINDS}.items():
            entry: dict[str, Any] = {}
            for way in SEARCH_PATHS:
                samples: list[float] = []
                cpu: list[float] = []
                per_query: dict[str, Any] = {}
                for q in queries:
                    q = q.replace("{case}", case)
                    s, c = repeat_with_cpu(lambda q=q, way=way: call(way, q), runs)
                    samples.extend(s)
                    cpu.extend(c)
                    per_query[q] = {**summary(s), "cpu": summary(c)}
                entry[way] = {**summary(samples), "cpu": summary(cpu), "queries": per_query}
            qs = [q.replace("{case}", case) for q in queries]
            entry["bilag_hits_reader"] = [len(index.bilag_hits(q, limit=12)) for q in qs]
            same = [
                round(
                    len(set(_exact_bilag(index, q, 12)) & {(h.bilag_id, h.page) for h in hs})
                    / max(1, len(_exact_bilag(index, q, 12))),
                    3,
                )
                for q, hs in ((q, index.bilag_hits(q, limit=12)) for q in qs)
            ]
            entry["bilag_same_as_exact"] = same
            kinds[kind] = entry
        result["search"] = kinds
        result["bilag_recall"] = bilag_recall(store, index, stats.get("needles", []))
        result["bilag_only_typos"] = bilag_only_typos(path, index)

    def command(q: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            cli_main(["search", q, "--json", "--db", str(path)])

    whole: dict[str, Any] = {}
    for kind, queries in QUERY_KINDS.items():
        samples = []
        for q in queries:
            q = q.replace("{case}", case)
            samples.extend(repeat(lambda q=q: command(q), max(2, runs // 3)))
        whole[kind] = summary(samples)
    result["cli_search_json_in_process"] = whole
    result["sizes_mb"] = {
        "items_only_db": stats["items_db_mb"],
        "with_bilag_db": stats["db_mb"],
        "bilag_text": stats["bilag_text_mb"],
    }
    return result


def recall_on_samples() -> dict[str, Any]:
    """recall@10 of kkr_tui.search and of the naive baseline on the fixed query set (samples).

    Same rule as tests/test_search.py: an expected (file name, item number) counts as
    found when it is among the top 10 hits.
    """
    if not QUERIES_FILE.exists():
        return {"note": f"{QUERIES_FILE.relative_to(ROOT)} is absent; recall not measured"}
    search_mod = _search_module()
    if isinstance(search_mod, str):
        return {"note": f"kkr_tui.search not importable: {search_mod}"}
    from rapidfuzz import fuzz, process, utils

    from kkr_tui.ingest import ingest_paths
    from kkr_tui.store import Store

    cases = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        ingest_paths(store, sorted(corpus.SAMPLES.glob("*.txt")))
        rows = store.item_rows(list(range(1, 10_000)))
        texts = store.item_texts(list(rows))
        keys = {i: (Path(store.item(i).source_path).name, r.number) for i, r in rows.items()}
        choices = {i: f"{r.title}\n{texts.get(i, '')}" for i, r in rows.items()}
        index = search_mod.SearchIndex(store)
        expected = found = naive_found = 0
        misses = []
        for case in cases:
            want = {tuple(e) for e in case["expect"]}
            got = {keys[h.item_id] for h in index.search(case["query"], limit=10)}
            top = process.extract(
                case["query"],
                choices,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                limit=10,
            )
            naive_got = {keys[k] for _, _, k in top}
            expected += len(want)
            found += len(want & got)
            naive_found += len(want & naive_got)
            misses += [[case["query"], *m] for m in sorted(want - got)]
        top = _top_hits(store, index)
    return {
        "queries": len(cases),
        "expected_hits": expected,
        "recall_at_10": round(found / expected, 3),
        "naive_recall_at_10": round(naive_found / expected, 3),
        "misses": misses,
        "top_hit": top,
    }


def _top_hits(store: Any, index: Any) -> dict[str, Any]:
    """hits@1 and MRR on tests/search_top_queries.json (the labelled top hits), on the
    samples that are ingested."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from top_hits import load_cases, score

    cases = load_cases(p.name for p in corpus.SAMPLES.glob("*.txt"))
    result = score(store, index.search, cases)
    return {
        "queries": result.cases,
        "hits_at_1": result.hits_at_1,
        "mrr": result.mrr,
        "misses": [list(m) for m in result.misses],
    }


def _pdf_pages(files: list[Path]) -> int:
    import pypdf

    return sum(len(pypdf.PdfReader(str(f)).pages) for f in files)


def _raw_extract(files: list[Path]) -> None:
    import pypdf

    for f in files:
        for page in pypdf.PdfReader(str(f)).pages:
            page.extract_text()


def _raw_extract_2proc(files: list[Path]) -> None:
    """Raw pypdf in two forked processes, files dealt out alternately: jobs=2's own ceiling."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    procs = [context.Process(target=_raw_extract, args=(files[k::2],)) for k in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"raw extraction process failed: {proc.exitcode}")


def _read_only(files: list[Path]) -> None:
    """kkr-tui's own reader (pypdf plus its font cache, link and text cleaning), no parse/store."""
    from kkr_tui.sources import read_document

    for f in files:
        read_document(f)


def _ingest(files: list[Path], jobs: int) -> None:
    from kkr_tui.ingest import ingest_paths
    from kkr_tui.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "i.db") as store:
        summary_ = ingest_paths(store, files, jobs=jobs)
        if summary_.failed:
            raise RuntimeError(f"ingest failed: {summary_.results}")


def _spin(n: int = 4_000_000) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_ceiling(runs: int) -> dict[str, Any]:
    """What two processes can gain here at best: a pure-Python loop, 2 in a row vs 2 at once.

    On a shared or busy 2-core machine this is well below 2.0, and ``--jobs 2`` cannot
    beat it, so the ingest ratio is read against it.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")

    def both() -> None:
        procs = [context.Process(target=_spin) for _ in range(2)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()

    serial = repeat(lambda: (_spin(), _spin()), runs)
    parallel = repeat(both, runs)
    return {
        "serial_s": round(statistics.median(serial), 3),
        "two_processes_s": round(statistics.median(parallel), 3),
        "speedup": round(statistics.median(serial) / statistics.median(parallel), 2),
    }


def bench_ingest(runs: int, count: int = 8, layout: str = "words") -> dict[str, Any]:
    """Pages/s: raw pypdf extraction vs whole ingest with 1 and 2 processes, runs alternating.

    Alternating (raw, read, jobs 1, raw x2, jobs 2, raw, ...) keeps a load change on the
    machine from landing on one side of a ratio only. ``read_only`` (kkr-tui's reader
    without parse and store) gives the share parse and store take of a jobs=1 run;
    ``raw_pypdf_2proc`` is what raw pypdf itself gains from two processes here, the
    ceiling for jobs=2. ``layout`` is how the PDFs place their text
    (:func:`corpus.build_pdfs`): ``"words"`` as Word does, ``"lines"`` the cheapest case.
    """
    files = corpus.build_pdfs(corpus.OUT / "pdfs", count, layout=layout)
    pages = _pdf_pages(files)
    _raw_extract(files[:1])
    _ingest(files[:2], 1)
    out: dict[str, Any] = {"layout": layout, "files": len(files), "pages": pages}
    _read_only(files[:1])
    kinds = {
        "raw_pypdf": lambda: _raw_extract(files),
        "read_only": lambda: _read_only(files),
        "ingest_jobs1": lambda: _ingest(files, 1),
        "raw_pypdf_2proc": lambda: _raw_extract_2proc(files),
        "ingest_jobs2": lambda: _ingest(files, 2),
    }
    samples: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(runs):
        for name, fn in kinds.items():
            samples[name].extend(repeat(fn, 1))
    rates: dict[str, float] = {}
    for name, taken in samples.items():
        rates[name] = pages / statistics.median(taken)
        out[name] = {
            **summary(taken, unit="s"),
            "pages_per_s_median": round(rates[name], 1),
            "pages_per_s_p95_run": round(pages / max(taken), 1),
        }
    out["ratio_jobs1_to_raw"] = round(rates["ingest_jobs1"] / rates["raw_pypdf"], 3)
    out["ratio_jobs2_to_raw"] = round(rates["ingest_jobs2"] / rates["raw_pypdf"], 3)
    out["ratio_raw_2proc_to_raw"] = round(rates["raw_pypdf_2proc"] / rates["raw_pypdf"], 3)
    out["ratio_read_only_to_raw"] = round(rates["read_only"] / rates["raw_pypdf"], 3)
    out["parse_store_share_jobs1"] = round(1 - rates["ingest_jobs1"] / rates["read_only"], 3)
    out["parallel_ceiling"] = parallel_ceiling(max(2, runs // 2))
    return out


#: Where probes keep compiled bytecode (``bench/out`` is gitignored).
PYCACHE = HERE / "out" / "pycache"


def _probe_env() -> dict[str, str]:
    """The probes' environment: bytecode written and read, as an installed wheel has it.

    With ``PYTHONDONTWRITEBYTECODE`` set (this machine sets it), a probe compiled
    kkr-tui's modules from source at every launch (25-30 ms) while Textual's came from
    the ``.pyc`` files pip wrote, which tilted the first-frame ratio against kkr-tui.
    """
    return bytecode_env(PYCACHE)


def _compile_for_probes() -> None:
    """Write the bytecode once before timed launches, so no run pays for compiling."""
    subprocess.run(
        [sys.executable, "-c", "import kkr_tui.app.app, kkr_tui.search, textual.app"],
        env=_probe_env(),
        cwd=ROOT,
        check=True,
        timeout=600,
    )


def _probe(*args: str) -> dict[str, Any]:
    env = dict(_probe_env(), BENCH_T0=repr(time.time()))
    proc = subprocess.run(
        [sys.executable, str(HERE / "probes.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_app(
    n: int, runs: int, *, read_only: bool = False, bilag_pages: int = 0
) -> dict[str, Any]:
    """First frame of kkr-tui on an n-item store beside an empty Textual app, alternating.

    The app opens a private copy read-write, as a user's own store; with ``read_only``
    it opens the cached corpus itself read-only instead (no copy: the 1M corpus is 13 GB),
    which also skips the "what's new" look, a write. With ``bilag_pages`` the store also
    holds that many bilag pages (``bilag_corpus.py``): issue 15 asks that bilag leave the
    first frame and the reader's memory where they are, so the two runs are compared.
    """
    corpus.build(n)
    db = corpus.db_path(n, 1)
    if bilag_pages:
        import bilag_corpus

        bilag_corpus.build(n, bilag_pages)
        db = bilag_corpus.db_path(n, bilag_pages)
    with tempfile.TemporaryDirectory() as tmp:
        target, flags = db, ["--read-only"]
        if not read_only:
            # a private copy: the app opens the store read-write and must not touch the cache
            target, flags = Path(tmp) / "app.db", []
            shutil.copy(db, target)
            with open(target, "rb") as copied:  # else the app's first commit flushes 1.3 GB
                os.fsync(copied.fileno())
        _compile_for_probes()
        empty, app = [], []
        for _ in range(runs):
            empty.append(_probe("empty"))
            app.append(_probe("app", str(target), *flags))
    errors = [r["error"] for r in empty + app if "error" in r]
    if errors:
        return {"error": errors[0]}
    ff_empty = [r["first_frame_s"] for r in empty]
    ff_app = [r["first_frame_s"] for r in app]
    out = {
        "items": n,
        "read_only": read_only,
        "empty_first_frame": summary(ff_empty),
        "app_first_frame": summary(ff_app),
        "ratio_first_frame_median": round(
            statistics.median(ff_app) / statistics.median(ff_empty), 2
        ),
        "app_newest_meeting_shown": summary([r["newest_meeting_shown_s"] for r in app]),
        # the first open of a store copy also pays one-time work (e.g. "what's new" detection)
        "app_newest_meeting_shown_first_run_ms": round(app[0]["newest_meeting_shown_s"] * 1000, 1),
        "app_newest_meeting_shown_later_runs": summary(
            [r["newest_meeting_shown_s"] for r in app[1:]] or [app[0]["newest_meeting_shown_s"]]
        ),
        "open_meeting": summary([s for r in app for s in r["open_meeting_s"]]),
        "open_meeting_first_run": summary(app[0]["open_meeting_s"]),
        "open_meeting_after_pause": summary(
            [s for r in app for s in r["open_meeting_after_pause_s"]]
        ),
        "open_meeting_after_pause_during_background": summary(
            [s for r in app for s in r["open_meeting_after_pause_during_background_s"]]
        ),
        "expand_meeting": summary([s for r in app for s in r["expand_meeting_s"]]),
        "search_ready": summary([r["search_ready_s"] for r in app]),
        "first_search_after_warm": summary([r["first_search_after_warm_s"] for r in app]),
        "app_peak_rss_before_warm_end_mb": max(r["peak_rss_before_warm_end_mb"] for r in app),
        "app_peak_rss_mb": max(r["peak_rss_mb"] for r in app),
        "empty_peak_rss_mb": max(r["peak_rss_mb"] for r in empty),
    }
    return out


def bench_rss(n: int) -> dict[str, Any]:
    """Peak RSS of a fresh process that runs every benchmark query once on the n-item store."""
    corpus.build(n)
    queries = [q for qs in QUERY_KINDS.values() for q in qs if "{" not in q]
    return {"items": n, **_probe("search", str(corpus.db_path(n, 1)), *queries)}


def _baseline_runs(n: int, args: argparse.Namespace) -> int:
    if n > corpus.parse_size(args.naive_up_to):
        return 0
    return 1 if args.quick or n >= 100_000 else 3


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks and print one JSON document."""
    ap = argparse.ArgumentParser(description="kkr-tui benchmarks")
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (smoke runs)")
    ap.add_argument(
        "--only",
        # Every figure but the bilag search's (which builds a corpus of bilag pages
        # first): the peers, whole processes and typos' first calls included, so
        # every run shows where kkr-tui stands beside rg, fzf and plain FTS5.
        default="search,recall,peers,cli,typo_first,ingest,app,rss",
    )
    ap.add_argument("--app-size", default="100k")
    ap.add_argument(
        "--bilag-pages",
        default="40k",
        help="bilag pages added to each size's corpus for --only search_bilag (20 a bilag)",
    )
    ap.add_argument(
        "--naive-up-to",
        default="1M",
        help="run the naive search baseline only at sizes up to this (it takes ~20 min at 1M)",
    )
    ap.add_argument(
        "--ingest-layouts",
        default="words,tagged,lines",
        help="PDF layouts for the ingest figures: words (every word placed, as Word writes "
        "them), tagged (words in Word's marked-content tags), lines (the cheapest)",
    )
    ap.add_argument(
        "--app-bilag-pages",
        default="0",
        help="bilag pages in the reader's store for --only app (0: the items alone)",
    )
    ap.add_argument(
        "--app-read-only",
        action="store_true",
        help="open the cached corpus read-only instead of a read-write copy (for 1M)",
    )
    args = ap.parse_args(argv)
    sizes = [corpus.parse_size(s) for s in args.sizes.split(",") if s]
    only = set(args.only.split(","))
    runs = 3 if args.quick else 15
    out: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "quick": args.quick,
    }
    if "search" in only:
        out["search"] = {
            corpus.size_label(n): bench_search(n, runs, _baseline_runs(n, args)) for n in sizes
        }
    if "search_bilag" in only:
        pages = corpus.parse_size(args.bilag_pages)
        out["search_bilag"] = {
            f"{corpus.size_label(n)}+{corpus.size_label(pages)}": bench_search_bilag(n, pages, runs)
            for n in sizes
        }
    if "recall" in only:
        out["recall"] = recall_on_samples()
    if "ingest" in only:
        for layout in args.ingest_layouts.split(","):
            key = "ingest" if layout == "words" else f"ingest_{layout}"
            out[key] = bench_ingest(2 if args.quick else 5, layout=layout)
    if "app" in only:
        n = (
            min(corpus.parse_size(args.app_size), max(sizes))
            if args.quick
            else corpus.parse_size(args.app_size)
        )
        out["app"] = bench_app(
            n,
            2 if args.quick else 7,
            read_only=args.app_read_only,
            bilag_pages=corpus.parse_size(args.app_bilag_pages),
        )
    if "peers" in only:
        from peers import bench_peers

        out["peers"] = bench_peers()
    if "cli" in only:
        from cli_bench import bench_cli

        out["cli"] = bench_cli(sizes, 5 if args.quick else 15)
    if "typo_first" in only:
        from typo_first import bench_typo_first

        out["typo_first"] = {}
        for n in sizes:
            corpus.build(n)
            out["typo_first"][corpus.size_label(n)] = bench_typo_first(
                corpus.db_path(n, 1), 1 if args.quick else 3
            )
    if "rss" in only:
        out["rss"] = {corpus.size_label(n): bench_rss(n) for n in sizes}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
