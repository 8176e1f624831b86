"""Turn a Theme into the HTML output's style sheet: font stacks by role, sizes, screen and print (@page) rules."""

from __future__ import annotations

import re
import string

from briefgen.model.theme import FONT_ROLES, FontRole, Theme

# Office font names first (what Windows/WPS/macOS/Linux office machines have), then open fonts a
# Linux desktop typically has, then the generic family. The theme's DOCX font name leads each stack.
FONT_STACKS: dict[FontRole, tuple[str, ...]] = {
    "fangsong": ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "STFangsong", "华文仿宋",
                 "FZFangSong-Z02", "AR PL UKai CN", "Noto Serif CJK SC", "Source Han Serif SC", "serif"),
    "heiti": ("黑体", "SimHei", "STHeiti", "Heiti SC", "Microsoft YaHei", "微软雅黑", "PingFang SC",
              "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "sans-serif"),
    "kaiti": ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "STKaiti", "华文楷体", "Kaiti SC",
              "AR PL UKai CN", "Noto Serif CJK SC", "serif"),
    "songti": ("宋体", "SimSun", "NSimSun", "STSong", "华文宋体", "Songti SC", "Noto Serif CJK SC",
               "Source Han Serif SC", "AR PL UMing CN", "serif"),
    "xiaobiaosong": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
                     "华文中宋", "STZhongsong", "宋体", "SimSun", "Songti SC", "Noto Serif CJK SC",
                     "Source Han Serif SC", "AR PL UMing CN", "serif"),
    "latin": ("Times New Roman", "Times", "Liberation Serif", "serif"),
}
GENERIC = {"serif", "sans-serif", "monospace"}
_PLAIN = re.compile(r"[0-9A-Za-z_ \u2010-\u2027\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef-]")


