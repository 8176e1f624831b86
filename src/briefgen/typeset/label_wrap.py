"""Wrap a short label (a chart's category) onto a few centred lines: at the phrase boundaries of Chinese indicator names, balanced, never one character alone, numbers and dates whole.

Widths are estimated, not measured (full-width characters 1 em, digits half an em, others
``NARROW_EM``), so every writer — PDF, DOCX, HTML — gets the same lines from the same label. Where a line may break comes
from ``breakrules`` (numbers, units and dates stay whole; a date may break after its 年:
``2025年|11月``); where it should break from a small lexicon of the words indicator names are
made of (``限额以上|单位|通讯器材类|商品|零售额|增速``): a break between two words or after a
mark is cheap, inside a word or before a suffix (类, 率 …) dear.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import combinations

from briefgen.typeset.breakrules import ALLOW, F_NUMBER, boundary_classes

#: Estimated advance of a character that is not full-width, in ems (readers' fonts vary).
NARROW_EM = 0.55
DIGIT_EM = 0.5
_FUZZ = 1e-6
_WORDS = """
全国 城镇 乡村 农村 城乡 城市 县域 居民 人均 可支配收入 可支配 收入 支出 消费 消费品 消费支出 零售 零售额
零售总额 社会 限额以上 规模以上 规模 以上 以下 单位 企业 工业 增加值 增速 增长 增幅 同比 环比 累计 比重 占比
中位数 平均数 平均 商品 金银珠宝 化妆品 通讯器材 高技术 制造业 装备 服务业 生产 指数 生产指数 固定资产 投资
不含农户 房地产 开发 新增 就业 失业率 调查 价格 消费价格 出厂价格 生产者 进出口 出口 进口 总额 总值
实物商品 网上 餐饮 经营 财产 转移 净收入 工资性 快递 业务量 旅客 发送 铁路 公路 水路 民航 货运 客运 货运量
客运量 用电量 发电量 产量 产值 利润 利润总额 营业收入 税收 财政 预算 一般 公共预算 存款 贷款 余额 人口 生产总值
地区 地区生产总值 国内 第一产业 第二产业 第三产业 外商 直接投资 实际使用 外资 货物 贸易 旅游 接待 游客 人数 人次
面积 销售 销售额 销售面积 新开工 施工 住宅 商品房 能源 粮食 蔬菜 猪肉 服务 业务 建筑业 交通运输 批发 零售业
住宿 信息 软件 技术 金融 教育 卫生 文化 体育 娱乐 公共 管理 民生 研发 经费 专利 授权 年度 月度 季度 上半年
下半年 全年 当月 本月 上月 同期 大类 行业 产品 主营业务 营业 成本 费用 资产 负债 工业品 原材料 燃料 动力
购进 机器人 集成电路 新能源 汽车 手机 计算机 电子 设备 医药 通用 专用 电气 机械 器材 家电 家用电器 音像
石油 制品 建筑 装潢 材料 文化办公用品 办公用品 日用品 粮油 食品 饮料 烟酒 服装 鞋帽 针纺织品 中西药品
体育娱乐用品 网络 进度 完成 目标 任务 调查失业率 登记失业率 规上 限上 民间投资 基础设施 技改 高新技术
食品烟酒 衣着 居住 生活用品 交通通信 交通 通信 教育文化娱乐 教育文化 医疗保健 医疗 保健 其他用品 用品 及服务
畜肉 禽肉 水产品 鲜菜 鲜果 蛋类 贡献率 拉动 经济增长 经济 对经济 常住 户籍 城镇化率 出生率 死亡率 自然增长率
"""
#: Words of statistical indicator names, matched longest first; a break should fall between them.
LEXICON = frozenset(_WORDS.split())
_LONGEST = max(len(w) for w in LEXICON)
#: Characters that end a word (化妆品类, 失业率): a line should not start with one.
SUFFIXES = frozenset("类率性型式业额量数值费")
_AFTER_OK = frozenset("、，。；：！？）》」』”’")
_BEFORE_OK = frozenset("（《「『“‘")
_JOINERS = frozenset("的和与及或之")
#: A bracketed unit or short aside kept on one line: （亿元）, （%）.
_KEEP = re.compile(r"[（(][^（）()]{1,6}[）)]|《[^《》]{1,6}》|“[^“”]{1,6}”")
KEEP_COST = 20.0
#: Cost of a break inside a lexicon word, before a suffix, between two words, elsewhere.
IN_WORD, BEFORE_SUFFIX, BETWEEN_WORDS, RUNNING = 6.0, 3.0, 0.5, 1.5
#: Cost of a line holding only two characters, and of the lines' unevenness per em.
TWO_CHARS, UNEVEN_PER_EM = 1.5, 0.3


def est_width(text: str, size: float) -> float:
    """Estimated advance of ``text`` at ``size`` points: full-width 1 em, digits ``DIGIT_EM``
    (half an em in the Chinese fonts and in Times), others ``NARROW_EM``."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else
               size * (DIGIT_EM if ch in "0123456789" else NARROW_EM) for ch in text)


