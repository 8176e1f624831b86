"""Turn the layout evaluation sets (eval/layout/*/) into PDFs and page-checker findings: one line per brief, a total per set.

    python eval/layout/run.py [SET ...] [--keep DIR]

Each set is built with the installed ``briefgen`` into a scratch folder (or ``--keep DIR``) and
checked with ``tests/typography/pagecheck.py`` on the PDF (``--no-docx``: LibreOffice is not needed).
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECK = HERE.parents[1] / "tests" / "typography" / "pagecheck.py"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", help="set folders under eval/layout (default: all)")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep the outputs")
    args = ap.parse_args(argv)
    names = args.sets or sorted(p.name for p in HERE.iterdir() if p.is_dir() and any(p.glob("*.yaml")))
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        totals: dict[str, dict[str, int]] = {}
        for name in names:
            out = root / name
            build = subprocess.run([sys.executable, "-m", "briefgen", "build", str(HERE / name), "-o", str(out), "-q",
                                    "--force"], capture_output=True, text=True)
            if build.returncode not in (0, 1):
                print(f"{name}: build failed ({build.returncode})\n{build.stderr[-2000:]}")
                return build.returncode
            got = subprocess.run([sys.executable, str(CHECK), str(out), "--no-docx"], capture_output=True, text=True,
                                 check=True).stdout
            print(f"== {name}\n{got.rstrip()}")
            total = re.search(r"^TOTAL (\{.*\})$", got, re.M)
            totals[name] = ast.literal_eval(total.group(1)) if total else {}
        print("\nset        findings")
        for name, t in totals.items():
            print(f"{name:<10} {sum(t.values()):>3}  {t or ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
