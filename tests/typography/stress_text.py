"""Write deterministic "stress" source packs and briefs: long paragraphs that mix Han text with
every no-start / no-end mark, dashes, ellipses, numbers with units, Latin words, URLs, quotes
and brackets, so that every line-breaking rule is exercised many times per page.

Nothing here is checked in as data: each test run writes the files into a temporary folder.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业"
    "本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利"
    "比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文"
    "总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干"
)
# gongwen-layout.md §3 (GB法 plus strict dashes), without the bare ASCII forms that the
# punctuation normaliser turns full-width next to Han text (those are used in Latin phrases).
NO_START_MARKS = "、，。．：；！？）］｝〕】〗〉》」』”’·・／－–～％‰℃°"
NO_END_MARKS = "（［｛〔【〖〈《「『“‘／"
PAIRS = ["“”", "‘’", "（）", "《》", "〈〉", "「」", "『』", "【】", "〔〕", "〖〗", "［］", "｛｝"]
NUMBERS = [
    "2231亿元", "12.2%", "2022年9月23日", "1,234.5万元", "−3.5℃", "4.1%", "3.5‰", "45°",
    "155.9万人", "65294元", "2224.53亿元", "第241位", "+4.1%", "−0.3个百分点", "¥1,200",
    "$35", "100%", "36.6℃", "0.5‰", "2013年", "89.5万人", "10余万人次", "1—2个", "5300亿元",
    "3万亿元", "12万人", "7×24小时", "1:500",
]  # fmt: skip
LATIN = [
    "GDP", "Party", "building", "Python", "integration", "WPS", "Office", "PDF", "ReportLab",
    "Yangtze River Delta", "green development", "smart city", "e-government", "COVID-19",
    "Hello, world!", "see (note)", "Fig.[1]", "a {b} c", "Q&A", "Ph.D.", "U.S.", "5G",
    "CPU", "open source", "data-driven policy",
]  # fmt: skip
URLS = ["https://www.gov.cn/zhengce", "www.js.gov.cn", "http://example.org/a-b_c?x=1",
        "mailto:office@example.cn"]  # fmt: skip


def _han(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(lo, hi)))


def paragraph(rng: random.Random, length: int) -> str:
    """One paragraph of about ``length`` characters: starts with Han text, ends with 。."""
    out = [_han(rng, 3, 8)]
    while sum(len(s) for s in out) < length:
        k = rng.random()
        if k < 0.22:
            out.append(rng.choice(NO_START_MARKS) + _han(rng, 1, 6))
        elif k < 0.32:
            gap = " " if rng.random() < 0.15 else ""
            out.append(rng.choice(NO_END_MARKS) + gap + _han(rng, 1, 6))
        elif k < 0.44:
            pair = rng.choice(PAIRS)
            out.append(pair[0] + _han(rng, 1, 7) + pair[1])
        elif k < 0.52:
            out.append(rng.choice(["——", "……"]) + _han(rng, 1, 5))
        elif k < 0.68:
            out.append(rng.choice(NUMBERS))
        elif k < 0.78:
            out.append(rng.choice(LATIN) if rng.random() < 0.7 else " " + rng.choice(LATIN) + " ")
        elif k < 0.82:
            out.append(rng.choice(URLS))
        else:
            out.append(_han(rng, 2, 9))
        out.append(_han(rng, 1, 4))
    text = "".join(out).replace("  ", " ")
    return text + "。"


def _figure(i: int, rng: random.Random) -> dict[str, Any]:
    units = ["亿元", "万元", "%", "万人", "个", "℃", "‰", "家", "万人次"]
    fig: dict[str, Any] = {
        "id": f"f{i}",
        "label": _han(rng, 3, 14) + rng.choice(["（全区）", "“两新”组织", "GDP占比", ""]),
        "value": rng.choice(["2231", "1234.5", "-3.5", "65294", "0.5", "12.2", "155.9"]),
        "unit": rng.choice(units),
        "period": rng.choice(["2022年上半年", "2021年", "2019年7月以来", "报道时", ""]),
        "scope": rng.choice(["全区", "全省", "青浦、吴江、嘉善三地五镇", ""]),
        "section": "s1",
        "category": rng.choice(["经济运行", "党建工作"]),
        "tags": ["stress"],
    }
    if rng.random() < 0.6:
        fig["change"] = {"value": rng.choice(["4.1", "-0.3", "12.2"]),
                         "unit": rng.choice(["%", "个百分点"]), "basis": "同比"}  # fmt: skip
    return fig


def write_stress(folder: Path, theme: str, seed: int, sections: int = 3, paras: int = 4,
                 length: int = 170) -> Path:  # fmt: skip
    """Write ``stress-<theme>.yaml`` (brief) and its pack into ``folder``; return the brief path."""
    rng = random.Random(f"{theme}-{seed}")
    secs = []
    for s in range(1, sections + 1):
        secs.append({
            "id": f"s{s}",
            "title": _han(rng, 4, 9) + "——" + _han(rng, 3, 6) + "“" + _han(rng, 2, 4) + "”"
                     + rng.choice(NUMBERS) + _han(rng, 2, 8),
            "summary": paragraph(rng, length // 2),
            "body": [paragraph(rng, length) for _ in range(paras)],
        })  # fmt: skip
    pack = {
        "pack": 1,
        "meta": {"id": f"stress-{theme}", "title": "排版压力测试素材", "publisher": "示例日报",
                 "date": "2022-09-23", "attribution": "测试用随机文字（briefgen typography tests）。"},
        "sections": secs,
        "figures": [_figure(i, rng) for i in range(1, 9)],
    }  # fmt: skip
    blocks: list[dict[str, Any]] = [
        {"section": "s*", "mode": "full", "level": 1,
         "questions": {"s1": paragraph(rng, 60)},
         "keypoints": {"s2": [paragraph(rng, 50), paragraph(rng, 40)]}},
    ]  # fmt: skip
    for level in (2, 3, 4):  # （一） 1. （1） headings, long enough to wrap
        blocks.append({"heading": _han(rng, 8, 14) + "，" + _han(rng, 4, 8) + rng.choice(NUMBERS)
                       + _han(rng, 3, 9), "level": level})  # fmt: skip
        blocks.append({"text": paragraph(rng, length)})
    blocks += [
        {"table": "figures", "tags": ["stress"], "caption": "压力测试数据表（单位见各行）",
         "columns": ["label", "value", "unit", "change", "period", "scope"]},
        {"text": paragraph(rng, length) + "\n\n" + paragraph(rng, length)},
    ]  # fmt: skip
    brief: dict[str, Any] = {
        "title": "关于" + _han(rng, 6, 10) + "“" + _han(rng, 2, 4) + "”工作情况的报告",
        "name": "排版测试简报",
        "unit": "示例区委办公室",
        "date": "2022-09-23",
        "issue": 3,
        "issue_total": 45,
        "mark": "内部资料 注意保存",
        "theme": theme,
        "formats": ["docx", "pdf"],
        "output": f"stress-{theme}.{{ext}}",
        "sources": {"st": f"stress-{theme}-pack.yaml"},
        "blocks": blocks,
    }
    if theme == "jianbao":
        brief["editor_note"] = paragraph(rng, 90)
        brief["closing"] = {
            "bao": "区委常委，区人大常委会、区政府、区政协领导，" + _han(rng, 20, 30),
            "song": "区委各部委办，区级机关各部门（单位）",
            "fa": "各镇党委，各街道党工委",
            "copies": 60,
        }
    (folder / f"stress-{theme}-pack.yaml").write_text(
        yaml.safe_dump(pack, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    spec = folder / f"stress-{theme}.yaml"
    spec.write_text(
        yaml.safe_dump(brief, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    return spec
