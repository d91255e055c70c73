"""The meeting tree: Council → year → meeting → section → item, loaded one level at a time.

Only what the reader opens is ever fetched, so a database with 100,000 items opens as
fast as one with ten. Each node's children come from the Store in a worker; a node
being loaded shows a dim "loading…" leaf instead of freezing the screen.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker

from kkr_tui.app import actions
from kkr_tui.app.db import Store
from kkr_tui.app.failures import report_worker_failure
from kkr_tui.app.render import item_label, section_label, tree_text
from kkr_tui.i18n import _

if TYPE_CHECKING:
    from kkr_tui.app.db import StoreGateway

NodeKind = Literal["root", "council", "year", "meeting", "section", "item", "loading"]


@dataclass
class NodeInfo:
    """What a tree node stands for; ``key`` is a council name, a (council, year) pair or an id."""

    kind: NodeKind
    key: Any = None
    loaded: bool = False


class MeetingTree(Tree[NodeInfo]):
    """A lazily loaded tree of every meeting in the store, newest first."""

    #: j/k, h/l and ←/→ (close / open, as in a file manager), g/G; from the registry.
    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings("tree"))

    def __init__(self, gateway: StoreGateway, **kwargs: Any) -> None:
        super().__init__("KKR", NodeInfo("root"), **kwargs)
        actions.translate_bindings(self)
        self.gateway = gateway
        self.show_root = False
        self.guide_depth = 2
        self._loading: dict[int, asyncio.Future[None]] = {}

    def process_label(self, label: str | Text) -> Text:
        """Labels are data: a ``str`` is shown literally, never parsed as markup."""
        text = label if isinstance(label, Text) else Text(label)
        return text.split()[0] if "\n" in text.plain else text

    async def _fetch(self, info: NodeInfo) -> list[tuple[Text, NodeInfo, bool]]:
        call = self.gateway.call
        if info.kind == "root":
            return [
                (tree_text(c), NodeInfo("council", c), True) for c in await call(Store.councils)
            ]
        if info.kind == "council":
            years = await call(Store.years, info.key)
            return [
                (Text(str(y) if y else _("No date")), NodeInfo("year", (info.key, y)), True)
                for y in years
            ]
        if info.kind == "year":
            meetings = await call(Store.meetings, *info.key)
            return [(tree_text(r.label), NodeInfo("meeting", r.id), True) for r in meetings]
        if info.kind == "meeting":
            sections = await call(Store.sections, info.key)
            return [
                (section_label(r.number, r.title), NodeInfo("section", r.id), r.item_count > 0)
                for r in sections
            ]
        if info.kind == "section":
            items = await call(Store.items, info.key)
            return [(item_label(r.number, r.title), NodeInfo("item", r.id), False) for r in items]
        return []

    async def load_children(self, node: TreeNode[NodeInfo]) -> None:
        """Fetch and add ``node``'s children once; concurrent callers wait for the same load."""
        info = node.data
        if info is None or info.loaded or info.kind in ("item", "loading"):
            return
        pending = self._loading.get(node.id)
        if pending is not None:
            await asyncio.shield(pending)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._loading[node.id] = future
        placeholder = None
        if info.kind != "root":
            placeholder = node.add_leaf(
                Text(_("loading…"), style="dim italic"), NodeInfo("loading")
            )
        try:
            children = await self._fetch(info)
            for label, child, expandable in children:
                node.add(label, child, allow_expand=expandable)
            info.loaded = True
        finally:
            if placeholder is not None:
                placeholder.remove()
            future.set_result(None)
            del self._loading[node.id]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A tree level failed to load: log it and say so (the node stays empty)."""
        report_worker_failure(self.app, event)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeInfo]) -> None:
        if event.node.data is not None and not event.node.data.loaded:
            self.run_worker(self.load_children(event.node), group="tree", exit_on_error=False)

    async def load_root(self) -> None:
        """Load the councils and open the newest meeting of the first council."""
        await self.reload()
        node: TreeNode[NodeInfo] | None = self.root
        for _level in range(2):
            if node is None or not node.children:
                break
            node = node.children[0]
            node.expand()
            await self.load_children(node)
        if node is not None and node.children:
            self.goto(node.children[0])

    async def reveal(self, path: list[tuple[NodeKind, Any]]) -> TreeNode[NodeInfo] | None:
        """Open the nodes along ``path`` ((kind, key) from the council down); select the last."""
        node = self.root
        for index, (kind, key) in enumerate(path):
            await self.load_children(node)
            match = next(
                (c for c in node.children if c.data and (c.data.kind, c.data.key) == (kind, key)),
                None,
            )
            if match is None:
                return None
            node = match
            if index < len(path) - 1:
                node.expand()
        self.goto(node)
        return node

    async def reveal_view(self, view: tuple[str, int]) -> TreeNode[NodeInfo] | None:
        """Open the tree down to an item (``("item", id)``) or a meeting and select it."""
        kind, ident = view
        path: list[tuple[NodeKind, Any]]
        if kind == "item":
            council, year, meeting_id, section_id, item_id = await self.gateway.call(
                Store.item_path, ident
            )
            path = [
                ("council", council),
                ("year", (council, year)),
                ("meeting", meeting_id),
                ("section", section_id),
                ("item", item_id),
            ]
        else:
            meeting = await self.gateway.call(Store.meeting, ident)
            year = int(meeting.meeting_date[:4]) if meeting.meeting_date else 0
            path = [
                ("council", meeting.council),
                ("year", (meeting.council, year)),
                ("meeting", meeting.id),
            ]
        return await self.reveal(path)

    async def reload(self) -> None:
        """Forget every loaded level and load the councils again (nothing opened yet)."""
        self.root.remove_children()
        if self.root.data is not None:
            self.root.data.loaded = False
        await self.load_children(self.root)

    def goto(self, node: TreeNode[NodeInfo]) -> None:
        """Move the cursor to ``node``, even right after nodes above it were added or opened."""
        self._tree_lines  # noqa: B018 - reading it rebuilds line numbers invalidated by add/expand
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def action_collapse_or_parent(self) -> None:
        """``h``: close an open node, or go up to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.allow_expand:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.goto(node.parent)

    def action_expand_or_child(self) -> None:
        """``l``: open a node, step into an open one, or select an item."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.children:
            self.goto(node.children[0])
        else:
            self.select_node(node)
