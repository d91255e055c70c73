"""kkr-tui: an offline, keyboard-driven reader for KL's KKR meeting agendas and minutes."""

__version__ = "0.1.0"
