"""Back and forward through what the reader viewed (app/history.py), without an app."""

from __future__ import annotations

from kkr_tui.app.history import History


def test_back_and_forward_walk_the_views_in_order() -> None:
    history = History()
    for view in (("meeting", 1), ("item", 2), ("item", 3)):
        history.record(view, browsing=False)
    assert history.back() == ("item", 2)
    assert history.back() == ("meeting", 1)
    assert history.back() is None, "nothing before the first view"
    assert history.forward() == ("item", 2)
    assert history.forward() == ("item", 3)
    assert history.forward() is None


def test_browsing_keeps_only_the_last_line_of_a_run() -> None:
    """Moving the cursor down the tree is one step back, not one per line passed."""
    history = History()
    history.record(("item", 1), browsing=False)
    for item in (2, 3, 4):
        history.record(("item", item), browsing=True)
    assert list(history) == [("item", 1), ("item", 4)]
    assert history.back() == ("item", 1)


def test_a_new_view_after_back_drops_the_forward_views() -> None:
    history = History()
    for item in (1, 2, 3):
        history.record(("item", item), browsing=False)
    history.back()
    history.back()
    history.record(("item", 9), browsing=False)
    assert list(history) == [("item", 1), ("item", 9)]
    assert history.forward() is None


def test_the_view_on_screen_is_not_recorded_twice() -> None:
    history = History()
    history.record(("item", 1), browsing=False)
    history.record(("item", 1), browsing=False)
    assert len(history) == 1
