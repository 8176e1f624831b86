"""Write src/briefgen/typeset/words.txt.gz, the word list the title breaker segments with, from jieba's dict.txt.

Usage (jieba 0.42.1, MIT License, (c) Sun Junyi; only its dictionary is read, nothing is imported):

    pip download jieba==0.42.1 --no-deps -d /tmp/jieba && tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
    python tools/make_wordlist.py /tmp/jieba/jieba-0.42.1/jieba/dict.txt

Kept: Han words of 1 to 4 characters counted at least ``MIN_FREQ`` times, each with its count
rounded to a power of two (one line per power: ``bucket<TAB>word word …``). About 70,000 words,
250 KB compressed; ``briefgen.typeset.phrases`` reads it only when a title has to break.
"""

from __future__ import annotations

import gzip
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

MIN_FREQ = 20
HAN = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
OUT = Path(__file__).resolve().parent.parent / "src/briefgen/typeset/words.txt.gz"
HEADER = (
    "# briefgen title-breaking word list: Han words of 1-4 characters with their frequency as a\n"
    "# power of two, derived by tools/make_wordlist.py from the dictionary of jieba 0.42.1\n"
    "# (https://github.com/fxsjy/jieba, MIT License, Copyright (c) 2013 Sun Junyi).\n"
)


def main(src: str) -> None:
    buckets: dict[int, list[str]] = defaultdict(list)
    for line in Path(src).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2 or not HAN.match(parts[0]) or int(parts[1]) < MIN_FREQ:
            continue
        buckets[int(math.log2(int(parts[1])))].append(parts[0])
    body = "".join(f"{b}\t{' '.join(sorted(ws))}\n" for b, ws in sorted(buckets.items()))
    # mtime=0: the same dictionary gives the same bytes
    OUT.write_bytes(gzip.compress((HEADER + body).encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUT}: {sum(map(len, buckets.values()))} words, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
