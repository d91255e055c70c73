"""The reader's own widgets: the lazy meeting tree and the item pane."""
