"""``kkr-tui sync``: fetch the KKR councils' agendas, minutes and bilag from KL's pages.

One job per module, in the order the data flows:

- :mod:`.config`    which pages to read and how politely (base URL, councils, limits);
- :mod:`.discover`  a council page's HTML -> its PDF links, grouped by meeting block;
- :mod:`.client`    the one HTTP client: one request at a time, rate limit, retries,
                    conditional requests, same-host redirects only;
- :mod:`.download`  one PDF streamed to a temporary file, checked, moved into place;
- :mod:`.run`       the whole sync: pages, manifest, downloads, then the ingest pipeline.

Nothing here imports Textual or SQL: the manifest lives in the store
(:mod:`kkr_tui.store.manifest`), and the reader runs :func:`run.sync` in a worker.
"""
