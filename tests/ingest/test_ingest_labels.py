"""Labels of ``briefgen.ingest.labels``: status counts, shares, object counts, bare measures and
``其中`` parts named by their neighbours (invented figures)."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.ingest.labels import compose_part, compose_sentence


@dataclass
class Fig:
    label: str
    unit: str
    kind: str = "level"


def labels(figs: list[Fig]) -> list[str]:
    compose_sentence(figs)
    return [f.label for f in figs]


def test_status_count_and_share_take_the_counted_thing() -> None:
    figs = [Fig("县政府常务会议确定事项", "项"), Fig("完成", "项"), Fig("占比", "%")]
    assert labels(figs) == ["县政府常务会议确定事项", "县政府常务会议确定事项完成", "县政府常务会议确定事项完成占比"]


def test_an_object_count_takes_the_body_that_fixed_it() -> None:
    figs = [Fig("召开县政府常务会议", "次"), Fig("确定事项", "项"), Fig("已办结", "项"), Fig("办结率", "%")]
    assert labels(figs)[1:] == ["召开县政府常务会议确定事项", "召开县政府常务会议确定事项办结",
                                "召开县政府常务会议确定事项办结率"]


def test_a_bare_measure_takes_the_subject_of_the_figure_before() -> None:
    assert labels([Fig("农林牧渔业总产值", "亿元"), Fig("增加值", "亿元")])[1] == "农林牧渔业增加值"


def test_rankings_and_unrelated_figures_are_left_alone() -> None:
    assert labels([Fig("排名", "位", "ranking"), Fig("完成", "项")]) == ["排名", "完成"]
    assert labels([Fig("新建道路", "公里"), Fig("新增停车位", "个")]) == ["新建道路", "新增停车位"]


def test_a_part_named_by_its_subject_takes_the_measure_of_its_whole() -> None:
    whole = Fig("社会消费品零售总额", "亿元")
    part = Fig("限上企业", "亿元")
    compose_part(part, "其中，限上企业完成19.4亿元", [whole])
    assert part.label == "限上企业社会消费品零售总额"


def test_a_part_without_其中_or_with_another_unit_or_its_own_measure_is_left_alone() -> None:
    whole = Fig("社会消费品零售总额", "亿元")
    for label, unit, clause in [("限上企业", "亿元", "限上企业完成19.4亿元"),
                                ("限上企业", "万人", "其中，限上企业1万人"),
                                ("税收收入", "亿元", "其中税收收入8.2亿元")]:
        part = Fig(label, unit)
        compose_part(part, clause, [whole])
        assert part.label == label
