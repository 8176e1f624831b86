"""Turn the words around a number into its label: clause bounds, quoted and bracketed text, scope
words, the verbs and nouns a label is cut at, and the tests a label must pass (used by ``figures``)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from briefgen.ingest.when import PERIOD_RE as _PERIOD_RE

SCOPES = ("全国", "全省", "全市", "全区", "全县", "全州", "全盟", "全旗", "全镇", "全乡", "全街道",
          "全村", "全社区", "全行业", "全系统", "全域")
_SCOPE_RE = re.compile("(" + "|".join(SCOPES) + ")")

_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’", '"': '"'}
_CLAUSE_BREAK = "，；：,;:（）()！？!?。"

_LEAD_WORDS = re.compile(
    r"^(?:其中|另外|此外|同时|而且|而|并且|并|且|还|也|共有|现有|拥有|已有|共|全年|年末|年底|年初|"
    r"今年以来|截至目前|目前|当前|累计|合计|共计|总计|总共|先后|陆续|分别|仅|已|均|在此基础上|"
    r"据统计|数据显示|统计显示|力争|争取|确保|预计|计划|目标|将|拟|按[^，,]{1,10}计算)[，,、]?"
)
_TAIL_WORDS = re.compile(
    r"(?:达到了|达到|达|为|是|有|约为|约|近|超过|超|逾|突破|共计|合计|总计|累计|共|计|仅|只有|"
    r"已|了|共有|将近|接近|不足|不到|增至|降至|提高到|提高至|增加到|增加至|下降到|下降至|控制在|保持在|"
    r"稳定在|分别为|分别达|分别|累计实现|累计完成|实现|完成|拟安排|安排|拟按|约合|合计实现)$"
)
# Measures that name no subject of their own: 第一产业实现增加值 → 第一产业增加值.
BARE_MEASURES = ("增加值", "总产值", "产值", "产量", "利润", "利润总额", "营业收入", "销售额", "零售额",
                 "营业额", "总额", "总量", "收入")
_QUAL_BEFORE = re.compile(r"(超过|超|逾|近|约|将近|接近|不足|不到)$")
_QUAL_NOTE = {"超过": "超过", "超": "超", "逾": "逾", "近": "近", "约": "约", "将近": "近",
              "接近": "近", "不足": "不足", "不到": "不足"}
_AFTER_QUAL = re.compile(r"^(以上|以下|左右|以内)")
_BOUND = ("不足", "不到", "以下")

VERBS = (
    # verbs that make or hold the thing counted: the indicator is the noun after them
    # (activity verbs such as 走访, 化解, 接待, 覆盖, 惠及 stay in the label: 走访群众4.6万人次)
    "实现", "完成", "达到", "拥有", "现有", "共有", "已有", "还有", "建成", "新建", "改建", "扩建",
    "建立", "成立", "组建", "培育出", "培育", "培养", "引进", "招引", "引回", "签约", "下派", "选派",
    "派出", "选调", "选聘", "聘请", "出台", "制定", "发布", "推出", "实施", "启动", "获得", "获评",
    "入选", "认定", "评为", "荣获", "遴选", "确定", "确立", "排定", "打造", "创建", "开通", "投入",
    "设立", "安排", "划分", "配备", "配强", "下辖", "辖", "列入", "纳入", "提升", "开展", "举办",
    "召开", "筹集", "募集", "拨付", "兑现", "形成", "吸引", "引育", "储备", "集聚", "汇聚", "认领",
    "组织", "累计", "下设", "发放", "兑付", "核发",
)
_VERB_RE = re.compile("|".join(sorted(VERBS, key=len, reverse=True)))

# Nouns a counted phrase ends with (the classifier counts these): 干部, 项目, 工作站 …
HEADS = (
    "党组织", "党支部", "支部", "党委", "党员", "干部", "人才", "专家", "院士", "博士", "科长", "书记",
    "代表", "委员", "志愿者", "职工", "员工", "工人", "农民", "居民", "群众", "村民", "家庭", "人员",
    "学生", "教师", "医生", "队员", "会员", "成员", "网格员", "工作者", "企业", "公司", "集团", "单位",
    "机构", "组织", "社团", "协会", "商会", "联盟", "合作社", "农场", "基地", "园区", "平台", "中心",
    "工作站", "服务站", "驿站", "站点", "站", "室", "馆", "所", "院", "校", "学校", "医院", "诊所",
    "村", "社区", "镇", "街道", "片区", "网格", "小区", "项目", "工程", "举措", "措施", "政策",
    "机制", "模式", "制度", "文件", "标准", "清单", "案例", "品牌", "产品", "成果", "专利", "课题",
    "问题", "事项", "实事", "任务", "活动", "场次", "课程", "岗位", "线索", "案件", "设施", "道路",
    "桥梁", "公园", "车位", "床位", "房屋", "住房", "楼宇", "厂房", "车辆", "设备", "基站", "网点",
    "窗口", "事业编", "强", "示范点", "试点", "景区", "乡村", "村庄", "载体", "阵地", "队伍", "团队",
    "小组", "班子", "书院", "讲堂", "课堂", "论坛", "会议", "规划", "方案", "意见", "办法", "条例",
    "资金", "基金", "经费", "补贴", "奖金", "贷款", "农户", "菜市场", "食堂", "幼儿园", "便利店", "小店",
)
_HEAD_RE = re.compile("|".join(sorted(HEADS, key=len, reverse=True)))
_POST_STOP = re.compile(
    r"(先后|分别|共同|首次|全部|均|都|已经|已|正在|将|陆续|累计|参与|参加|结对|实现|完成|挂任|挂职|"
    r"组成|入选|入围|获得|获评|荣获|达到|开展|进行|提供|覆盖|带动|惠及|受益|落户|签约|开工|投产|建成|"
    r"成立|加入|通过|获批|列入|纳入|认定|接受|享受|位列|排名|异地|包括|其中|入驻|开业|挂牌|运营|"
    r"共建|联建|帮扶|参保|就业|上榜|投入|用于)"
)
_POST_STOP_1 = "被把由从向对与同在为于和及"
GENERIC = {"项目", "清单", "资金", "举措", "措施", "活动", "问题", "工作", "事项", "投入", "金额",
           "总额", "人数", "数量", "总量", "规模", "其中", "合计", "共计", "总计", "累计", "人", "企业",
           "投资", "农户", "资产", "收入", "产值", "产量"}
_BAD_START = tuple("的了和与及等在对把被将向从以为是并而且也都还就又比较同或其占有")
_GOOD_START = ("在校", "在读", "在岗", "在职", "在建", "在营", "在册", "在园", "在库", "在外", "以上",
               "有效", "有色", "有机", "比重", "同期", "为民")
_BAD_END = tuple("的了和与及等在对把被将向从以为是并而且也都还就又或")


# --------------------------------------------------------------------------------- helpers

def _masked(sentence: str) -> list[bool]:
    """True where a character is inside quotation marks or a book title."""
    mask = [False] * len(sentence)
    stack: list[str] = []
    for i, ch in enumerate(sentence):
        if stack and ch == stack[-1]:
            stack.pop()
            mask[i] = True
            continue
        if ch in _QUOTES and not (ch == '"' and stack):
            stack.append(_QUOTES[ch])
            mask[i] = True
            continue
        mask[i] = bool(stack)
    return mask


def _parens(sentence: str) -> list[bool]:
    inside = [False] * len(sentence)
    depth = 0
    for i, ch in enumerate(sentence):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        inside[i] = depth > 0
    return inside


def _clause_start(sentence: str, pos: int, mask: list[bool]) -> int:
    k = pos - 1
    while k >= 0:
        ch = sentence[k]
        if ch in "）)" and not mask[k]:
            # a short note in brackets inside the clause (细颗粒物（PM2.5）平均浓度) is stepped over
            o = max(sentence.rfind("（", 0, k), sentence.rfind("(", 0, k))
            inner = sentence[o + 1:k] if o >= 0 else ""
            if o > 0 and inner and not re.search(r"[，,；;。：:]", inner) and len(inner) <= 12 \
                    and sentence[o - 1] not in _CLAUSE_BREAK:
                k = o - 1
                continue
        if ch in _CLAUSE_BREAK and not mask[k]:
            return k + 1
        k -= 1
    return 0


def _clause_end(sentence: str, pos: int, mask: list[bool]) -> int:
    k = pos
    while k < len(sentence):
        if sentence[k] in _CLAUSE_BREAK and not mask[k]:
            return k
        k += 1
    return len(sentence)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _label_ok(label: str, allow_digits: bool = False) -> bool:
    if not 2 <= len(label) <= 26 or label in GENERIC:
        return False
    if (label.startswith(_BAD_START) and not label.startswith(_GOOD_START)) or label.endswith(_BAD_END):
        return False
    if not allow_digits and re.search(r"\d(?![A-Za-z])", _unquoted(label)):
        return False
    if re.search(r"[，,；;。！？!?：:]", label):
        return False
    if re.search(r"增长|下降|提高|回落|减少|增加(?!值)|同比|比上年|分别", label):
        return False
    if label.count("“") != label.count("”") or label.count("（") != label.count("）"):
        return False
    return bool(re.search(r"[\u4e00-\u9fffA-Z]", label))


def _blank(text: str, mask: list[bool]) -> str:
    """``text`` with quoted parts blanked out (positions kept)."""
    return "".join(" " if mask[k] else ch for k, ch in enumerate(text))


def _unquoted(text: str) -> str:
    return re.sub(r"“[^”]*”|《[^》]*》", "", text)


def _strip_period(text: str) -> str:
    return re.sub(rf"^(?:在|于)?(?:{_PERIOD_RE.pattern})[，,]?", "", text)


def _pre_label(pre: str) -> tuple[str, str, str]:
    """The text before a number → (label, scope, qualifier note)."""
    note = ""
    scope = ""
    text = pre.strip().lstrip("、，,；;：:")
    m = _QUAL_BEFORE.search(text)
    if m:
        note = _QUAL_NOTE[m.group(1)]
    for _ in range(4):
        before = text
        stripped = _TAIL_WORDS.sub("", text).strip()
        text = stripped if len(_LEAD_WORDS.sub("", stripped)) >= 2 else text
        text = _LEAD_WORDS.sub("", text).strip()
        text = _strip_period(text).strip()
        sm = re.match("^(" + "|".join(SCOPES) + ")", text)
        if sm:
            scope = scope or sm.group(1)
            text = text[sm.end():]
        if text == before:
            break
    # the indicator follows the last verb that leaves a usable label
    best = text
    for vm in reversed(list(_VERB_RE.finditer(text))):
        rest = text[vm.end():]
        subject = _LEAD_WORDS.sub("", text[: vm.start()]).strip()
        if rest in BARE_MEASURES and _label_ok(subject + rest) and not _VERB_RE.search(subject):
            best = subject + rest  # 第一产业实现增加值 → 第一产业增加值
            break
        if _label_ok(rest):
            best = rest
            break
    text = best
    if re.search(r"(?:主席|书记|部长|主任|局长|处长|科长|同志|代表)[\u4e00-\u9fff]{2,3}、", _unquoted(text)):
        text = text[text.rindex("、") + 1:]  # 主席某某、各单位信息员共70人: the last of the list
    sm = re.match("^(" + "|".join(SCOPES) + ")", text)
    if sm and len(text) > sm.end() + 1:
        scope = scope or sm.group(1)
        text = text[sm.end():]
    text = _LEAD_WORDS.sub("", text).strip()
    return text, scope, note


def _post_label(post: str) -> str:
    """The noun a classifier counts: ``区级机关科长挂任…`` → 区级机关科长."""
    stop = len(post)
    m = _POST_STOP.search(post)
    if m:
        stop = m.start()
    for k, ch in enumerate(post[:stop]):
        if k > 0 and ch in _POST_STOP_1:
            stop = k
            break
    region = post[:stop]
    mask = _masked(region)
    inparen = _parens(region)
    end = 0
    for hm in _HEAD_RE.finditer(region):
        e = hm.end()
        if inparen[hm.start()]:
            continue
        if mask[hm.start()]:
            # a head inside quotes counts when the quote closes right after it
            if e < len(region) and region[e] == "”":
                end = e + 1
            continue
        end = e
    if not end:
        return ""
    label = region[:end]
    rest = region[end:]
    pm = re.match(r"^[（(]([^）)]{1,4})[）)]", rest)
    if pm:
        label += rest[: pm.end()]
        rest = rest[pm.end():]
    if rest.strip():
        return ""  # more words after the noun (社区办公服务用房不足…): the counted thing is unclear
    if "的" in _unquoted(label):
        tail = label[label.rindex("的") + 1:]
        if len(tail) >= 2:
            label = tail
    return label


def _base_unit(unit: str) -> str:
    """亿元 → 元: a change may be stated in another magnitude (1.3万亿元、比上年增加3000亿元)."""
    return re.sub(r"^(?:万亿|亿|万|千)", "", unit)


def _before_digit(text: str) -> str:
    """Text up to the first digit outside quotation marks."""
    mask = _masked(text)
    for k, ch in enumerate(text):
        if ch.isdigit() and not mask[k]:
            return text[:k]
    return text


def _paren_open(s: str, pos: int) -> int:
    k = pos
    while k > 0 and s[k - 1] not in "（(":
        k -= 1
    return max(k - 1, 0)
