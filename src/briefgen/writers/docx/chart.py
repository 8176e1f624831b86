"""Turn a tree ``Chart`` into a native Word chart: a DrawingML chart part with cached values, its embedded workbook, and an inline drawing with alt text.

Word, WPS and LibreOffice draw the chart from the cached values in the chart part, so no
spreadsheet program is needed to open the file; the embedded ``.xlsx`` holds the same numbers,
so "Edit data" works in Word/WPS. The value axis has the chart's fixed ``axis_min/max/step``
(the same ticks the PDF shows), and labels use the theme's East-Asian and Latin font names. The
layout is the chart's (``typeset.chart_layout``), as in the PDF and HTML: columns or horizontal
bars (``barDir``), the category labels' lines and size, every k-th period labelled, the plot area.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.part import Part as DocxPart
from docx.oxml.parser import parse_xml

from briefgen.model.theme import MM
from briefgen.tree import Chart, ChartLayout, ChartSeries
from briefgen.typeset.chart_layout import plan_chart
from briefgen.writers.common import series_color
from briefgen.writers.docx.xml import Element

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EMU_PER_MM = 36000
LABEL_SZ = 1050  # 五号, hundredths of a point
SMALL_SZ = 900


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _col(n: int) -> str:
    """Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _fmt(decimals: int) -> str:
    return "0" if decimals <= 0 else "0." + "0" * decimals


def _places(v: Decimal) -> int:
    exp = v.as_tuple().exponent
    return max(-exp, 0) if isinstance(exp, int) else 0


def _txpr(size: int, ea: str, latin: str, color: str = "000000", body: str = "<a:bodyPr/>") -> str:
    return (f'<c:txPr>{body}<a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="0">'
            f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
            f'<a:latin typeface="{_x(latin)}"/><a:ea typeface="{_x(ea)}"/><a:cs typeface="{_x(latin)}"/>'
            '</a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def _dlbls(chart: Chart, s: ChartSeries, pos: str, txpr: str, hidden: set[int]) -> str:
    """Value labels of one series, each printed as written (``4`` and ``19.0`` side by side):
    the series' format, and a label of its own for each value with other decimal places; none
    for the points in ``hidden`` (a stacked segment too small for its number, as in the PDF)."""
    tail = (f'<c:dLblPos val="{pos}"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>')
    sp = "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    own = "".join(f'<c:dLbl><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>' if i in hidden else
                  f'<c:dLbl><c:idx val="{i}"/><c:numFmt formatCode="{_fmt(_places(v))}" sourceLinked="0"/>'
                  f"{sp}{txpr}{tail}</c:dLbl>"
                  for i, v in enumerate(s.values)
                  if v is not None and (i in hidden or _places(v) != chart.decimals))
    return (f'<c:dLbls>{own}<c:numFmt formatCode="{_fmt(chart.decimals)}" sourceLinked="0"/>{sp}{txpr}'
            f"{tail}</c:dLbls>")


def _plot_layout(lay: ChartLayout) -> str:
    """The plot area (inside the axes) where the PDF draws it, so the labels get the same room."""
    x, y = lay.x0 / lay.width, (lay.height - lay.y1) / lay.height
    w, h = (lay.x1 - lay.x0) / lay.width, (lay.y1 - lay.y0) / lay.height
    return ('<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{x:.4f}"/><c:y val="{y:.4f}"/><c:w val="{w:.4f}"/><c:h val="{h:.4f}"/>'
            "</c:manualLayout></c:layout>")