def css_string(s: str) -> str:
    """``s`` as a double-quoted CSS string: anything but letters, digits, CJK and spaces as a hex escape
    (so a theme value can never close the string, the rule or the ``<style>`` element)."""
    out = []
    for ch in s:
        out.append(ch if _PLAIN.fullmatch(ch) else f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def font_stack(theme: Theme, role: FontRole) -> str:
    """The CSS ``font-family`` list for ``role``: the theme's DOCX font name, the office names, fallbacks."""
    names: list[str] = []
    for name in (getattr(theme.docx_fonts, role), *FONT_STACKS[role]):
        if name and name not in names:
            names.append(name)
    latin = [] if role == "latin" else [theme.docx_fonts.latin]  # Word sets ASCII in the latin font
    return ", ".join(n if n in GENERIC else css_string(n) for n in [*latin, *names])


def _pt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") + "pt"


def _mm(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") + "mm"


def page_number_content(fmt: str) -> str:
    """``— {n} —`` → ``"— " counter(page) " —"`` (the format holds only ``{n}``; braces doubled)."""
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(fmt):
        if literal:
            parts.append(css_string(literal))
        if name is not None:
            parts.append("counter(page)")
    return " ".join(parts) or "counter(page)"


def _page_rules(theme: Theme) -> str:
    m = theme.page.margins_mm
    pn = theme.page_numbers
    margins = f"{_mm(m.top)} {_mm(m.right)} {_mm(m.bottom)} {_mm(m.left)}"
    out = [f"@page {{ size: {theme.page.size}; margin: {margins}; }}",
           f"@page landscape {{ size: {theme.page.size} landscape; }}",
           # the cover has no number and is not counted (as in the PDF)
           "@page cover { counter-increment: page 0; @bottom-left { content: none; }"
           " @bottom-center { content: none; } @bottom-right { content: none; } }"]
    if pn.position != "none":
        box = (f"content: {page_number_content(pn.format)}; font-family: var(--font-{theme.fonts.page_number}); "
               f"font-size: {_pt(theme.sizes.page_number)}; vertical-align: top; "
               f"padding-top: {_mm(pn.below_type_area_mm)};")
        inset = f"{pn.inset_chars:g}em"
        if pn.position == "outside":
            out.append(f"@page :right {{ @bottom-right {{ {box} text-align: right; padding-right: {inset}; }} }}")
            out.append(f"@page :left {{ @bottom-left {{ {box} text-align: left; padding-left: {inset}; }} }}")
        elif pn.position == "center":
            out.append(f"@page {{ @bottom-center {{ {box} }} }}")
        else:
            out.append(f"@page {{ @bottom-right {{ {box} text-align: right; padding-right: {inset}; }} }}")
    return "\n".join(out)


def _print_rules(theme: Theme) -> str:
    """Printing from the browser: no screen chrome, page breaks, named pages for the cover and landscape tables."""
    s = theme.sizes
    return f"""@media print {{
  html, body {{ background: none; }}
  body {{ padding: 0; }}
  main {{ max-width: none; padding: 0; box-shadow: none; }}
  .page-break {{ border: 0; margin: 0; break-after: page; }}
  .cover {{ page: cover; min-height: {_pt(theme.type_area_height - 2)}; break-after: page; }}
  .landscape {{ page: landscape; break-before: page; break-after: page; }}
  .landscape table {{ font-size: {_pt(s.table)}; line-height: {_pt(theme.table_line_pitch_pt)}; }}
  nav.toc, .cover {{ border: 0; margin: 0; padding: 0; }}
  h2, h3, h4, h5, h6, caption, .box-title {{ break-after: avoid; }}
  figure, tr, .closing, .masthead {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  details.data {{ display: none; }}
  nav.toc {{ break-after: page; }}
}}"""


def stylesheet(theme: Theme) -> str:
    """The whole style sheet for one theme (deterministic; no url(), no @import, no external fonts)."""
    f, s, c = theme.fonts, theme.sizes, theme.colors
    pitch = _pt(theme.grid.line_pitch_pt)
    width = _pt(theme.type_area_width)
    roots = "\n".join(f"  --font-{r}: {font_stack(theme, r)};" for r in FONT_ROLES)
    circled = " ".join(css_string(ch) for ch in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
    heading_rules = "\n".join(
        f".h{n} {{ font-family: var(--font-{f.heading(n)}); font-size: {_pt(s.heading)}; }}" for n in range(1, 5))
    css = f"""
:root {{
{roots}
  --text: {c.text};
  --red: {c.red};
  --pitch: {pitch};
}}
@counter-style circled {{ system: fixed; symbols: {circled}; suffix: ""; fallback: decimal; }}
html {{ background: #e8e8e8; color: var(--text); }}
body {{ margin: 0; padding: 2rem 1rem; font-family: var(--font-{f.body}); font-size: {_pt(s.body)};
  line-height: var(--pitch); }}
main {{ box-sizing: content-box; max-width: {width}; margin: 0 auto; padding: 3rem 2.5rem; background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .25); }}
p {{ margin: 0; text-align: justify; }}
h1, h2, h3, h4, h5, h6 {{ margin: 0; font-weight: normal; }}
strong {{ font-family: var(--font-{f.strong}); font-weight: normal; }}
em {{ font-family: var(--font-{f.emphasis}); font-style: normal; }}
.title {{ font-family: var(--font-{f.title}); font-size: {_pt(s.title)}; line-height: 1.3;
  text-align: center; margin: 0 0 var(--pitch); }}
.title.with-subtitle {{ margin-bottom: 0; }}
.phrased {{ word-break: keep-all; text-wrap: balance; }}
.phrased .fit {{ display: inline-block; }}
.subtitle {{ font-family: var(--font-{f.subtitle}); font-size: {_pt(s.subtitle)}; text-align: center;
  margin-bottom: var(--pitch); }}
{heading_rules}
.h1, .h2, .h3, .h4 {{ text-indent: 2em; }}
.body {{ text-indent: 2em; }}
.lead {{ text-indent: 2em; }}
.note {{ text-indent: 2em; font-family: var(--font-{f.note}); font-size: {_pt(s.note)}; }}
.source {{ font-family: var(--font-{f.source_note}); font-size: {_pt(s.source_note)}; line-height: 1.5;
  margin-top: 3pt; text-align: left; }}
.caption {{ font-family: var(--font-{f.caption}); font-size: {_pt(s.caption)}; text-align: center; }}
.signature {{ text-align: right; padding-right: 2em; }}
.date {{ text-align: right; padding-right: 4em; }}
.align-left {{ text-align: left; }} .align-center {{ text-align: center; text-indent: 0; }}
.align-right {{ text-align: right; text-indent: 0; }} .align-justify {{ text-align: justify; }}
.blank {{ min-height: var(--pitch); }}
ul, ol {{ margin: 0; padding-left: 2em; }}
ol {{ list-style: circled outside; }}
ul {{ list-style: disc outside; }}
.table-wrap {{ overflow-x: auto; margin: .5em 0; }}
table {{ border-collapse: collapse; margin: 0 auto; font-family: var(--font-{f.table}); font-size: {_pt(s.table)};
  line-height: {_pt(theme.table_line_pitch_pt)}; }}
caption {{ font-family: var(--font-{f.caption}); font-size: {_pt(s.caption)}; line-height: var(--pitch);
  padding-bottom: 2pt; }}
th, td {{ padding: 1pt 5pt; vertical-align: middle; }}
th {{ font-family: var(--font-{f.table_header}); font-weight: normal; }}
tbody th {{ font-family: var(--font-{f.table}); }}
.strong, tbody th.strong {{ font-family: var(--font-{f.strong}); }}
td.l, th.l {{ text-align: left; }} td.c, th.c {{ text-align: center; }} td.r, th.r {{ text-align: right; }}
table.three-line {{ border-top: 1.5pt solid var(--text); border-bottom: 1.5pt solid var(--text); }}
table.three-line thead tr:last-child > * {{ border-bottom: .75pt solid var(--text); }}
table.grid, table.grid th, table.grid td {{ border: .5pt solid var(--text); }}
table.sized {{ width: 100%; table-layout: fixed; }}
table.reference {{ font-size: {_pt(s.reference_table)}; line-height: {_pt(theme.reference_table_line_pitch_pt)}; }}
.landscape table {{ font-size: {_pt(s.source_note)}; line-height: 1.5; }}
nav.toc, .cover {{ border-bottom: 1px dashed #bbb; margin: 0 -2.5rem var(--pitch); padding: 0 2.5rem var(--pitch); }}
figure {{ margin: .5em 0; text-align: center; }}
figure svg {{ max-width: 100%; height: auto; }}
svg text {{ font-family: var(--font-{f.table}); }}
details.data {{ margin: .25em 0; font-size: {_pt(s.source_note)}; }}
details.data > summary {{ cursor: pointer; text-align: left; color: #555; }}
details.data > summary::before {{ content: "数据表"; }}
.box {{ border: .75pt solid var(--text); padding: calc(var(--pitch) / 4) 1em; margin: .5em 0; }}
.box-title {{ font-family: var(--font-{f.heading1}); font-size: {_pt(s.heading)}; text-align: center; }}
.toc-title {{ font-family: var(--font-{f.title}); font-size: {_pt(s.title)}; text-align: center;
  margin-bottom: var(--pitch); }}
nav.toc ol {{ list-style: none; padding: 0; }}
nav.toc ol ol {{ padding-left: 2em; }}
nav.toc a {{ color: inherit; text-decoration: none; }}
.masthead {{ margin-bottom: var(--pitch); }}
.masthead .row {{ display: flex; justify-content: space-between; gap: 1em; min-height: var(--pitch); }}
.masthead .mark {{ font-family: var(--font-{f.heading1}); }}
.masthead-name {{ font-family: var(--font-{f.masthead}); font-size: {_pt(max(s.masthead, 26.0))}; color: var(--red);
  text-align: center; line-height: 1.3; margin: calc(var(--pitch) / 2) 0; }}
.masthead .issue {{ text-align: center; }}
.masthead .unit-date {{ border-bottom: 1.5pt solid var(--red); padding-bottom: 3pt; }}
.cover {{ display: flex; flex-direction: column; min-height: 60vh; text-align: center; }}
.cover .mark {{ text-align: left; font-family: var(--font-{f.heading1}); }}
.cover-title {{ font-family: var(--font-{f.cover_title}); font-size: {_pt(s.cover_title)}; line-height: 1.5;
  text-align: center; margin-top: 20%; }}
.cover .subtitle {{ margin: .5em 0 0; }}
.cover .kind {{ font-family: var(--font-{f.title}); font-size: {_pt(s.title)}; text-align: center; margin-top: 3em; }}
.cover .foot {{ margin-top: auto; padding-top: 3em; }}
.cover .foot p {{ text-align: center; }}
.closing {{ margin-top: calc(var(--pitch) * 2); font-size: {_pt(s.closing)}; line-height: var(--pitch);
  border-top: 1pt solid var(--text); border-bottom: 1pt solid var(--text); }}
.closing p {{ padding: 0 1em; text-align: left; }}
.closing .copies {{ text-align: right; border-top: .7pt solid var(--text); }}
.page-break {{ border: 0; border-top: 1px dashed #bbb; margin: var(--pitch) -2.5rem; }}
{_print_rules(theme)}
{_page_rules(theme)}
"""
    assert "</" not in css and "<!--" not in css  # the sheet is raw text inside <style>
    return css.strip() + "\n"
