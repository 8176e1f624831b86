"""Turn .txt, .md, .docx and .html articles into numbered text lines with structure hints.

Line numbers (``Line.no``) are what sections' ``source_lines`` and figures' ``source_line`` record:
the 1-based line of the file for .txt and .md, the 1-based line of the HTML source for .html, and
the 1-based paragraph number of the document body for .docx (Word has no lines).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import BriefError, InputIOError, LimitError
from briefgen.i18n import _

MAX_BYTES = 5 * 1024 * 1024  # the same limit source packs have
# A .docx is a ZIP: refuse archives that would unpack to more than this or hold too many parts.
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_DOCX_ENTRIES = 2000

SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".html", ".htm")


@dataclass
class Line:
    """One paragraph-sized piece of the article as the file holds it (not yet normalised)."""

    no: int
    text: str
    heading: int | None = None  # heading level from markup (1 = largest); None for body text
    list_level: int | None = None  # level of an automatically numbered paragraph (.docx/.md lists)
    bold: bool = False  # the whole paragraph is bold (a heading hint in .docx and .html)
    title: bool = False  # marked as the document title (Word's Title style, HTML <h1>)


@dataclass
class RawArticle:
    """An article read from one file: its lines, encoding and any metadata the format carries."""

    path: Path
    format: str
    encoding: str
    lines: list[Line]
    meta: dict[str, str] = field(default_factory=dict)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    shown = str(path)
    try:
        if not path.exists():
            raise InputIOError.at(_("file not found"), file=shown, code="E-FILE-NOT-FOUND")
        if not path.is_file():
            raise InputIOError.at(_("not a regular file"), file=shown, code="E-IO")
        size = path.stat().st_size
        if size > max_bytes:
            raise LimitError.at(_("file is {size} bytes, over the limit of {limit} bytes").format(size=size, limit=max_bytes),
                                file=shown, code="E-LIMIT")
        return path.read_bytes()
    except OSError as e:
        raise InputIOError.at(_("cannot read: {error}").format(error=e.strerror or e), file=shown, code="E-IO") from e


def decode(raw: bytes, file: str = "", declared: str = "") -> tuple[str, str]:
    """Decode text bytes: a BOM wins, then ``declared`` (HTML), then strict UTF-8, then strict GB18030.

    GB18030 is a superset of GBK and GB2312, so all three decode with it. Returns (text, encoding).
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError:
                break
    tries = ["utf-8", "gb18030"]
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = ""
        if name in ("gbk", "gb2312", "gb18030", "hz"):
            name = "gb18030"
        if name and name not in ("utf-16", "utf-32"):
            tries.insert(0, name)
    for enc in dict.fromkeys(tries):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise BriefError.at(
        _("cannot decode the text as UTF-8 or GB18030/GBK"), file=file,
        hint=_("save the article as UTF-8 text"), code="E-ENCODING",
    )


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_txt(path: Path, max_bytes: int = MAX_BYTES) -> RawArticle:
    """Plain text: one paragraph per line; blank lines are dropped."""
    text, enc = decode(_read_bytes(path, max_bytes), str(path))
    lines = [Line(i, t) for i, t in enumerate(_split_lines(text), start=1) if t.strip()]
    return RawArticle(path, "txt", enc, lines)


