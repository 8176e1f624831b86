"""``briefgen preview`` arguments: a missing brief, a bad port and a port in use are one-line errors, not tracebacks."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from briefgen.cli import main

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "briefs" / "wujiang-pillars-jianbao.yaml"


def test_missing_brief_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(tmp_path / "nope.yaml"), "-o", str(tmp_path)]) == 2
    assert "brief spec not found" in capsys.readouterr().err


def test_port_out_of_range_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(SPEC), "-o", str(tmp_path), "--port", "70000"]) == 2
    assert "--port: --port must be 0..65535" in capsys.readouterr().err


def test_port_in_use_is_an_io_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["preview", str(SPEC), "-o", str(tmp_path), "--port", str(port)]) == 4
    err = capsys.readouterr().err
    assert err.startswith(f"--port: cannot listen on 127.0.0.1:{port}") and "Traceback" not in err
