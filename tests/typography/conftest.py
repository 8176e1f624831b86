"""Build real documents once per session: every bundled brief and a stress brief in every theme.

Everything goes through ``briefgen.pipeline.render.build`` (spec → sources → templates → tree → writers →
files), and the PDFs are read back with pdfplumber once; the tests only measure.
"""

from __future__ import annotations

import pytest
from stress_text import write_stress
from typo_build import BRIEFS, THEMES, Built, build_one, corpus_of


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("examples")
    return {b.stem: build_one(b, out, b.stem) for b in BRIEFS}


@pytest.fixture(scope="session")
def stress(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """A stress brief per theme (long random-but-deterministic text; not kept in the repo)."""
    out = tmp_path_factory.mktemp("stress")
    specs = {th: write_stress(out, th, seed=2022, sections=3, paras=5) for th in THEMES}
    corpus = corpus_of(out)
    return {th: build_one(spec, out, f"stress-{th}", corpus) for th, spec in specs.items()}


@pytest.fixture(scope="session")
def everything(examples: dict[str, Built], stress: dict[str, Built]) -> list[Built]:
    return [*examples.values(), *stress.values()]