def chart_xml(chart: Chart, ea_font: str, latin_font: str, lay: ChartLayout | None = None) -> bytes:
    """The ``c:chartSpace`` part: one series per chart series, values cached, fixed axis, laid
    out as ``lay`` (the chart's own layout by default): columns or horizontal bars, the category
    labels' lines and size, the plot area."""
    lay = lay or chart.layout or plan_chart(chart, chart.width_mm * MM, 700.0)
    n = len(chart.categories)
    stacked = chart.kind == "stacked"
    line = chart.kind == "line"
    last = n + 1
    cat_ref = f"Sheet1!$A$2:$A${last}"
    cat_cache = "".join(f'<c:pt idx="{i}"><c:v>{_x(chr(10).join(lines))}</c:v></c:pt>'
                        for i, lines in enumerate(lay.cat_lines))
    value_sz = round(lay.value_size * 100)
    sers = []
    for k, s in enumerate(chart.series):
        col = _col(k + 1)
        name = s.name or chart.caption or "数值"
        pts = "".join(f'<c:pt idx="{i}"><c:v>{v:f}</c:v></c:pt>' for i, v in enumerate(s.values) if v is not None)
        color = series_color(k).lstrip("#")
        fill = (f'<c:spPr><a:ln w="19050" cap="rnd"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
                '<a:round/></a:ln></c:spPr>' if line else
                f'<c:spPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>')
        marker = ""
        if line:
            symbol = ("circle", "square", "triangle", "diamond")[k % 4]
            marker = (f'<c:marker><c:symbol val="{symbol}"/><c:size val="5"/><c:spPr><a:solidFill>'
                      f'<a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:marker>')
        dlbls = ""
        if chart.value_labels:
            pos = "ctr" if stacked else ("t" if line else "outEnd")
            lbl_color = "FFFFFF" if stacked else "000000"
            dlbls = _dlbls(chart, s, pos, _txpr(SMALL_SZ if line else value_sz, ea_font, latin_font, lbl_color),
                           {i for j, i in lay.hidden if j == k})
        invert = "" if line else '<c:invertIfNegative val="0"/>'
        smooth = '<c:smooth val="0"/>' if line else ""
        sers.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
            f'<c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{_x(name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            f'{fill}{invert}{marker}{dlbls}'
            f'<c:cat><c:strRef><c:f>{cat_ref}</c:f><c:strCache><c:ptCount val="{n}"/>{cat_cache}'
            '</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${last}</c:f><c:numCache>'
            f'<c:formatCode>{_fmt(chart.decimals)}</c:formatCode><c:ptCount val="{n}"/>{pts}'
            '</c:numCache></c:numRef></c:val>'
            f'{smooth}</c:ser>'
        )
    if line:
        plot = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{"".join(sers)}'
                '<c:marker val="1"/><c:axId val="1001"/><c:axId val="1002"/></c:lineChart>')
    else:
        grouping = "stacked" if stacked else "clustered"
        overlap = '<c:overlap val="100"/>' if stacked else ('<c:overlap val="0"/>' if len(sers) > 1 else "")
        gap = "100" if stacked or len(sers) == 1 else "60"
        plot = (f'<c:barChart><c:barDir val="{"bar" if lay.horizontal else "col"}"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>'
                f'{"".join(sers)}<c:gapWidth val="{gap}"/>{overlap}'
                '<c:axId val="1001"/><c:axId val="1002"/></c:barChart>')
    axis_txt = _txpr(LABEL_SZ, ea_font, latin_font)
    # category labels never turned (Word would rotate crowded ones): the layout has made them fit
    cat_txt = _txpr(round(lay.cat_size * 100), ea_font, latin_font, body='<a:bodyPr rot="0" vert="horz"/>')
    skip = f'<c:tickLblSkip val="{lay.label_every}"/>' if lay.label_every > 1 else ""
    # horizontal bars: the first category on top, the value axis under the bars
    order, cat_pos, val_pos, val_cross = (("maxMin", "l", "b", "max") if lay.horizontal
                                          else ("minMax", "b", "l", "autoZero"))
    grid_ln = '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="BFBFBF"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>'
    axis_ln = '<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></c:spPr>'
    cat_ax = (f'<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="{order}"/></c:scaling>'
              f'<c:delete val="0"/><c:axPos val="{cat_pos}"/><c:numFmt formatCode="General" sourceLinked="0"/>'
              '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
              f'{axis_ln}{cat_txt}<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
              f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/>{skip}<c:noMultiLvlLbl val="0"/></c:catAx>')
    val_ax = ('<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/>'
              f'<c:max val="{chart.axis_max:f}"/><c:min val="{chart.axis_min:f}"/></c:scaling>'
              f'<c:delete val="0"/><c:axPos val="{val_pos}"/>{grid_ln}'
              f'<c:numFmt formatCode="{_fmt(chart.tick_decimals)}" sourceLinked="0"/>'
              '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
              f'{axis_ln}{axis_txt}<c:crossAx val="1001"/><c:crosses val="{val_cross}"/>'
              f'<c:crossBetween val="between"/><c:majorUnit val="{chart.axis_step:f}"/></c:valAx>')
    title = ""
    if chart.unit_label:
        title = ('<c:title><c:tx><c:rich><a:bodyPr rot="0" vert="horz"/><a:lstStyle/><a:p><a:pPr>'
                 f'<a:defRPr sz="{LABEL_SZ}" b="0"/></a:pPr><a:r><a:rPr lang="zh-CN" sz="{LABEL_SZ}" b="0">'
                 f'<a:latin typeface="{_x(latin_font)}"/><a:ea typeface="{_x(ea_font)}"/></a:rPr>'
                 f'<a:t>{_x(chart.unit_label)}</a:t></a:r></a:p></c:rich></c:tx>'
                 '<c:layout><c:manualLayout><c:xMode val="edge"/><c:yMode val="edge"/>'
                 '<c:x val="0.005"/><c:y val="0.005"/></c:manualLayout></c:layout><c:overlay val="0"/></c:title>')
    legend = ""
    if len(chart.series) > 1:
        legend = (f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{axis_txt}</c:legend>')
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>'
        f'<c:chart>{title}<c:autoTitleDeleted val="{0 if title else 1}"/>'
        f'<c:plotArea>{_plot_layout(lay)}{plot}{cat_ax}{val_ax}'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>'
        f'{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        f'{_txpr(LABEL_SZ, ea_font, latin_font)}'
        '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )
    return xml.encode("utf-8")


def workbook(chart: Chart) -> bytes:
    """A minimal ``.xlsx`` (inline strings, no styles) with the chart's table: A = categories,
    B… = series, row 1 = series names. Fixed ZIP times, so the DOCX stays reproducible."""
    rows = ['<row r="1">' + "".join(
        f'<c r="{_col(k + 1)}1" t="inlineStr"><is><t>{_x(s.name or chart.caption or "数值")}</t></is></c>'
        for k, s in enumerate(chart.series)) + "</row>"]
    for i, cat in enumerate(chart.categories):
        r = i + 2
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>{_x(cat)}</t></is></c>']
        for k, s in enumerate(chart.series):
            v = s.values[i] if i < len(s.values) else None
            if v is not None:
                cells.append(f'<c r="{_col(k + 1)}{r}"><v>{v:f}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    ss = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{ss}" xmlns:r="{R_NS}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{ss}">'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>'),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def add_chart_part(doc_part: DocxPart, chart: Chart, n: int, ea_font: str, latin_font: str,
                   lay: ChartLayout | None = None) -> str:
    """Add ``/word/charts/chart<n>.xml`` (and its workbook) to the package; the relationship id."""
    package = doc_part.package
    part = Part(PackURI(f"/word/charts/chart{n}.xml"), CT.DML_CHART,
                chart_xml(chart, ea_font, latin_font, lay), package)
    book = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"), CT.SML_SHEET,
                workbook(chart), package)
    part.relate_to(book, RT.PACKAGE)  # rId1, as c:externalData says
    return str(doc_part.relate_to(part, RT.CHART))


def inline_chart(rid: str, docpr_id: int, width_emu: int, height_emu: int, name: str, descr: str) -> Element:
    """A ``w:drawing`` run holding the chart inline at its physical size, with alt text."""
    xml = (
        f'<w:r xmlns:w="{W_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
        '<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{docpr_id}" name="{_x(name)}" descr="{_x(descr)}"/>'
        '<wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart r:id="{rid}"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
    return parse_xml(xml.encode("utf-8"))
