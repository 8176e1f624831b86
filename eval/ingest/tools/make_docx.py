"""Build heldout/h2-danzhai-2015-gongbao.docx from the stored plain text (python-docx).

The public page is HTML; the .docx is made here so the evaluation set has a Word input. Lines of the
form ``一、…`` become Heading 1 paragraphs, everything else a body paragraph; nothing is reworded.
Run: python eval/ingest/tools/make_docx.py
"""

from __future__ import annotations

import re
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parents[1]
SRC = HERE / "tools" / "h2-danzhai-2015-gongbao.txt"
OUT = HERE / "heldout" / "h2-danzhai-2015-gongbao.docx"


def main() -> None:
    d = docx.Document()
    d.core_properties.title = "丹寨县2015年国民经济和社会发展统计公报"
    d.core_properties.author = ""
    for line in SRC.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if re.match(r"^[一二三四五六七八九十]+、", line):
            d.add_heading(line, level=1)
        else:
            d.add_paragraph(line)
    d.save(str(OUT))


if __name__ == "__main__":
    main()
