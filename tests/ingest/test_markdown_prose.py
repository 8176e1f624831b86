"""A Markdown file of plain prose gives the same sections as the same text saved as .txt, whether it
keeps one paragraph per line (no blank lines) or is hard-wrapped with blank lines between paragraphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefgen.ingest import ingest_files
from briefgen.ingest.readers import split_soft_lines, wrap_width

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "wujiang-2022-09-23.txt"
DEV = REPO / "eval" / "ingest" / "dev" / "d1-jiyuan-1-8.txt"


def sections(path: Path) -> tuple[list[tuple[str, str, str]], str]:
    pack = ingest_files([path]).pack
    out: list[tuple[str, str, str]] = []

    def walk(secs: list[dict[str, Any]], prefix: str) -> None:
        for s in secs:
            out.append((prefix + s["id"], s["title"], s.get("body", "")))
            walk(s.get("children", []), prefix + s["id"] + ".")

    walk(pack["sections"], "")
    return out, pack["meta"]["title"]


def wrap(text: str, width: int) -> str:
    out: list[str] = []
    for para in (t.strip() for t in text.splitlines()):
        if para:
            out += [para[i:i + width] for i in range(0, len(para), width)] + [""]
    return "\n".join(out)


@pytest.mark.parametrize("source", [SEED, DEV], ids=["seed", "bulletin"])
@pytest.mark.parametrize("form", ["one-per-line", "hard-wrapped-30", "hard-wrapped-17"])
def test_markdown_prose_gives_the_txt_sections(source: Path, form: str, tmp_path: Path) -> None:
    if not source.is_file():
        pytest.skip(f"{source} not present")
    text = source.read_text(encoding="utf-8")
    md = tmp_path / f"{source.stem}.md"
    md.write_text(text if form == "one-per-line" else wrap(text, int(form.rsplit("-", 1)[1])),
                  encoding="utf-8")
    want, want_title = sections(source)
    got, got_title = sections(md)
    assert got_title == want_title
    assert [s[:2] for s in got] == [s[:2] for s in want]
    assert got == want


def test_lines_are_never_glued_without_a_separator() -> None:
    text = "走出一条新路\n来源：新华日报\n日期：2022-09-23\n正文第一段很长很长。"
    pieces = [t for _, t in split_soft_lines(text, wrap_width(text))]
    assert pieces == ["走出一条新路", "来源：新华日报", "日期：2022-09-23", "正文第一段很长很长。"]
