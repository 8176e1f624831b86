"""Typeset: styled text and table content into lines and column widths, for any backend."""
