"""The monthly example from the command line (several periods), numbers identical in DOCX and PDF and equal to
growth rates computed here from the CSV; briefgen check locates unknown figures, contradicting prose and stale data."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument
from lxml import etree

from briefgen.model.periods import parse_period
from briefgen.pipeline.render import render
from briefgen.tree import Chart
from keyfigkit import csv_values, monthly_copy, pct

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
PERIODS = ("2026-10", "2026-08", "2026-01")


def briefgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def change_words(v: Decimal) -> str:
    return f"{'增长' if v >= 0 else '下降'}{abs(v)}%"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    spec = monthly_copy(tmp_path_factory.mktemp("monthly"))
    out = spec.parent.parent / "out"
    for period in PERIODS:
        r = briefgen("build", str(spec), "-o", str(out), "-j", "1", "-q", "--set", f"period={period}",
                     cwd=spec.parent)
        assert r.returncode == 0, r.stderr
    return spec, out


@pytest.mark.parametrize("period", PERIODS)
def test_monthly_report_builds_per_period_with_rates_computed_from_the_csv(built: tuple[Path, Path],
                                                                           period: str) -> None:
    _, out = built
    pdf_path, docx_path = out / f"monthly-report-{period}.pdf", out / f"monthly-report-{period}.docx"
    vals = csv_values()
    per = parse_period(period)
    prev, year_ago = str(per.shift(-1)), str(per.year_ago())
    with pdfplumber.open(pdf_path) as pdf:
        pdf_text = squash("".join(p.extract_text() or "" for p in pdf.pages))
    d = DocxDocument(str(docx_path))
    table = next(t for t in d.tables if t.rows[0].cells[1].text == "本月")
    # a cell may carry a manual line break where Word would leave one or two characters alone
    rows = {r.cells[0].text.replace("\n", ""): [c.text.replace("\n", "") for c in r.cells] for r in table.rows}
    assert f"示例区{per.chinese}经济运行简报" in pdf_text
    assert "示意数据" in pdf_text and "非官方统计" in pdf_text
    for ind, label in (("industrial_output", "规上工业总产值"), ("retail_sales", "社会消费品零售总额"),
                       ("exports", "出口总额"), ("fixed_investment", "固定资产投资")):
        now = vals[(ind, period)]
        yoy, mom = pct(now, vals[(ind, year_ago)]), pct(now, vals[(ind, prev)])
        want = [label, str(now), "亿元", change_words(yoy) + "*", change_words(mom) + "*"]
        assert rows[label] == want, (label, rows[label], want)
        assert "".join(want[1:]) in pdf_text, want  # the same row in the PDF (the label may wrap)
    assert f"规上工业总产值{vals[('industrial_output', period)]}亿元，同比" in pdf_text
    rate = vals[("unemployment", period)] - vals[("unemployment", year_ago)]
    assert rows["城镇调查失业率"][3] == f"{'提高' if rate >= 0 else '下降'}{abs(rate)}个百分点*"


def test_charts_and_tables_carry_identical_numbers_in_docx_and_pdf(built: tuple[Path, Path]) -> None:
    spec, _ = built
    r = render(spec, spec.parent, ["docx", "pdf"], ["period=2026-09"])
    from briefgen.pipeline.prepare import prepare
    from briefgen.pipeline.render import compose

    charts = [b for b in compose(prepare(spec, ["period=2026-09"])).document.blocks if isinstance(b, Chart)]
    assert charts, "the example brief made no chart: nothing would be compared"
    assert any(c.value_labels for c in charts), "no chart prints value labels: their check would not run"
    with zipfile.ZipFile(io.BytesIO(r.data["docx"])) as z:
        parts = [etree.fromstring(z.read(f"word/charts/chart{i}.xml")) for i in range(1, len(charts) + 1)]
    with pdfplumber.open(io.BytesIO(r.data["pdf"])) as pdf:
        words = [w["text"] for p in pdf.pages for w in p.extract_words()]
    for chart, part in zip(charts, parts, strict=True):
        sers = part.findall(f".//{C}ser")
        cached = [[Decimal(v.text) for v in s.findall(f"{C}val//{C}v")] for s in sers]
        assert cached == [[v for v in s.values if v is not None] for s in chart.series]
        cats = [v.text.replace("\n", "") for v in sers[0].findall(f"{C}cat//{C}v")]
        assert cats == chart.categories
        ticks = [chart.tick(t) for t in chart.ticks()]
        axis = part.find(f".//{C}valAx")
        lo, step = Decimal(axis.find(f".//{C}min").get("val")), Decimal(axis.find(f"{C}majorUnit").get("val"))
        assert [chart.tick(lo + k * step) for k in range(len(ticks))] == ticks  # Word draws these ticks
        assert all(t in words for t in ticks), ticks  # … and the PDF prints them
        if chart.value_labels:
            assert all(chart.number(v) in words for vs in cached for v in vs)


def _check(spec: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return briefgen("check", str(spec), *extra, cwd=spec.parent)


def test_check_locates_unknown_figures(tmp_path: Path) -> None:
    spec = monthly_copy(tmp_path)
    text = spec.read_text(encoding="utf-8").replace("{fig:retail_sales}", "{fig:retail_sale}", 1)
    spec.write_text(text.replace("tags: [monthly]", "ids: [industrial_output, exprots]", 1), encoding="utf-8")
    r = _check(spec)
    assert r.returncode == 3, r.stderr
    lines = text.splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if "{fig:retail_sale}" in ln)
    col = lines[line - 1].index("{fig:retail_sale}") + 1
    assert f"{spec.name}:{line}:{col}: blocks[1].text: unknown figure 'retail_sale' (did you mean retail_sales" in r.stderr
    assert re.search(rf"{re.escape(spec.name)}:\d+:\d+: blocks\[2\]\.ids\[1\]: unknown figure 'exprots' "
                     r"\(did you mean exports", r.stderr), r.stderr


def test_check_reports_contradicting_prose_and_units_with_locations_strict_fails(tmp_path: Path) -> None:
    spec = monthly_copy(tmp_path)
    vals = csv_values()
    typo = vals[("industrial_output", "2026-10")] + Decimal("1.8")
    text = spec.read_text(encoding="utf-8").replace(
        "  - heading: 总体情况\n",
        f"  - heading: 总体情况\n  - text: |\n      本月规上工业总产值达{typo}亿元，固定资产投资为39.3万元。\n", 1)
    spec.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "本月规上工业总产值" in ln)
    r = _check(spec)
    assert r.returncode == 0, r.stderr
    now = vals[("industrial_output", "2026-10")]
    assert (f"{spec.name}:{line}:9: warning: blocks[1].text: prose says 规上工业总产值达{typo}亿元 but the figure for "
            f"规上工业总产值 is {now}亿元 (figure industrial_output at ") in r.stderr, r.stderr
    assert f"{spec.name}:{line}:" in r.stderr and "unit mismatch: prose says 固定资产投资为39.3万元" in r.stderr
    strict = _check(spec, "--strict")
    assert strict.returncode == 3 and "warning:" not in strict.stderr.split("PDF font")[0]


def test_check_reports_stale_data(tmp_path: Path) -> None:
    spec = monthly_copy(tmp_path)
    data = tmp_path / "data" / "illustrative-monthly.csv"
    data.write_text("\n".join(ln for ln in data.read_text(encoding="utf-8").splitlines()
                              if not ln.startswith("2026-10,electricity")) + "\n", encoding="utf-8")
    r = _check(spec, "--set", "period=2026-10")
    assert r.returncode == 0, r.stderr
    text = spec.read_text(encoding="utf-8").splitlines()
    line = next(i for i, ln in enumerate(text, 1) if "{fig:electricity}" in ln)
    col = text[line - 1].index("{fig:electricity}") + 1
    assert (f"{spec.name}:{line}:{col}: warning: blocks[1].text: stale figure 'electricity': no data for 2026年10月, "
            "the latest value is for 2026年9月") in r.stderr
    assert _check(spec, "--strict", "--set", "period=2026-10").returncode == 3
    # printed with its period ({fig:electricity|period}: 2026年9月…), the figure is not passed off as October's
    spec.write_text(spec.read_text(encoding="utf-8").replace("{fig:electricity}", "{fig:electricity|period}"),
                    encoding="utf-8")
    err = _check(spec, "--set", "period=2026-10").stderr
    assert f"{spec.name}:{line}:{col}: warning" not in err and "blocks[2].tags: stale figure 'electricity'" in err
