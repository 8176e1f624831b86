"""Page furniture of ``briefgen.ingest.chrome``: index-table lines into metadata, furniture, issue
numbers, trailers and bylines recognised, similarity of a restated title (invented texts)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.ingest.chrome import (
    BYLINE,
    ISSUE_LINE,
    TRAILER,
    Harvest,
    is_furniture,
    read_meta_line,
    similar,
)


def test_an_index_table_line_gives_date_publisher_and_fields() -> None:
    h = Harvest()
    assert read_meta_line("索引号：11340000/2024-00012 | 发布机构：示例县农业农村局 | 发布日期：2024-03-15", h)
    assert h.date == dt.date(2024, 3, 15)
    assert h.publisher == "示例县农业农村局"
    assert h.fields["索引号"] == "11340000/2024-00012"


def test_a_bracketed_table_row_gives_the_document_number_and_no_impossible_date() -> None:
    h = Harvest()
    assert read_meta_line("[ 发文字号 ] | 示农发〔2024〕3号 | [ 成文日期 ] | 2024年02月30日", h)
    assert h.number == "示农发〔2024〕3号"
    assert h.fields["成文日期"] == "2024年02月30日"
    assert h.date is None  # 2月30日 is no date


def test_earlier_values_are_kept_when_a_second_table_line_repeats_a_field() -> None:
    h = Harvest()
    read_meta_line("发布机构：示例县农业农村局", h)
    read_meta_line("发布机构：示例县人民政府", h)
    assert h.publisher == "示例县农业农村局"


def test_a_body_sentence_is_no_index_line() -> None:
    h = Harvest()
    assert not read_meta_line("全县粮食播种面积稳定在52万亩。", h)
    assert h == Harvest()


@pytest.mark.parametrize("line", ["您现在的位置：首页 > 政务公开", "无障碍 · 长辈版", "示ICP备12345678号",
                                  "【打印】【关闭】", "上一篇：示例镇开展春耕检查", "打印本页"])
def test_page_furniture_is_recognised(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", ["全县新建高标准农田3.2万亩。", "一、主要做法", "关闭落后产能企业3家。"])
def test_body_lines_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_issue_lines_trailers_and_bylines() -> None:
    assert ISSUE_LINE.match("督察通报第十七期") and ISSUE_LINE.match("20期")
    assert not ISSUE_LINE.match("第一期工作成效显著，全年完成任务。")
    assert TRAILER.match("相关报道") and TRAILER.match("责任编辑：李青")
    assert not TRAILER.match("相关工作稳步推进。")
    m = BYLINE.match("（王晓 李青）")
    assert m and m.group("a") == "王晓 李青"
    m = BYLINE.match("（供稿：赵明）")
    assert m and m.group("a") == "赵明"
    assert not BYLINE.match("（2024年3月）")


def test_similarity_of_a_restated_title() -> None:
    assert similar("1-8月份全区经济运行情况", "1-8月份示例区经济运行情况") > 0.8
    assert similar("全县春耕生产有序推进", "示例区招商引资成果丰硕") < 0.2
    assert similar("标题", "") == 0.0
    assert similar("全县经济，稳中有进", "全县经济稳中有进") == 1.0  # marks and spaces ignored
