"""The benchmark code itself runs: corpus generator, search and ingest entry points, a probe.

Benchmarks are only worth something if they still run after the code under them
changes, so this drives each entry point on ~200 items. Nothing here is timed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

#: The bench's own runs take seconds (17 s on the 2-core machine): not in the quick loop.
pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import run  # noqa: E402
from stats import summary  # noqa: E402

from kkr_tui.model import COUNCILS  # noqa: E402
from kkr_tui.store import Store  # noqa: E402

N = 200


@pytest.fixture(scope="module")
def pool() -> corpus.Pool:
    return corpus.load_pool()


@pytest.fixture
def out_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(corpus, "OUT", tmp_path)
    return tmp_path


def test_sizes_parse_and_print() -> None:
    assert [corpus.parse_size(s) for s in ("200", "10k", "1M", "2.5k")] == [
        200,
        10_000,
        1_000_000,
        2_500,
    ]
    assert [corpus.size_label(n) for n in (200, 10_000, 1_000_000)] == ["200", "10k", "1M"]


def test_generator_is_exact_deterministic_and_varied(pool: corpus.Pool) -> None:
    first = list(corpus.meetings(N, 3, pool))
    again = list(corpus.meetings(N, 3, pool))
    other = list(corpus.meetings(N, 4, pool))
    items = [i for m in first for i in m.items()]
    assert len(items) == N
    assert {m.council for m in first} == set(COUNCILS)
    assert [i.title for m in again for i in m.items()] == [i.title for i in items]
    assert [i.title for m in other for i in m.items()] != [i.title for i in items]
    assert len({i.title for i in items}) > N // 2
    assert all(i.case_number and i.case_number.startswith("SAG-") for i in items)
    assert all(i.parts for i in items)
    years = {int(m.meeting_date[:4]) for m in first}
    assert min(years) == 2007 and max(years) == 2026


def test_build_writes_every_item_and_is_cached(out_dir: Path) -> None:
    stats = corpus.build(N, seed=5)
    assert stats["items"] == N
    with Store(corpus.db_path(N, 5), read_only=True) as store:
        assert sorted(store.councils()) == sorted(COUNCILS)
        assert len(store.item_rows(list(range(1, N + 10)))) == N
    assert corpus.build(N, seed=5) == stats


def test_search_bench_reports_every_kind_and_the_baseline(out_dir: Path) -> None:
    result = run.bench_search(N, runs=1, baseline_runs=1)
    assert result["corpus"]["items"] == N
    assert set(result["naive"]) == set(run.QUERY_KINDS)
    if isinstance(result["search"], dict):
        assert set(result["search"]) == set(run.QUERY_KINDS)
        assert all(v["n"] >= 1 for v in result["search"].values())
        for kind in result["search"].values():
            firsts = [q["first_call_ms"] for q in kind["queries"].values()]
            assert kind["first_calls_max_ms"] == max(firsts)


def test_ingest_bench_counts_pages(out_dir: Path) -> None:
    pytest.importorskip("fpdf")
    result = run.bench_ingest(runs=1, count=1)
    assert result["files"] == 1 and result["pages"] > 10
    assert result["raw_pypdf"]["pages_per_s_median"] > 0
    assert result["ingest_jobs1"]["pages_per_s_median"] > 0


def test_search_probe_reports_rss(out_dir: Path) -> None:
    corpus.build(N, seed=1)
    result = run.bench_rss(N)
    assert "error" not in result, result
    assert result["peak_rss_mb"] > 10


def test_summary_median_and_p95() -> None:
    s = summary([0.001 * i for i in range(1, 21)])
    assert s == {"median_ms": 10.5, "p95_ms": 19.0, "n": 20}
    assert summary([]) == {"median": None, "p95": None, "n": 0}


def test_peers_bench_scores_kkr_tui_and_each_installed_peer() -> None:
    import peers

    out = peers.bench_peers(limit=2)
    assert out["queries_top"] == 2 and out["queries_recall"] == 2
    assert {"kkr-tui", "sqlite3 fts5", "rg -i", "fzf --filter"} <= set(out)
    own = out["kkr-tui"]
    assert own["n"] == 4 and own["hits_at_1"] == 1.0 and own["recall_at_10"] == 1.0
    for tool in ("sqlite3 fts5", "rg -i", "fzf --filter"):
        entry = out[tool]
        assert "note" in entry or ({"median_ms", "hits_at_1", "recall_at_10"} <= set(entry))


def test_dbsize_accounts_for_every_page(out_dir: Path) -> None:
    import dbsize

    stats = corpus.build(N, batch=7)
    assert stats["items"] == N
    result = dbsize.measure(corpus.db_path(N, 1))
    objects = {o["name"]: o for o in result["objects"]}
    assert {"parts", "items", "items_fts_data"} <= set(objects)
    assert sum(o["bytes"] for o in result["objects"]) == result["used_bytes"]
    assert result["text_bytes"] > 0 and result["ratio_to_text"] > 1
    assert "| parts | table |" in dbsize.table(result)


def test_cli_bench_times_whole_processes_beside_their_yardsticks(out_dir: Path) -> None:
    import cli_bench

    result = cli_bench.bench_cli([N], runs=1)
    search = result["samples"]["search okonomi"]
    assert search["cpu_ms"] > 0 and search["yardstick_cpu_ms"] > 0 and search["ratio_cpu"] > 0
    assert set(result["samples"]) == {"search okonomi", "--version", "--help"}
    assert set(result[corpus.size_label(N)]) == set(cli_bench.SIZE_QUERIES)


def test_typo_first_bench_derives_typos_by_its_rule_and_times_each_in_a_process(
    out_dir: Path,
) -> None:
    import typo_first

    from kkr_tui.search import Vocabulary

    vocab = Vocabulary.from_rows(
        sorted([("budget", 40), ("budgetter", 2), ("kommunerne", 9), ("okonomi", 30)])
    )
    for word in ("budget", "kommunerne", "okonomi"):
        for step in range(8):
            typo = typo_first.misspell(word, step)
            assert typo != word and typo[0] == word[0]
        typo = typo_first.typo_of(vocab, word)
        assert typo is not None and not vocab.has_prefix(typo) and len(typo) >= 4
    corpus.build(N, seed=1)
    result = typo_first.bench_typo_first(corpus.db_path(N, 1), runs=1)
    assert result["typos"] == len(result["rows"]) > 0
    assert result["cpu_ms"]["n"] == result["typos"]
    assert {row["band"] for row in result["rows"]} <= {
        "queries", "frequent", "mid", "rare", "danish", "compound", "short",
    }  # fmt: skip
    assert all(row["cpu_ms"][0] > 0 for row in result["rows"])
