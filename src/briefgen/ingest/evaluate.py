"""Turn an evaluation folder (manifest, texts, hand-made expected answers) into strict ingest scores.

A figure ``briefgen ingest`` emits is **correct** only when one expected answer of its document has
the same value and unit **and** the same measure, change, period and kind:

* value: equal as decimals; unit: equal after ``个百分点`` → ``百分点`` (``个千分点`` likewise);
* measure: the emitted label equals the expected ``measure`` or one of its ``aliases`` after
  :func:`norm_measure` (spaces and quotation marks dropped, ``规模以上`` → ``规上``, ``增长率/增幅``
  → ``增速``) — never a substring test;
* change: both absent, or value, unit and basis equal; the basis is compared by class (``同比``,
  ``比上年``, ``比上年同期`` … and an unstated basis are all year-on-year); an expected ``change``
  may list alternatives (``[null, {...}]``) where the text gives the reader a choice;
* period: equal after :func:`norm_period` (``1—8月份`` → ``1-8月``, ``年底`` → ``年末``, ``截至`` dropped);
  an expected period may list alternatives;
* kind: ``actual`` (ingest's amount, count and rate), ``target`` or ``ranking``.

Scope is reported but not required. Precision = correct / emitted; recall = key answers matched /
key answers. Each expected answer matches at most one emitted figure.

Run: ``python -m briefgen.ingest.evaluate eval/ingest [--split dev] [--details] [--baseline FILE]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BriefError
from briefgen.ingest import ingest_files

KINDS = {"amount": "actual", "count": "actual", "rate": "actual", "actual": "actual",
         "target": "target", "ranking": "ranking"}
FIELDS = ("measure", "change", "period", "kind")
_YOY = {"", "同比", "比上年", "比去年", "比上年同期", "比去年同期", "与上年相比", "与去年相比", "比上年度"}


@dataclass
class Answer:
    """One expected figure, as a careful reader takes it from the text."""

    measure: str
    aliases: list[str]
    value: Decimal
    unit: str
    changes: list[dict[str, Any] | None]
    periods: list[str]
    kind: str
    scope: str
    key: bool


@dataclass
class DocResult:
    """Scores of one document."""

    id: str
    split: str
    emitted: int = 0
    correct: int = 0
    keys: int = 0
    keys_found: int = 0
    answers: int = 0
    seconds: float = 0.0
    chars: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    meta_checks: int = 0
    meta_ok: int = 0
    meta_wrong: list[str] = field(default_factory=list)
    error: str = ""


# ------------------------------------------------------------------------------ normalisation

def norm_measure(text: str) -> str:
    """Label or measure → comparable form (see the module docstring)."""
    t = re.sub(r"[\s“”\"'‘’《》「」]", "", text)
    t = t.replace("(", "（").replace(")", "）").replace("规模以上", "规上")
    t = re.sub(r"(增长率|增幅)$", "增速", t)
    return t.lower()


def norm_unit(unit: str) -> str:
    return unit.replace("个百分点", "百分点").replace("个千分点", "千分点").strip()


def norm_period(text: str) -> str:
    t = re.sub(r"\s", "", text or "")
    t = re.sub(r"^(?:截至|截止到?|至)", "", t)
    t = re.sub(r"[—－~～至]", "-", t).replace("份", "").replace("底", "末")
    t = t.replace("年年末", "年末").replace("年全年", "年")
    t = re.sub(r"^(\d{4}年)度", r"\1", t)
    return t


def basis_class(basis: str) -> str:
    b = re.sub(r"\s", "", basis or "")
    b = re.sub(r"^较", "比", b)
    return "yoy" if b in _YOY else b


def _decimal(v: Any) -> Decimal:
    return Decimal(str(v))


def _change_eq(want: dict[str, Any] | None, got: dict[str, Any] | None) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return (_decimal(want["value"]) == _decimal(got.get("value"))
            and norm_unit(str(want.get("unit", "%"))) == norm_unit(str(got.get("unit", "%")))
            and basis_class(str(want.get("basis", ""))) == basis_class(str(got.get("basis", ""))))


# ------------------------------------------------------------------------------------ loading

def _answer(raw: dict[str, Any], where: str) -> Answer:
    try:
        ch = raw.get("change")
        changes = ch if isinstance(ch, list) else [ch]
        per = raw.get("period", "")
        periods = [str(p) for p in per] if isinstance(per, list) else [str(per)]
        return Answer(str(raw["measure"]), [str(a) for a in raw.get("aliases", [])],
                      _decimal(raw["value"]), str(raw.get("unit", "")), changes, periods,
                      str(raw["kind"]), str(raw.get("scope", "")), bool(raw.get("key", False)))
    except (KeyError, ArithmeticError, TypeError) as e:
        raise SystemExit(f"{where}: bad expected figure {raw!r}: {e}") from None


def load_expected(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data["answers"] = [_answer(f, str(path)) for f in data.get("figures") or []]
    return data


def load_manifest(folder: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8")) or {}
    return list(data.get("documents") or [])


# ------------------------------------------------------------------------------------ scoring

def _measure_ok(label: str, a: Answer) -> bool:
    got = norm_measure(label)
    return got == norm_measure(a.measure) or any(got == norm_measure(x) for x in a.aliases)


def _field_ok(fig: dict[str, Any], a: Answer) -> dict[str, bool]:
    return {
        "measure": _measure_ok(str(fig.get("label", "")), a),
        "change": any(_change_eq(c, fig.get("change")) for c in a.changes),
        "period": norm_period(str(fig.get("period", ""))) in {norm_period(p) for p in a.periods},
        "kind": KINDS.get(str(fig.get("kind", "")), "?") == a.kind,
    }


def _same_number(fig: dict[str, Any], a: Answer) -> bool:
    return _decimal(fig["value"]) == a.value and norm_unit(str(fig.get("unit", ""))) == norm_unit(a.unit)


def _show(fig: dict[str, Any]) -> str:
    ch = fig.get("change")
    c = f" {ch.get('basis', '')}{ch['value']}{ch.get('unit', '')}" if ch else ""
    return (f"{fig.get('label')} {fig['value']}{fig.get('unit', '')}{c} [{fig.get('period', '')}]"
            f" {fig.get('kind')} @{fig.get('source_line')}")


def score_figures(figs: list[dict[str, Any]], answers: list[Answer], res: DocResult) -> None:
    """Match emitted figures to answers: full matches first, then per-field confusion for the rest."""
    used = [False] * len(answers)
    unmatched: list[dict[str, Any]] = []
    for fig in figs:
        hit = next((i for i, a in enumerate(answers) if not used[i] and _same_number(fig, a)
                    and all(_field_ok(fig, a).values())), None)
        if hit is None:
            unmatched.append(fig)
            continue
        used[hit] = True
        res.correct += 1
    for fig in unmatched:
        cands = [a for i, a in enumerate(answers) if not used[i] and _same_number(fig, a)]
        if not cands:
            res.fields["no such number"] = res.fields.get("no such number", 0) + 1
            res.wrong.append(f"{_show(fig)} — no expected figure with this value and unit")
            continue
        best = max(cands, key=lambda a: sum(_field_ok(fig, a).values()))
        bad = [k for k, ok in _field_ok(fig, best).items() if not ok]
        for k in bad:
            res.fields[k] = res.fields.get(k, 0) + 1
        res.wrong.append(f"{_show(fig)} — wrong {', '.join(bad)}; expected {best.measure} "
                         f"[{'|'.join(best.periods)}] {best.kind} change={best.changes[0]}")
    res.emitted = len(figs)
    res.answers = len(answers)
    res.keys = sum(a.key for a in answers)
    res.keys_found = sum(1 for i, a in enumerate(answers) if a.key and used[i])
    res.missed = [f"{a.measure} {a.value}{a.unit} [{'|'.join(a.periods)}] {a.kind}"
                  for i, a in enumerate(answers) if a.key and not used[i]]


def _norm_title(t: str) -> str:
    t = re.sub(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|——)", "", t.strip())
    return re.sub(r"[\s，,。：:；;]", "", t)


def check_meta(pack: dict[str, Any], exp: dict[str, Any], res: DocResult) -> None:
    """Title, date and publisher, and the titles of the top-level parts, when the answers give them."""
    meta = pack.get("meta", {})
    for k, want in (exp.get("meta") or {}).items():
        got = meta.get(k, "")
        ok = (str(got) == str(want)) if k == "date" else _norm_title(str(got)) == _norm_title(str(want))
        res.meta_checks += 1
        res.meta_ok += ok
        if not ok:
            res.meta_wrong.append(f"meta.{k}: got {got!r}, expected {want!r}")
    if exp.get("parts") is not None:
        got_titles = [_norm_title(c["title"]) for c in pack.get("sections", [])
                      if c.get("id") not in ("editor_note", "lead", "body", "closing")]
        want_titles = [_norm_title(t) for t in exp["parts"]]
        res.meta_checks += 1
        if got_titles == want_titles:
            res.meta_ok += 1
        else:
            res.meta_wrong.append(f"parts: got {got_titles}, expected {want_titles}")


def evaluate_doc(folder: Path, entry: dict[str, Any]) -> DocResult | None:
    """Ingest one document and score it; None when an optional document is absent."""
    res = DocResult(str(entry["id"]), str(entry["split"]))
    path = (folder / entry["file"]).resolve()
    if not path.is_file():
        if entry.get("optional"):
            return None
        raise SystemExit(f"{folder / 'manifest.yaml'}: {entry['id']}: {path} not found")
    exp_path = folder / entry["expected"] if entry.get("expected") else path.with_suffix(".expected.yaml")
    exp = load_expected(exp_path)
    date = exp.get("date")
    t0 = time.perf_counter()
    try:
        pack = ingest_files([path], default_date=date if isinstance(date, dt.date) else None).pack
    except BriefError as e:
        res.error = str(e)
        return res
    res.seconds = time.perf_counter() - t0
    res.chars = len(path.read_bytes())
    score_figures(list(pack.get("figures", [])), exp["answers"], res)
    check_meta(pack, exp, res)
    return res


# ------------------------------------------------------------------------------------- report

def totals(results: list[DocResult]) -> dict[str, Any]:
    emitted = sum(r.emitted for r in results)
    correct = sum(r.correct for r in results)
    keys = sum(r.keys for r in results)
    found = sum(r.keys_found for r in results)
    fields: dict[str, int] = {}
    for r in results:
        for k, v in r.fields.items():
            fields[k] = fields.get(k, 0) + v
    return {
        "documents": len(results), "emitted": emitted, "correct": correct,
        "precision": round(correct / emitted, 4) if emitted else 1.0,
        "key_answers": keys, "key_found": found, "recall": round(found / keys, 4) if keys else 1.0,
        "meta_ok": sum(r.meta_ok for r in results), "meta_checks": sum(r.meta_checks for r in results),
        "errors": sum(1 for r in results if r.error), "wrong_fields": fields,
        "max_seconds": round(max((r.seconds for r in results), default=0.0), 3),
    }


def run(folder: Path, splits: list[str] | None = None) -> tuple[dict[str, Any], list[DocResult]]:
    results: list[DocResult] = []
    for entry in load_manifest(folder):
        if splits and entry["split"] not in splits:
            continue
        r = evaluate_doc(folder, entry)
        if r is not None:
            results.append(r)
    by_split = {s: totals([r for r in results if r.split == s])
                for s in dict.fromkeys(r.split for r in results)}
    return by_split, results


def render(by_split: dict[str, Any], results: list[DocResult], details: bool) -> str:
    lines = [f"{'split':<8} {'docs':>4} {'emitted':>7} {'correct':>7} {'precision':>9} "
             f"{'key':>5} {'found':>5} {'recall':>7} {'meta':>7}  wrong fields"]
    for s, t in by_split.items():
        wf = ", ".join(f"{k} {v}" for k, v in sorted(t["wrong_fields"].items())) or "-"
        lines.append(f"{s:<8} {t['documents']:>4} {t['emitted']:>7} {t['correct']:>7} "
                     f"{t['precision']:>9.1%} {t['key_answers']:>5} {t['key_found']:>5} "
                     f"{t['recall']:>7.1%} {t['meta_ok']:>3}/{t['meta_checks']:<3}  {wf}")
    if details:
        for r in results:
            lines.append(f"\n{r.id} ({r.split}): {r.correct}/{r.emitted} correct, key {r.keys_found}/"
                         f"{r.keys}, {r.seconds:.2f} s" + (f" ERROR {r.error}" if r.error else ""))
            lines += [f"  wrong: {w}" for w in r.wrong]
            lines += [f"  missed key: {m}" for m in r.missed]
            lines += [f"  {m}" for m in r.meta_wrong]
    return "\n".join(lines)


def below_baseline(by_split: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Which committed scores went down (precision, recall, metadata checks passed)."""
    out = []
    for s, base in baseline.items():
        t = by_split.get(s)
        if t is None:
            continue
        for k in ("precision", "recall"):
            if t[k] + 1e-9 < base[k]:
                out.append(f"{s} {k} {t[k]:.1%} < baseline {base[k]:.1%}")
        if t["meta_ok"] < base.get("meta_ok", 0):
            out.append(f"{s} metadata checks passed {t['meta_ok']} < baseline {base['meta_ok']}")
        if t["errors"]:
            out.append(f"{s}: {t['errors']} documents failed to ingest")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m briefgen.ingest.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="evaluation folder holding manifest.yaml")
    ap.add_argument("--split", action="append", help="dev, heldout or seed (default: all)")
    ap.add_argument("--details", action="store_true", help="list every wrong and missed figure")
    ap.add_argument("--json", type=Path, help="write the totals as JSON here")
    ap.add_argument("--baseline", type=Path, help="fail (exit 1) when a score is below this JSON")
    args = ap.parse_args(argv)
    by_split, results = run(args.folder, args.split)
    print(render(by_split, results, args.details))
    if args.json:
        args.json.write_text(json.dumps(by_split, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.baseline:
        base = json.loads(args.baseline.read_text(encoding="utf-8"))
        bad = below_baseline(by_split, base)
        for b in bad:
            print(f"below baseline: {b}", file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