def read_md(path: Path, max_bytes: int = MAX_BYTES) -> RawArticle:
    """Markdown: ATX/Setext headings give levels, ordered list items give numbering hints."""
    from markdown_it import MarkdownIt  # markdown_it loads only when this runs

    text, enc = decode(_read_bytes(path, max_bytes), str(path))
    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    width = wrap_width(text)
    lines: list[Line] = []
    heading: int | None = None
    list_stack: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            heading = int(tok.tag[1:])
        elif tok.type == "heading_close":
            heading = None
        elif tok.type in ("ordered_list_open", "bullet_list_open"):
            list_stack.append(tok.type)
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            list_stack.pop()
        elif tok.type == "inline":
            start = (tok.map[0] + 1) if tok.map else (lines[-1].no if lines else 1)
            parts: list[str] = []
            bold_only = True
            depth = 0
            for child in tok.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
                elif child.type == "strong_open":
                    depth += 1
                elif child.type == "strong_close":
                    depth -= 1
                elif child.type in ("text", "code_inline"):
                    if child.content.strip() and depth == 0:
                        bold_only = False
                    parts.append(child.content)
            numbered = bool(list_stack) and list_stack[-1] == "ordered_list_open"
            for k, (offset, content) in enumerate(split_soft_lines("".join(parts), width)):
                if not content.strip():
                    continue
                # an item of an ordered list: keep its number as the text shows it
                if k == 0 and numbered and i >= 2 and tokens[i - 2].type == "list_item_open":
                    info = tokens[i - 2].info or ""
                    content = f"{info}{tokens[i - 2].markup or '.'}{content}" if info else content
                lines.append(Line(start + offset, content, heading=heading,
                                  bold=bold_only and heading is None))
        elif tok.type in ("code_block", "fence", "html_block") and tok.content.strip():
            start = (tok.map[0] + 1) if tok.map else 1
            if tok.type == "html_block":
                continue
            for k, t in enumerate(_split_lines(tok.content)):
                if t.strip():
                    lines.append(Line(start + k, t))
    return RawArticle(path, "md", enc, lines)


_SENTENCE_END = tuple("。！？!?；;：:”’）)…")


