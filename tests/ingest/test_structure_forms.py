"""Structure forms of issue 14: page chrome into metadata, 相关报道 ends the article, dash-led points,
closing paragraphs, a subtitle restating the title, index tables, and headings' periods and kinds.
The texts are written for these tests (invented place and numbers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.ingest import ingest_files

CHROME = """示例县2023年一季度经济运行情况
下载
来源：示例县统计局
时间：2023-04-20
作者：王晓
打印
一季度，全县实现地区生产总值56.8亿元，同比增长4.6%。
一、工业
全县规模以上工业增加值同比增长7.2%，居全市第3位。
相关报道
示例县召开经济运行分析会
"""

REPORT = """示例区2024年政府工作报告
各位代表：
一、过去五年工作回顾
——过去五年，是经济总量不断扩大的五年。全区生产总值达到320亿元，年均增长6.5%。
——过去五年，是城乡面貌加快改善的五年。新建道路120公里。
二、今后五年目标任务
——“向新”发力。培育高新技术企业200家。
各位代表，新征程上，让我们更加紧密地团结起来，为建设现代化示范区而努力奋斗！
"""

INDEX = """[ 索引号 ] | 0001/2024-00007 | [ 发文字号 ] | 示府发〔2024〕2号 |
[ 发布机构 ] | 示例镇人民政府 | [ 成文日期 ] | 2024-02-22 |
示例镇2023年工作总结
2023年，全镇实现规模以上工业总产值84亿元，同比增长1.2%。
"""


def pack(tmp_path: Path, text: str, name: str = "a.txt") -> dict[str, Any]:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return ingest_files([p]).pack


def test_chrome_goes_to_metadata_and_related_reports_end_the_article(tmp_path: Path) -> None:
    pk = pack(tmp_path, CHROME)
    meta = pk["meta"]
    assert (meta["title"], meta["publisher"], str(meta["date"]), meta["author"]) == (
        "示例县2023年一季度经济运行情况", "示例县统计局", "2023-04-20", "王晓")
    text = str(pk["sections"])
    assert "下载" not in text and "相关报道" not in text and "分析会" not in text
    rank = next(f for f in pk["figures"] if f["kind"] == "ranking")
    assert (rank["label"], rank["value"], rank["scope"], rank["period"]) == (
        "规模以上工业增加值增速排名", 3, "全市", "2023年一季度")


def test_work_report_dashes_closing_and_plans(tmp_path: Path) -> None:
    pk = pack(tmp_path, REPORT)
    ids = [s["id"] for s in pk["sections"]]
    assert ids == ["lead", "review", "targets", "closing"]
    review = pk["sections"][1]["children"]
    assert [c["title"] for c in review] == ["过去五年，是经济总量不断扩大的五年", "过去五年，是城乡面貌加快改善的五年"]
    assert pk["sections"][3]["body"].startswith("各位代表，新征程上")
    figs = {f["label"]: f for f in pk["figures"]}
    gdp = figs["生产总值"]
    assert gdp["kind"] != "target" and gdp["change"] == {"value": 6.5, "unit": "%", "basis": "年均"}
    assert gdp["period"] == "2019-2023年"  # 过去五年 in a 2024 report
    assert figs["高新技术企业"]["kind"] == "target"  # under 今后五年目标任务


def test_index_table_lines_are_metadata(tmp_path: Path) -> None:
    pk = pack(tmp_path, INDEX)
    meta = pk["meta"]
    assert meta["title"] == "示例镇2023年工作总结"
    assert (meta["publisher"], str(meta["date"])) == ("示例镇人民政府", "2024-02-22")
    assert "索引号" not in str(pk["sections"])


THREE_LINE = """示例区党建工作的探索与启示
党建融入发展——
“最大政绩”与“高质量发展”互动并进
以党建促发展，破解“两张皮”难题
党建融入发展，党建才有生命力。全区民营企业超过3万家，建立党组织的企业达到1200家，覆盖率逐年提高。
党建融入民生——
“美好向往”与“肩负使命”同频共振
民生实事项目年年推进，群众满意度不断提升，全区建成党群服务中心86个，服务群众超过20万人次。
"""


def test_three_line_part_header_is_one_header(tmp_path: Path) -> None:
    pk = pack(tmp_path, THREE_LINE)
    parts = [s for s in pk["sections"] if s["id"] not in ("lead", "editor_note")]
    assert [p["title"] for p in parts] == ["党建融入发展", "党建融入民生"]
    assert parts[0]["subtitle"] == "“最大政绩”与“高质量发展”互动并进"
    assert parts[0]["summary"].startswith("以党建促发展，破解“两张皮”难题")
