"""Run the briefgen CLI as ``python -m briefgen``."""

from briefgen.cli import run

run()