def _words(text: str) -> list[tuple[int, int]]:
    """Spans of lexicon words found by forward maximum matching (other characters are left out)."""
    out, i = [], 0
    while i < len(text):
        for n in range(min(_LONGEST, len(text) - i), 1, -1):
            if text[i : i + n] in LEXICON:
                out.append((i, i + n))
                i += n
                break
        else:
            i += 1
    return out


@lru_cache(maxsize=4096)
def break_costs(text: str) -> dict[int, float]:
    """Where ``text`` may break (offset of the first character of the next line) and what
    each break costs: 0 after a mark or a date's 年, little between two words, much inside one."""
    klass = boundary_classes(text)
    words = _words(text)
    inside = {k for a, b in words for k in range(a + 1, b)}
    # a compound of two words (居民消费|价格, 调查|失业率) may part between them, at a price
    joints = {k for a, b in words for k in range(a + 2, b - 1) if text[a:k] in LEXICON and text[k:b] in LEXICON}
    edges = {a for a, _ in words} | {b for _, b in words}
    keep = {k for m in _KEEP.finditer(text) for k in range(m.start() + 1, m.end())}
    out: dict[int, float] = {}
    for k in range(1, len(text)):
        a, b = text[k - 1], text[k]
        date = a == "年" and k >= 2 and text[k - 2].isdigit() and klass[k] == F_NUMBER
        if klass[k] != ALLOW and not date:
            continue
        if date or a in _AFTER_OK or b in _BEFORE_OK or a.isspace():
            cost = 0.0
        elif k in keep:
            cost = KEEP_COST
        elif a in _JOINERS:
            cost = 0.2
        elif k in joints:
            cost = RUNNING
        elif k in inside:
            cost = IN_WORD
        elif b in SUFFIXES:
            cost = BEFORE_SUFFIX
        elif k in edges or a in SUFFIXES:
            cost = BETWEEN_WORDS
        else:
            cost = RUNNING
        out[k] = cost
    return out


def _chars(line: str) -> int:
    return sum(1 for ch in line if not ch.isspace())


def wrap_label(text: str, avail: float, size: float, max_lines: int = 3) -> list[str] | None:
    """``text`` as the fewest lines (up to ``max_lines``) no wider than ``avail`` at ``size``
    points — one more if that keeps a word whole — broken where it costs least and evenly; no
    line of one character (of two only when nothing else fits). ``None`` when it cannot be done."""
    got = wrap_cost(text, avail, size, max_lines)
    return None if got is None else got[1]


def wrap_cost(text: str, avail: float, size: float, max_lines: int = 3) -> tuple[float, list[str]] | None:
    """``wrap_label`` with the cost of its breaks (0 for one line; ``IN_WORD`` or more: a word split)."""
    text = text.strip()
    if est_width(text, size) <= avail + _FUZZ or not text:
        return 0.0, [text]
    costs = break_costs(text)
    cuts = sorted(costs)
    found: tuple[float, list[str]] | None = None
    for n in range(2, max_lines + 1):
        best: tuple[float, list[str]] | None = None
        for chosen in combinations(cuts, n - 1):
            bounds = [0, *chosen, len(text)]
            lines = [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
            counts = [_chars(ln) for ln in lines]
            if min(counts) < 2:
                continue
            widths = [est_width(ln, size) for ln in lines]
            if max(widths) > avail + _FUZZ:
                continue
            cost = sum(costs[k] for k in chosen) + UNEVEN_PER_EM * (max(widths) - min(widths)) / size
            cost += TWO_CHARS * sum(1 for c in counts if c == 2)
            if best is None or cost < best[0] - _FUZZ:
                best = (cost, lines)
        if found is not None:  # one more line only to keep every word whole
            return best if best is not None and best[0] < IN_WORD <= found[0] else found
        if best is not None:
            if best[0] < IN_WORD:
                return best
            found = best
    return found
