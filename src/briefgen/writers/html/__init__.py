"""HTML writer: a document tree into one self-contained, accessible HTML5 file (see ``writer``)."""
