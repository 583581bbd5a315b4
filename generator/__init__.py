"""Caucus site generator: Markdown strategy notes -> a cross-linked MkDocs + Material site."""

__version__ = "0.1.0"
