"""DOCX writer: a document tree into reproducible WordprocessingML bytes."""
