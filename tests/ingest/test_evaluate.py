"""The strict ingest scorer: its matching rules, and the committed scores it must not fall below."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from briefgen.ingest.evaluate import (
    Answer,
    DocResult,
    basis_class,
    below_baseline,
    main,
    norm_measure,
    norm_period,
    run,
    score_figures,
)

EVAL = Path(__file__).resolve().parents[2] / "eval" / "ingest"


def answer(**kw: object) -> Answer:
    base: dict[str, object] = dict(measure="地区生产总值", aliases=["GDP"], value=Decimal("1291.92"), unit="亿元",
                                   changes=[{"value": 6.2, "unit": "%", "basis": "同比"}],
                                   periods=["2025年前三季度"], kind="actual", scope="全区", key=True)
    base.update(kw)
    return Answer(**base)  # type: ignore[arg-type]


def fig(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"label": "地区生产总值", "value": 1291.92, "unit": "亿元", "period": "2025年前三季度",
                               "change": {"value": 6.2, "unit": "%", "basis": "同比"}, "kind": "amount",
                               "source_line": 1}
    base.update(kw)
    return base


@pytest.mark.parametrize("change", [None, {"value": 6.2, "unit": "%", "basis": "环比"},
                                    {"value": 6.3, "unit": "%", "basis": "同比"}])
def test_a_wrong_change_is_wrong(change: object) -> None:
    res = DocResult("x", "dev")
    score_figures([fig(change=change)], [answer()], res)
    assert res.correct == 0 and res.fields == {"change": 1} and res.keys_found == 0


@pytest.mark.parametrize("field,value", [("label", "增加值"), ("label", "地区生产总值增速"),
                                         ("period", "2025年"), ("period", ""), ("kind", "target")])
def test_each_field_must_match(field: str, value: str) -> None:
    res = DocResult("x", "dev")
    score_figures([fig(**{field: value})], [answer()], res)
    assert res.correct == 0 and res.emitted == 1


def test_a_full_match_counts_once() -> None:
    res = DocResult("x", "dev")
    score_figures([fig(), fig(label="GDP")], [answer()], res)
    assert (res.correct, res.emitted, res.keys_found, res.keys) == (1, 2, 1, 1)
    assert res.fields == {"no such number": 1}  # the second has no answer left to match


def test_normalisation_is_explicit_not_substring() -> None:
    assert norm_measure("规模以上工业增加值增长率") == norm_measure("规上工业增加值增速")
    assert norm_measure("“中国企业500强”") == norm_measure("中国企业500强")
    assert norm_measure("工业增加值") != norm_measure("规上工业增加值")
    assert norm_period("1—8月份") == "1-8月" and norm_period("2022年底") == "2022年末"
    assert norm_period("截至2022年9月14日") == "2022年9月14日"
    assert basis_class("") == basis_class("比上年") == basis_class("较去年同期") == "yoy"
    assert basis_class("同口径") == "同口径" and basis_class("较1-7月") == "比1-7月"


def test_baseline_check_fails_when_a_score_drops(tmp_path: Path) -> None:
    now = {"dev": {"precision": 0.9, "recall": 0.8, "meta_ok": 5, "errors": 0}}
    assert below_baseline(now, {"dev": {"precision": 0.9, "recall": 0.8, "meta_ok": 5}}) == []
    assert below_baseline(now, {"dev": {"precision": 0.95, "recall": 0.8, "meta_ok": 5}})
    assert below_baseline(now, {"dev": {"precision": 0.9, "recall": 0.81, "meta_ok": 5}})
    assert below_baseline(now, {"dev": {"precision": 0.9, "recall": 0.8, "meta_ok": 6}})


def test_scores_do_not_fall_below_the_committed_baseline() -> None:
    baseline = json.loads((EVAL / "baseline.json").read_text(encoding="utf-8"))
    by_split, results = run(EVAL)
    assert not [r.id for r in results if r.error]
    missing = set(baseline) - set(by_split) - {"seed"}  # the seed lives outside the repository
    assert not missing
    assert below_baseline(by_split, baseline) == []
    assert by_split["dev"]["documents"] >= 7 and by_split["heldout"]["documents"] >= 7


def test_cli_prints_the_table_and_checks_the_baseline(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    assert main([str(EVAL), "--split", "dev", "--baseline", str(EVAL / "baseline.json")]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "dev" in out
    high = tmp_path / "high.json"
    high.write_text(json.dumps({"dev": {"precision": 1.01, "recall": 0.0}}), encoding="utf-8")
    assert main([str(EVAL), "--split", "dev", "--baseline", str(high)]) == 1
