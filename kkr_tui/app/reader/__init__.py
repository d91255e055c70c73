"""The reader's App in parts, one job a module; :class:`kkr_tui.app.app.KkrApp` joins them.

Each part is a class on :class:`~kkr_tui.app.reader.base.ReaderBase` (the state every
part shares), so a part is typed against the base and never imports the App that
joins it: the palette and the help screen, too, are typed against the base.
"""
