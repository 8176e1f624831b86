"""Run the briefgen CLI as ``python -m briefgen``."""

from briefgen.cli import main

raise SystemExit(main())
