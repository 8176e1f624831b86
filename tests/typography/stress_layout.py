"""Write page-layout stress briefs: long-label tables, quote-dense paragraphs, URLs, mixed figures and
many short sections whose headings land near page ends.

Built on ``stress_text.write_stress`` (same deterministic random text); the pack gets 40 more
figures with long labels and mixed figures (超5300, 1100多, 第75, 2224.53, −0.3个百分点), and the
brief gets quote-dense paragraphs and twelve short sections. Nothing is checked in: tests write
the files into a temporary folder.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from stress_text import HAN, URLS, paragraph, write_stress

QUOTED = ["“融入式党建”", "“书记项目”", "（试行）", "《实施意见》", "“两新”组织", "“定盘星”", "（全区）"]
# (value, kind, note): printed as 超5300, 1100多, 第75, 2224.53, 10余 …
VALUES: list[tuple[float, str, str]] = [
    (5300, "amount", "超"), (1100, "count", "多"), (75, "ranking", ""), (2224.53, "amount", ""),
    (65294, "amount", ""), (0.5, "amount", ""), (12, "count", ""), (-3.5, "amount", ""),
    (10, "count", "余"), (241, "ranking", ""),
]  # fmt: skip
LABEL_TAILS = ["注册资本总额", "占全区比重", "累计投入资金", "项目完成率", "人均可支配收入（全省）"]


def _han(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(lo, hi)))


def quote_dense(rng: random.Random, length: int) -> str:
    """A paragraph where closing quotes and brackets meet commas, 顿号 and full stops."""
    out: list[str] = [_han(rng, 2, 6)]
    while sum(len(s) for s in out) < length:
        out.append(rng.choice(QUOTED) + rng.choice("，、。；") + _han(rng, 1, 5))
        if rng.random() < 0.2:
            out.append(rng.choice(URLS) + "，" + _han(rng, 2, 4))
    return "".join(out).rstrip("，、；") + "。"


def write_layout_stress(folder: Path, theme: str, seed: int = 2026) -> Path:
    """``layout-<theme>.yaml`` and its pack in ``folder``; returns the brief path."""
    spec = write_stress(folder, theme, seed=seed, sections=3, paras=3)
    rng = random.Random(f"layout-{theme}-{seed}")
    pack_path = folder / f"stress-{theme}-pack.yaml"
    pack: dict[str, Any] = yaml.safe_load(pack_path.read_text(encoding="utf-8"))
    for i in range(40):
        value, kind, note = rng.choice(VALUES)
        pack["figures"].append({
            "id": f"long{i}",
            "label": _han(rng, 6, 14) + rng.choice(LABEL_TAILS),
            "value": value,
            "kind": kind,
            **({"note": note} if note else {}),
            "unit": rng.choice(["亿元", "万人", "家", "%", "位", "万人次", "个"]),
            "period": rng.choice(["2022年上半年", "2021年", "2019年7月以来", "截至2022年"]),
            "scope": rng.choice(["全区", "乡村振兴党建联盟", "青浦、吴江、嘉善三地五镇"]),
            "section": "s1",
            "category": rng.choice(["经济运行", "民营经济", "党建工作"]),
            "tags": ["long"],
        })  # fmt: skip
    pack_path.write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False, width=1000),
                         encoding="utf-8")  # fmt: skip
    brief: dict[str, Any] = yaml.safe_load(spec.read_text(encoding="utf-8"))
    blocks: list[dict[str, Any]] = [{"text": quote_dense(rng, 160)}]
    for k in range(12):  # short sections: headings fall at every height of a page
        blocks.append({"heading": _han(rng, 4, 9) + "“" + _han(rng, 2, 4) + "”", "level": 1 + k % 2})
        blocks.append({"text": quote_dense(rng, rng.randint(30, 140))})
        if k % 4 == 1:
            blocks.append({"text": paragraph(rng, rng.randint(60, 200))})
    blocks.append({"table": "figures", "tags": ["long"], "caption": "长标签数据表",
                   "columns": ["label", "value", "unit", "period", "scope"]})  # fmt: skip
    blocks.append({"text": quote_dense(rng, 120)})
    brief["blocks"] = brief["blocks"] + blocks
    brief["output"] = f"layout-{theme}.{{ext}}"
    out = folder / f"layout-{theme}.yaml"
    out.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    spec.unlink()
    return out
