"""A DOCX-only build imports no ReportLab (the glyph check reads cmap with fontTools); a PDF-only build imports no python-docx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DRIVER = """
import json, sys
from briefgen.cli import main
code = main(sys.argv[1:])
mods = set(sys.modules)
print(json.dumps({"code": code,
                  "reportlab": any(m == "reportlab" or m.startswith("reportlab.") for m in mods),
                  "docx": any(m == "docx" or m.startswith("docx.") for m in mods)}))
"""


def _build(fmt: str, tmp_path: Path, isolate: str) -> dict[str, object]:
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache"), "BRIEFGEN_NO_SYSTEM_FONTS": "1"}
    spec = REPO / "briefs" / "wujiang-pillars-jianbao.yaml"
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, "build", str(spec), "-o", str(tmp_path / fmt), "-f", fmt,
         "-j", "1", isolate, "-q"],
        capture_output=True, text=True, env=env, timeout=300, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, proc.stderr[-3000:]
    assert (tmp_path / fmt / f"wujiang-pillars-jianbao.{fmt}").is_file()
    return result


@pytest.mark.slow
@pytest.mark.parametrize("isolate", ["--no-isolate", "--isolate"])
def test_docx_build_imports_no_reportlab(tmp_path: Path, isolate: str) -> None:
    assert _build("docx", tmp_path, isolate)["reportlab"] is False


@pytest.mark.slow
@pytest.mark.parametrize("isolate", ["--no-isolate", "--isolate"])
def test_pdf_build_imports_no_docx(tmp_path: Path, isolate: str) -> None:
    result = _build("pdf", tmp_path, isolate)
    assert result["docx"] is False
    assert result["reportlab"] is True  # the check can fail: a PDF build does import ReportLab
