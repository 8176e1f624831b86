"""Write a sources-appendix stress brief: many indicators with long labels from two data packs with long titles and file names, plus a text pack, all listed in ``appendix: sources``.

The class of input the appendix must set well (issue 12): a report citing dozens of figures
whose provenance names long document titles, long hyphenated data-file names and rows.
Deterministic (seeded); tests write the files into a temporary folder.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from stress_text import HAN

TITLES = [
    "某省主要经济与社会发展指标月度数据库（含各设区市分项数据，2024年1月—2026年10月修订版）",
    "长三角生态绿色一体化发展示范区统计监测月报（示意数据，非官方统计，仅供排版测试使用）",
]
FILES = ["provincial-economic-indicators-monthly-revised-2024-2026.csv", "ygdz_demo_zone_monitoring.csv"]
TAILS = ["规模以上工业增加值", "社会消费品零售总额", "固定资产投资（不含农户）", "一般公共预算收入",
         "城镇居民人均可支配收入", "进出口总额（按美元计）", "民营企业注册资本总额", "用电量"]  # fmt: skip
UNITS = ["亿元", "万人", "%", "亿千瓦时", "万美元", "家"]
PERIODS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][8:22]  # 2025-09 … 2026-10


def _han(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(lo, hi)))


def _data_pack(folder: Path, k: int, rng: random.Random, n: int) -> tuple[str, list[str]]:
    """A data pack with ``n`` indicators (long labels) and its CSV; its file name and ids."""
    ids = [f"d{k}_{i}" for i in range(n)]
    rows = ["period,indicator,value,unit"]
    indicators = []
    for i, fid in enumerate(ids):
        unit = rng.choice(UNITS)
        indicators.append({"id": fid, "label": _han(rng, 0, 8) + rng.choice(TAILS), "unit": unit,
                           "kind": "rate" if unit == "%" else "amount",
                           "section": f"sec{k}.part{i % 4}", "tags": ["monthly"]})  # fmt: skip
        base = rng.uniform(5, 3000)
        for p in PERIODS:
            rows.append(f"{p},{fid},{base * rng.uniform(0.9, 1.1):.1f},{unit}")
    (folder / FILES[k]).write_text("\n".join(rows) + "\n", encoding="utf-8")
    pack = {
        "pack": 1,
        "meta": {"id": f"stress-data{k}", "title": TITLES[k], "publisher": "示例统计局",
                 "attribution": "资料来源：测试用随机数据（briefgen typography tests）。"},
        "sections": [{"id": f"sec{k}", "title": _han(rng, 4, 8),
                      "children": [{"id": f"part{j}", "title": _han(rng, 3, 6)} for j in range(4)]}],
        "data": {"files": [FILES[k]], "indicators": indicators},
    }  # fmt: skip
    name = f"appendix-data{k}.yaml"
    (folder / name).write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False, width=1000),
                               encoding="utf-8")  # fmt: skip
    return name, ids


def write_appendix_stress(folder: Path, theme: str, seed: int = 12, per_pack: int = 18) -> Path:
    """``appendix-<theme>.yaml``, its packs and data files in ``folder``; returns the brief path."""
    rng = random.Random(f"appendix-{theme}-{seed}")
    sources: dict[str, str] = {}
    ids: list[str] = []
    for k in range(2):
        name, got = _data_pack(folder, k, rng, per_pack)
        sources[f"d{k}"] = name
        ids += got
    text_pack = {
        "pack": 1,
        "meta": {"id": "stress-text", "title": "关于进一步推动" + _han(rng, 8, 12) + "高质量发展的调研报告（征求意见稿）"},
        "sections": [{"id": "context", "title": "背景", "children": [{"id": "economy", "title": "经济"}]}],
        "figures": [{"id": f"t{i}", "label": _han(rng, 4, 10) + rng.choice(TAILS), "value": rng.randint(10, 9000),
                     "unit": rng.choice(UNITS), "period": rng.choice(["2025年", "2026年上半年", "截至2026年9月"]),
                     "section": "context.economy", "source_line": rng.randint(5, 400)} for i in range(6)],
    }  # fmt: skip
    (folder / "appendix-text.yaml").write_text(
        yaml.safe_dump(text_pack, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    sources["t"] = "appendix-text.yaml"
    para = "，".join(f"{{fig:{i}|label}}{{fig:{i}}}，{{fig:{i}|yoy}}" for i in ids)
    text = "，".join(f"{{fig:t{i}|label}}{{fig:t{i}}}" for i in range(6))
    brief: dict[str, Any] = {
        "title": "关于" + _han(rng, 6, 10) + "运行情况的月度报告",
        "unit": "示例区统计局",
        "period": "2026-10",
        "date": "2026-11-06",
        "theme": theme,
        "output": f"appendix-{theme}.{{ext}}",
        "sources": sources,
        "blocks": [
            {"heading": "总体情况"},
            {"text": para + "。"},
            {"text": text + "。"},
            {"table": "series", "series": ids[:3], "periods": 12, "caption": "近12个月三项指标"},
            {"appendix": "sources"},
        ],
    }
    spec = folder / f"appendix-{theme}.yaml"
    spec.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return spec
