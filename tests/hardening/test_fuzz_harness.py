"""The atheris harnesses in ``fuzz/`` stay runnable: their entry points accept the seeds and simple mutations.

atheris itself is optional (``pip install atheris``; see README 安全与限制); without it these
tests only call the harnesses' ``one_input`` directly.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, FUZZ / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mutations(seed: bytes, n: int, rng: random.Random) -> list[bytes]:
    out = [seed]
    tokens = [b"&a ", b"*a", b"!!python/object:os.system ", b"\x00", b"\xff", b"<", b"{{ 7*7 }}", b"[", b"\t",
              b"\n  - ", b": ", b"\\ud800", b'"\\x01"', b"</p>", b"<box>", b"&amp;", b"**", b"]("]
    for _ in range(n):
        data = bytearray(seed)
        for _ in range(rng.randint(1, 6)):
            pos = rng.randint(0, len(data))
            if rng.random() < 0.5 and data:
                del data[pos:pos + rng.randint(1, 8)]
            else:
                data[pos:pos] = rng.choice(tokens)
        out.append(bytes(data))
    return out


@pytest.mark.parametrize(("harness", "folder"), [("fuzz_spec", "spec"), ("fuzz_markup", "markup")])
def test_harness_runs_on_seeds_and_mutations(harness: str, folder: str) -> None:
    module = _load(harness)
    rng = random.Random(7)
    seeds = sorted((FUZZ / "corpus" / folder).iterdir())
    assert seeds
    for seed in seeds:
        for data in _mutations(seed.read_bytes(), 40, rng):
            module.one_input(data)
