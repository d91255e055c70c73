"""Screens pushed over the reader: search and help."""
