"""PDF writer: a document tree into reproducible PDF bytes with embedded CJK fonts."""
