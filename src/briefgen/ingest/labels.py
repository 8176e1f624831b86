"""Turn the bare labels of figures that lean on a neighbour (完成385项, 占比27%, 其中限上企业19.4亿元)
into labels that name what they measure (县政府常务会议确定事项完成, …办结占比, 限上企业社会消费品零售总额).

Within a sentence: a status count (完成, 办结, 正在办理, 完成率 …) takes the label of the thing it
counts (the last figure that is not itself a status); a share (占比) takes the label of the figure
right before it; an object count (确定事项, 交办事项) takes the body that fixed it (召开县政府常务会议9次,
确定事项405项). In a paragraph: a ``其中`` part named only by its subject (其中，限上企业完成19.4亿元)
takes the measure of the figure it is part of.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

STATUS = ("已完成", "完成", "已办结", "办结", "正在办理", "在办", "未完成", "未办结", "已整改", "整改",
          "完成率", "办结率", "整改率")
SHARE = ("占比", "比重")
_OBJECT = re.compile(r"^(?:确定|交办|部署|安排|梳理|排定|列出)(?:的)?(?:事项|任务|问题|项目)")
_MEASURE = re.compile(r"收入|支出|投资|产值|增加值|零售额|总额|余额|产量|利润|人口|面积|销售额|营业额|规模|金额|"
                      r"资金|价格|指数|率|比重|数|量|额|值|增速|排名|面积|存栏|出栏")


_BARE = ("增加值", "总产值", "产值", "产量", "利润", "利润总额", "营业收入", "销售额", "零售额", "营业额")
_BARE_TAIL = re.compile("(?:" + "|".join(sorted(_BARE, key=len, reverse=True)) + ")$")


class _Fig(Protocol):
    label: str
    unit: str
    kind: str


def _base(unit: str) -> str:
    return re.sub(r"^(?:万亿|亿|万|千)", "", unit)


def compose_sentence(figs: Sequence[_Fig]) -> None:
    """Name status counts, shares and object counts by their neighbours in the same sentence."""
    host: _Fig | None = None
    prev: _Fig | None = None
    for f in figs:
        if f.kind == "ranking":
            continue
        bare = f.label.removeprefix("已") if f.label.startswith("已") else f.label
        if f.label in _BARE and prev is not None:
            subject = _BARE_TAIL.sub("", prev.label)
            if subject and subject != prev.label:
                f.label = subject + f.label  # 农林牧渔业总产值…，增加值37.90亿元
            host = f
        elif f.label in SHARE and prev is not None:
            f.label = prev.label + "占比"
        elif f.label in STATUS and host is not None:
            f.label = host.label + bare
        elif _OBJECT.match(f.label) and prev is not None and not re.search(r"(?:事项|任务|问题|项目)$", prev.label):
            f.label = prev.label + f.label
            host = f
        else:
            host = f
        prev = f


def compose_part(fig: _Fig, clause: str, earlier: Sequence[_Fig]) -> None:
    """其中，限上企业完成19.4亿元: a part named by its subject only takes its whole's measure."""
    if "其中" not in clause or _MEASURE.search(fig.label):
        return
    whole = next((f for f in reversed(earlier) if f.kind != "ranking" and f is not fig
                  and _base(f.unit) == _base(fig.unit) and _MEASURE.search(f.label)), None)
    if whole is not None:
        m = re.search(r"(?:社会消费品零售总额|[^，,；;、]{0,4}(?:收入|支出|投资|产值|增加值|零售额|总额|余额|产量|利润|销售额|营业额))$",
                      whole.label)
        fig.label = fig.label + (m.group(0) if m else whole.label)