def wrap_width(text: str) -> int:
    """The width a hard-wrapped file was wrapped at: the length most long lines share (0 if none);
    -1 when blank lines separate paragraphs of several lines each (join every line of a block)."""
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    if len(blocks) >= 2 and sum(len([x for x in b.split("\n") if x.strip()]) for b in blocks) >= 1.5 * len(blocks):
        return -1
    lengths = sorted(len(t.strip()) for t in _split_lines(text) if t.strip())
    if len(lengths) < 4:
        return 0
    top = lengths[int(len(lengths) * 0.9)]
    near = [n for n in lengths if n >= top * 0.9]
    return top if len(near) >= max(3, len(lengths) // 4) and top <= 120 else 0


def split_soft_lines(text: str, width: int) -> list[tuple[int, str]]:
    """A Markdown paragraph's lines → (line offset, paragraph text) pieces.

    A line is joined to the next only when it was wrapped in mid-sentence: it fills the file's wrap
    width and does not end a sentence. Otherwise (one paragraph per line, as articles copied from a
    web page are saved) each line stays a paragraph of its own, so a heading or a 来源 line is never
    glued to the text next to it. Joined Chinese lines and digits get no space; Latin words get one."""
    out: list[tuple[int, str]] = []
    buf = ""
    first = 0
    for k, raw in enumerate(text.split("\n")):
        piece = raw.strip()
        if not piece:
            continue
        if buf:
            if buf[-1].isascii() and buf[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
                buf += " "  # English words; a number or a Chinese sentence cut by the wrap is rejoined
            buf += piece
        else:
            buf, first = piece, k
        wrapped = width < 0 or (width > 0 and len(piece) >= width * 0.9 and not piece.endswith(_SENTENCE_END))
        if not wrapped:
            out.append((first, buf))
            buf = ""
    if buf:
        out.append((first, buf))
    return out


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise BriefError.at(_("not a valid .docx (ZIP) file: {error}").format(error=e), file=str(path),
                            code="E-DOCX") from None
    if len(infos) > MAX_DOCX_ENTRIES:
        raise LimitError.at(_(".docx holds {n} parts, over the limit of {limit}").format(
                                n=len(infos), limit=MAX_DOCX_ENTRIES), code="E-LIMIT",
                            file=str(path))
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_UNPACKED:
        raise LimitError.at(_(".docx unpacks to {size} bytes, over the limit of {limit}").format(
                                size=total, limit=MAX_DOCX_UNPACKED), code="E-LIMIT",
                            file=str(path))


def read_docx(path: Path, max_bytes: int = MAX_BYTES) -> RawArticle:
    """Word: Title/Heading styles (英文或中文样式名) give levels; numbered paragraphs keep their level."""
    import docx  # docx loads only when this runs
    from docx.oxml.ns import qn  # docx loads only when this runs

    _read_bytes(path, max_bytes)  # existence and size checks
    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as e:  # noqa: BLE001 - python-docx raises many types for broken files
        raise BriefError.at(_("cannot open as .docx: {error}").format(error=f"{type(e).__name__}: {e}"),
                            file=str(path), code="E-DOCX") from None
    lines: list[Line] = []
    meta: dict[str, str] = {}
    core = document.core_properties
    if core.title:
        meta["title"] = core.title
    if core.author:
        meta["author"] = core.author
    for no, para in enumerate(document.paragraphs, start=1):
        text = para.text
        if not text.strip():
            continue
        style = (para.style.name if para.style is not None else "") or ""
        heading: int | None = None
        is_title = style.lower() in ("title", "标题")
        m = _HEADING_STYLE.match(style.strip())
        if m:
            heading = int(m.group(1))
        list_level: int | None = None
        ppr = para._p.pPr
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None and para.style is not None and "bullet" not in style.lower():
            # numbering that comes with the paragraph style (Word's "List Number")
            sppr = para.style.element.pPr
            numpr = sppr.find(qn("w:numPr")) if sppr is not None else None
        if numpr is not None and "bullet" not in style.lower():
            ilvl = numpr.find(qn("w:ilvl"))
            val = ilvl.get(qn("w:val")) if ilvl is not None else "0"
            list_level = int(val) if val and val.isdigit() else 0
        if ppr is not None:
            outline = ppr.find(qn("w:outlineLvl"))
            if heading is None and outline is not None:
                val = outline.get(qn("w:val")) or ""
                if val.isdigit() and int(val) < 9:
                    heading = int(val) + 1
        runs = [r for r in para.runs if r.text.strip()]
        bold = bool(runs) and all(bool(r.bold) or bool(r.style and r.style.font.bold) for r in runs)
        lines.append(Line(no, text, heading=heading, list_level=list_level, bold=bold, title=is_title))
    return RawArticle(path, "docx", "docx", lines, meta)


# ---------------------------------------------------------------------------------------- HTML

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th",
               "div", "section", "article", "dd", "dt", "figcaption")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_WS = re.compile(r"\s+")


def _norm_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def read_html(path: Path, max_bytes: int = MAX_BYTES) -> RawArticle:
    """HTML: the article body is chosen by readability-lxml (Arc90 scoring; nav, footer and side
    bars fall away); headings keep their h1–h6 level and each block keeps its source line."""
    try:
        from readability import Document  # readability loads only when this runs
    except ImportError:
        raise BriefError.at(
            _("reading .html needs the readability-lxml package"), file=str(path),
            hint="pip install readability-lxml", code="E-MISSING-PACKAGE",
        ) from None
    import lxml.html  # lxml loads only when this runs

    raw = _read_bytes(path, max_bytes)
    m = _META_CHARSET.search(raw[:4096])
    text, enc = decode(raw, str(path), m.group(1).decode("ascii") if m else "")
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if not text.strip():
        raise BriefError.at(_("the HTML file is empty"), file=str(path), code="E-HTML")
    try:
        original = lxml.html.document_fromstring(text)
    except Exception as e:  # noqa: BLE001 - lxml parser errors
        raise BriefError.at(_("cannot parse HTML: {error}").format(error=e), file=str(path), code="E-HTML") from None

    # Where each block's text starts in the source: the first element holding exactly that text.
    where: dict[str, int] = {}
    for el in original.iter(*_BLOCK_TAGS):
        t = _norm_ws(el.text_content())
        if t and t not in where and el.sourceline:
            where[t] = el.sourceline
    meta = _html_meta(original)

    try:
        doc = Document(text)
        summary = doc.summary(html_partial=True)
        body = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception as e:  # noqa: BLE001 - readability raises its own Unparseable and lxml errors
        raise BriefError.at(_("cannot find the article body: {error}").format(error=e), file=str(path),
                            code="E-HTML") from None

    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines: list[Line] = []
    title_el = original.find(".//h1")
    title_text = _norm_ws(title_el.text_content()) if title_el is not None else ""
    if title_text:
        lines.append(Line(getattr(title_el, "sourceline", None) or 1, title_text, title=True))
    elif meta.get("title"):
        lines.append(Line(1, meta["title"], title=True))
    # A date/source line usually sits above the body, outside what readability keeps.
    for t, no in where.items():
        if _DATELINE.search(t) and len(t) < 120 and no >= (lines[0].no if lines else 0):
            lines.append(Line(no, t))
            break
    last = lines[-1].no if lines else 1
    for el in body.iter(*_BLOCK_TAGS):
        if el.tag in ("div", "section", "article", "td") and any(
            child.tag in _BLOCK_TAGS for child in el.iterdescendants()
        ):
            continue  # a container: its blocks come one by one
        t = _norm_ws(el.text_content())
        if not t or (lines and t == lines[0].text and lines[0].title):
            continue
        if any(ln.text == t for ln in lines):
            continue
        no = where.get(t, last)
        last = no
        heading = int(el.tag[1]) if el.tag in ("h2", "h3", "h4", "h5", "h6") else None
        if el.tag == "h1":
            heading = 1
        strong = [s for s in el.iter("strong", "b")]
        bold = bool(strong) and _norm_ws("".join(s.text_content() for s in strong)) == t
        pieces = [_norm_ws(x) for x in el.text_content().split("\n")]
        pieces = [x for x in pieces if x]
        if len(pieces) > 1 and heading is None:
            lines.extend(Line(no, x) for x in pieces)  # <br>-separated paragraphs
        else:
            lines.append(Line(no, t, heading=heading, bold=bold))
    return RawArticle(path, "html", enc, lines, meta)


_DATELINE = re.compile(r"(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}.{0,30}来源")


def _html_meta(root: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    t = root.find(".//title")
    if t is not None and t.text:
        meta["title"] = re.split(r"\s[-_|–—]\s", _norm_ws(t.text))[0]
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or "").lower()
        val = _norm_ws(el.get("content") or "")
        if not val:
            continue
        if key in ("og:title",) and "title" not in meta:
            meta["title"] = val
        elif key in ("article:published_time", "publishdate", "pubdate", "publish_date", "date"):
            meta.setdefault("date", val)
        elif key in ("author", "article:author"):
            meta.setdefault("author", val)
        elif key in ("og:site_name", "source", "publisher"):
            meta.setdefault("publisher", val)
        elif key == "og:url":
            meta.setdefault("url", val)
    link = root.find(".//link[@rel='canonical']")
    if link is not None and link.get("href"):
        meta.setdefault("url", link.get("href", ""))
    return meta


READERS = {".txt": read_txt, ".md": read_md, ".markdown": read_md, ".docx": read_docx,
           ".html": read_html, ".htm": read_html}


def read_article(path: Path, max_bytes: int = MAX_BYTES) -> RawArticle:
    """Read one article with the reader its suffix names."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise BriefError.at(
            _("cannot ingest {kind}").format(kind=path.suffix or _("files without a suffix")), file=str(path),
            hint=_("supported: {suffixes}").format(suffixes=", ".join(SUFFIXES)), code="E-UNSUPPORTED-FILE",
        )
    return reader(path, max_bytes)
