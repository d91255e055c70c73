"""Meeting work on top of the reader: agenda and minutes merged, related items, briefings.

Pure logic over the Store's public methods; no SQL and no Textual here.
"""
