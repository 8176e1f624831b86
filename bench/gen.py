"""Generate benchmark inputs: batch copies of the examples, N× long briefs, N-row tables.

Everything is written under one scratch folder, specs beside the packs, templates and data they
name (by relative paths), so path confinement never refuses a generated input.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
BRIEFS = REPO / "briefs"
PACK = REPO / "sources" / "wujiang-2022-09-23.yaml"
TEMPLATES = REPO / "templates"
LONG_BASE = BRIEFS / "wujiang-lessons-handout.yaml"  # the ~7-page 学习材料 is the 1× document


INPUT_DIRS = ("sources", "templates", "data")  # what the example briefs refer to (../sources/…)


def examples() -> list[Path]:
    return sorted(BRIEFS.glob("*.yaml"))


def _copy_inputs(root: Path) -> None:
    """Copy the repository's input folders under ``root``, so specs in ``root/<dir>`` resolve
    ``../sources/…`` there (generated inputs stay inside one folder: no path confinement issues)."""
    for name in INPUT_DIRS:
        src = REPO / name
        if src.is_dir() and not (root / name).exists():
            shutil.copytree(src, root / name)


def _dump(data: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")
    return path


def batch_specs(folder: Path, count: int, srcs: list[Path] | None = None) -> list[Path]:
    """``count`` copies of the example specs, cycling (``<example>-NNN.yaml``: unique outputs),
    in ``folder`` with the input folders copied beside it."""
    srcs = srcs or examples()
    folder.mkdir(parents=True, exist_ok=True)
    _copy_inputs(folder.parent)
    out = []
    for i in range(count):
        path = srcs[i % len(srcs)]
        dest = folder / f"{path.stem}-{i:03d}.yaml"
        shutil.copyfile(path, dest)
        out.append(dest)
    return out


def _prefix_sections(sections: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    out = copy.deepcopy(sections)
    for s in out:
        s["id"] = prefix + s["id"]
    return out


def _ref(ref: str, prefix: str) -> str:
    return prefix + ref


def long_inputs(folder: Path, factor: int) -> Path:
    """The 学习材料 example repeated ``factor`` times over a pack with ``factor`` renamed copies."""
    pack = yaml.safe_load(PACK.read_text(encoding="utf-8"))
    base = yaml.safe_load(LONG_BASE.read_text(encoding="utf-8"))
    new_pack = {k: v for k, v in pack.items() if k not in ("sections", "figures", "review")}
    new_pack["sections"], new_pack["figures"] = [], []
    blocks: list[dict[str, Any]] = []
    for k in range(1, factor + 1):
        pre = f"r{k}_"
        new_pack["sections"] += _prefix_sections(pack["sections"], pre)
        for f in pack.get("figures", []):
            g = copy.deepcopy(f)
            g["id"] = pre + g["id"]
            if g.get("section"):
                g["section"] = pre + g["section"]
            new_pack["figures"].append(g)
        for b in base["blocks"]:
            nb = copy.deepcopy(b)
            if "section" in nb:
                nb["section"] = _ref(nb["section"], pre)
            if isinstance(nb.get("questions"), dict):
                nb["questions"] = {_ref(q, pre): v for q, v in nb["questions"].items()}
            if nb.get("table") and nb.get("ids"):
                nb["ids"] = [pre + i for i in nb["ids"]]
            blocks.append(nb)
    pack_path = _dump(new_pack, folder / f"long-{factor}x-pack.yaml")
    if not (folder / "templates").exists():
        shutil.copytree(TEMPLATES, folder / "templates")
    spec = {k: v for k, v in base.items() if k not in ("blocks", "sources", "templates")}
    spec["title"] = f"{base['title']}（{factor}倍篇幅）"
    spec["sources"] = {"wj": pack_path.name}
    spec["templates"] = ["templates"]
    spec["blocks"] = blocks
    return _dump(spec, folder / f"long-{factor}x.yaml")


def table_inputs(folder: Path, rows: int) -> Path:
    """A 数据报告 whose one table has ``rows`` figure rows (grouped by nothing)."""
    figures = []
    for i in range(1, rows + 1):
        figures.append({
            "id": f"f{i:05d}",
            "label": f"第{i}项指标（示例数据）",
            "value": round(1000 + i * 3.7, 2),
            "unit": ["亿元", "万人", "个", "%"][i % 4],
            "period": f"{2000 + i % 23}年",
            "change": {"value": round((i % 97) / 10 - 4, 1), "unit": "%", "basis": "同比"},
            "scope": "全区",
            "section": "data",
            "category": f"类别{i % 12}",
            "tags": ["bench"],
            "source_line": 1 + i % 100,
        })
    pack = {
        "pack": 1,
        "meta": {"id": f"bench-table-{rows}", "title": "基准测试数据", "publisher": "briefgen bench",
                 "date": "2022-09-23", "attribution": "基准测试用的合成数据。"},
        "sections": [{"id": "data", "title": "数据", "summary": "合成的关键数据，用于测量大表格的排版时间。"}],
        "figures": figures,
    }
    pack_path = _dump(pack, folder / f"table-{rows}-pack.yaml")
    spec = {
        "title": f"大表格基准（{rows}行）",
        "name": "数据报告",
        "unit": "示例单位",
        "date": "2022-10-12",
        "theme": "report",
        "sources": {"d": pack_path.name},
        "blocks": [
            {"heading": "数据总表"},
            {"table": "figures", "tags": ["bench"], "columns": ["label", "value", "unit", "change", "period", "scope"],
             "caption": f"合成数据（{rows}行）"},
        ],
    }
    return _dump(spec, folder / f"table-{rows}.yaml")
