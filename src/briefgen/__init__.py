"""briefgen: YAML brief specs → Chinese official-style DOCX and PDF briefings."""

__version__ = "0.1.0"
