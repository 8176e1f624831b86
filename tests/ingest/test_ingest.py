"""briefgen ingest: structure, key figures (precision against hand-made answers), determinism, CLI.

The synthetic articles in tests/ingest/fixtures/ were written for these tests (invented places and
numbers). The seed article is read only when the shared folder is present.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.cli import main
from briefgen.errors import BriefError
from briefgen.ingest import Normalise, ingest_files, render
from briefgen.ingest.keyfigs import extract, resolve_period
from briefgen.ingest.normalise import clean
from briefgen.ingest.readers import Line, RawArticle, decode
from briefgen.ingest.structure import build_article, cn_number
from briefgen.model.sourcepack import load_pack

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests" / "ingest" / "fixtures"
SEED = REPO.parent / "shared" / "seed" / "wujiang-2022-09-23.txt"

Answer = tuple[str, str, str]  # (label substring, value, unit)

# ----------------------------------------------------------------------------- answer lists
# Every number a careful human would list as a key figure, with the indicator it measures.
# Recall is measured against all of them; precision counts an emitted figure as correct only when
# its value and unit equal an answer's and the answer's label substring is in its label.

SEED_FIGURES: list[Answer] = [
    ("规上工业总产值", "2231", "亿元"), ("全社会固定资产投资", "357", "亿元"), ("工业投资", "114", "亿元"),
    ("百强区", "1", "位"), ("百强区", "9", "位"), ("常住人口", "155.9", "万人"), ("户籍人口", "89.5", "万人"),
    ("地区生产总值", "2224.53", "亿元"), ("人均可支配收入", "65294", "元"), ("人均可支配收入", "47498", "元"),
    ("民营企业", "9", "万家"), ("注册资本总额", "5300", "亿元"), ("GDP", "60", "%"), ("税收", "70", "%"),
    ("专利授权", "80", "%"), ("就业岗位", "70", "%"), ("中国企业500强", "4", "家"),
    ("中国民企500强", "6", "家"), ("恒力", "5", "年"), ("盛虹", "3", "年"), ("恒力", "75", "位"),
    ("盛虹", "241", "位"), ("员工", "2", "万名"), ("党员", "1100", "名"), ("党支部", "35", "个"),
    ("两代表一委员", "50", "人"), ("党员技术骨干", "70", "%"), ("省级机关党组织", "41", "个"),
    ("重点民营企业党组织", "45", "家"), ("人才科技工作创新进步地区", "1", "名"), ("清单", "3", "份"),
    ("政学银企单位", "22", "家"), ("排定", "63", "个"), ("投入", "2300", "万元"),
    ("长三角一体化发展“书记项目”", "72", "个"), ("融入式党建“书记项目”", "85", "个"),
    ("区级机关科长", "107", "位"), ("海棠新享汇", "364", "个"), ("区域党组织设置模式", "8", "种"),
    ("区域党建工作站", "31", "个"), ("互助协作机制", "5", "项"), ("科级干部", "8", "名"),
    ("年轻干部", "20", "名"), ("组织保障举措", "12", "条"), ("机关党员志愿者", "10", "万人次"),
    ("联合接待", "9", "年"),
]

NEWS_FIGURES: list[Answer] = [
    ("地区生产总值", "86.5", "亿元"), ("一般公共预算收入", "7.3", "亿元"), ("税收收入", "5.6", "亿元"),
    ("总面积", "1245", "平方公里"), ("常住人口", "52.3", "万人"), ("县域经济综合考核", "12", "位"),
    ("农村居民人均可支配收入", "24860", "元"), ("产业链党委", "18", "个"), ("上下游企业", "430", "家"),
    ("农户", "1.2", "万户"), ("集体经营性收入", "68", "万元"), ("农民专业合作社", "612", "家"),
    ("国家级示范社", "9", "家"), ("高标准农田", "3.6", "万亩"), ("冷链仓储设施", "27", "处"),
    ("综合网格", "1860", "个"), ("网格员", "2300", "名"), ("走访群众", "4.6", "万人次"),
    ("矛盾纠纷", "1580", "件"), ("群众满意度", "96.5", "%"), ("按时办结率", "98.2", "%"),
    ("在外能人", "1350", "名"), ("返乡创业带头人", "286", "名"), ("人才发展专项资金", "2000", "万元"),
    ("人才公寓", "420", "套"), ("5G基站", "860", "个"), ("电商销售额", "15", "亿元"),
]

BULLETIN_FIGURES: list[Answer] = [
    ("地区生产总值", "1286.4", "亿元"), ("第一产业增加值", "98.2", "亿元"), ("第二产业增加值", "532.7", "亿元"),
    ("第三产业增加值", "655.5", "亿元"), ("人均地区生产总值", "96580", "元"), ("常住人口", "133.2", "万人"),
    ("出生人口", "0.96", "万人"), ("出生率", "7.21", "‰"), ("城镇化率", "63.8", "%"),
    ("粮食总产量", "86.3", "万吨"), ("夏粮产量", "35.6", "万吨"), ("秋粮产量", "50.7", "万吨"),
    ("猪牛羊禽肉产量", "9.8", "万吨"), ("规模以上工业增加值", "5.8", "%"), ("国有控股企业增加值", "3.2", "%"),
    ("民营企业增加值", "7.1", "%"), ("纺织服装", "4.5", "%"), ("食品加工", "6.3", "%"),
    ("高新技术产业产值", "12.4", "%"), ("比重", "38.5", "%"), ("利润总额", "86.9", "亿元"),
    ("规模以上工业企业", "1126", "家"), ("建筑业总产值", "312.5", "亿元"), ("固定资产投资", "7.9", "%"),
    ("工业投资", "16.5", "%"), ("基础设施投资", "5.3", "%"), ("房地产开发投资", "-11.2", "%"),
    ("商品房销售面积", "186.4", "万平方米"), ("社会消费品零售总额", "486.3", "亿元"),
    ("商品零售额", "38.7", "亿元"), ("居民人均可支配收入", "38960", "元"),
    ("城镇居民人均可支配收入", "47320", "元"), ("农村居民人均可支配收入", "25180", "元"),
    ("普通高校", "3", "所"), ("在校学生", "4.2", "万人"), ("专利授权量", "5830", "件"),
    ("高新技术企业", "486", "家"), ("高新技术企业", "5", "位"),
]

REPORT_FIGURES: list[Answer] = [
    ("规上工业总产值", "48.6", "亿元"), ("固定资产投资", "12.4", "亿元"), ("社会消费品零售总额", "9.7", "亿元"),
    ("规上工业企业", "126", "家"), ("入规企业", "11", "家"), ("亿元以上项目", "7", "个"),
    ("协议总投资", "32", "亿元"), ("重点项目", "4", "个"), ("投资", "5.8", "亿元"), ("年度计划", "62", "%"),
    ("企业服务日", "6", "场"), ("解决问题", "83", "个"), ("粮食播种面积", "5.2", "万亩"),
    ("夏粮总产量", "2.1", "万吨"), ("高标准农田", "3000", "亩"), ("城镇新增就业", "1860", "人"),
    ("困难人员就业", "142", "人"), ("参保率", "98.6", "%"), ("幼儿园", "2", "所"), ("村卫生室", "15", "个"),
    ("在校学生", "6320", "人"), ("规上工业总产值", "100", "亿元"), ("固定资产投资", "15", "%"),
    ("新开工项目", "10", "个"), ("民生实事", "10", "件"),
]

NOTICE_FIGURES: list[Answer] = [
    ("社区", "14", "个"), ("行政村", "6", "个"), ("常住人口", "8.7", "万人"), ("基层党组织", "92", "个"),
    ("党员", "3415", "名"), ("网格", "236", "个"), ("专职网格员", "248", "名"), ("民生资金", "6800", "万元"),
    ("老旧小区", "23", "个"), ("居民", "5600", "户"), ("志愿者", "1.15", "万人"),
    ("志愿服务活动", "1260", "场次"), ("办公服务用房", "3", "个"), ("35岁以下", "18", "%"),
    ("社区综合服务中心", "2", "个"), ("满意度", "95", "%"),
]

HTML_FIGURES: list[Answer] = [
    ("便民生活圈", "36", "个"), ("商业网点", "420", "个"), ("居民", "28.6", "万人"),
    ("社会消费品零售总额", "215.3", "亿元"), ("社区菜市场", "12", "个"), ("社区食堂", "45", "家"),
    ("专项资金", "3500", "万元"), ("便利店", "186", "家"), ("特色小店", "530", "家"),
    ("满意度", "93.2", "%"), ("便民生活圈", "50", "个"),
]

DOCX_FIGURES: list[Answer] = [
    ("党支部", "5", "个"), ("党员", "186", "名"), ("新党员", "3", "名"), ("党群服务站", "2", "个"),
    ("服务面积", "420", "平方米"), ("居民诉求", "1320", "件"), ("办结率", "99.2", "%"),
    ("义诊活动", "12", "场"), ("服务居民", "860", "人次"), ("救助金", "15.6", "万元"),
    ("满意率", "97.5", "%"), ("测评得分", "96.8", "分"),
]


def score(figures: list[dict[str, Any]], answers: list[Answer]) -> tuple[int, int, int, list[str]]:
    """(correct emitted, emitted, answers matched, wrong labels): each answer matches one figure."""
    free = list(answers)
    correct = 0
    wrong: list[str] = []
    for f in figures:
        value = Decimal(str(f["value"]))
        hit = next((a for a in free if Decimal(a[1]) == value and a[2] == f["unit"] and a[0] in f["label"]),
                   None)
        if hit is None:
            wrong.append(f"{f['label']} {f['value']}{f['unit']}")
            continue
        free.remove(hit)
        correct += 1
    return correct, len(figures), len(answers) - len(free), wrong


def pack_of(path: Path, **kw: Any) -> dict[str, Any]:
    return yaml.safe_load(render(ingest_files([path], **kw)))


LEVELS = ("points", "items", "subitems", "subitems")


def flat_sections(pack: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Sections by position: ``parts.2.points.3`` is the third point of the second headed part,
    whatever ids ingest gave them (``lead.points.1``, ``body.points.1`` likewise); each entry also
    carries its real dotted id as ``_id``. Keys with a wrapper prefix start with it (``qh.parts.1``)."""
    out: dict[str, dict[str, Any]] = {}

    def kids(sec: dict[str, Any], key: str, real: str, depth: int) -> None:
        for j, c in enumerate(sec.get("children", []), start=1):
            k, r = f"{key}.{LEVELS[min(depth, 3)]}.{j}", f"{real}.{c['id']}"
            out[k] = {**c, "_id": r}
            kids(c, k, r, depth + 1)

    def top(secs: list[dict[str, Any]], prefix: str, real_prefix: str) -> None:
        n = 0
        for sec in secs:
            sid = sec["id"]
            if sid in ("editor_note", "lead", "body", "closing"):
                key = prefix + sid
            else:
                n += 1
                key = f"{prefix}parts.{n}"
            out[key] = {**sec, "_id": real_prefix + sid}
            kids(sec, key, real_prefix + sid, 0)

    wrapped = pack["sections"] and all("children" in s and any(
        c["id"] in ("lead", "body", "editor_note") for c in s["children"]) for s in pack["sections"])
    if wrapped:
        for w in pack["sections"]:
            top(w["children"], w["id"] + ".", w["id"] + ".")
    else:
        top(pack["sections"], "", "")
    return out


def pos_of(pack: dict[str, Any], real_id: str) -> str:
    """The positional key of a real section id (figures name real ids)."""
    return next(k for k, v in flat_sections(pack).items() if v["_id"] == real_id)


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("东湖社区2023年工作总结", level=0)
    d.add_paragraph("东湖社区居委会　2024年1月8日")
    d.add_paragraph("2023年，东湖社区在街道党工委领导下，扎实推进各项工作。现将全年工作总结如下。")
    d.add_heading("一、党建引领", level=1)
    d.add_paragraph("社区党委下设党支部5个，共有党员186名。全年发展新党员3名。")
    d.add_heading("（一）阵地建设", level=2)
    d.add_paragraph("新建党群服务站2个，服务面积达到420平方米。")
    d.add_heading("二、为民服务", level=1)
    d.add_paragraph("全年受理居民诉求1320件，办结率99.2%。")
    d.add_paragraph("开展义诊活动12场，服务居民860人次。", style="List Number")
    d.add_paragraph("为困难家庭发放救助金15.6万元。", style="List Number")
    d.add_paragraph().add_run("居民满意度持续提升").bold = True
    d.add_paragraph("年度居民满意度测评得分为96.8分，群众满意率达到97.5%。")
    d.save(str(path))
    return path


SYNTHETIC = {
    "news-qinghe.txt": NEWS_FIGURES,
    "bulletin-xiping.txt": BULLETIN_FIGURES,
    "report-changning.md": REPORT_FIGURES,
    "notice-taoyuan-gbk.txt": NOTICE_FIGURES,
    "page-linjiang.html": HTML_FIGURES,
}


def synthetic_path(name: str, tmp_path: Path) -> Path:
    if name.endswith(".html"):
        pytest.importorskip("readability")
    if name.endswith(".docx"):
        return make_docx(tmp_path / name)
    return FIX / name


# ------------------------------------------------------------------------------------ seed

@pytest.fixture(scope="module")
def seed_pack() -> dict[str, Any]:
    if not SEED.is_file():
        pytest.skip("shared seed article not present")
    return pack_of(SEED)


def test_seed_meta(seed_pack: dict[str, Any]) -> None:
    meta = seed_pack["meta"]
    assert meta["title"] == "九年磨一剑，深融助发展——苏州市吴江区“融入式党建”创新赋能的深化路径及经验启示"
    assert meta["date"] == dt.date(2022, 9, 23)
    assert meta["publisher"] == "新华日报"


def test_seed_structure(seed_pack: dict[str, Any]) -> None:
    secs = flat_sections(seed_pack)
    note = secs["editor_note"]
    assert note["source_lines"] == [8]
    assert note["body"].startswith("党的十八大以来") and note["body"].rstrip().endswith("解决路径。")
    parts = [
        ("党建融入发展", "“最大政绩”与“高质量发展”互动并进"),
        ("党建融入民生", "“美好向往”与“肩负使命”同频共振"),
        ("党建融入区域", "“跨域联盟”与“城乡一体”互联互通"),
        ("党建融入群众", "“为民惠民”与“践行初心”交相辉映"),
    ]
    for i, (title, subtitle) in enumerate(parts, start=1):
        assert (secs[f"parts.{i}"]["title"], secs[f"parts.{i}"]["subtitle"]) == (title, subtitle)
    assert secs["parts.1"]["source_lines"][:2] == [20, 22]
    assert secs["parts.5"]["title"] == "“融入式党建”的经验启示，让基层党建可资借鉴"
    lessons = [secs[f"parts.5.points.{i}"]["title"] for i in range(1, 6)]
    assert lessons[0] == "领导干部必须胸怀为民初心，坚定理想信念，走好新时代的群众路线"
    assert lessons[1].startswith("选好“领头羊”")
    assert lessons[4].endswith("谨防“新官不理旧账”")
    assert "parts.5.points.6" not in secs and "parts.6" not in secs
    assert secs["parts.5.points.3"]["source_lines"] == [134, 136, 138]
    # boilerplate is gone: no 听新闻, 责编, 版权声明 anywhere in the bodies
    text = yaml.safe_dump(seed_pack, allow_unicode=True)
    for junk in ("听新闻", "责编", "版权声明", "免责声明", "标签"):
        assert junk not in text


def test_seed_figures_precision(seed_pack: dict[str, Any]) -> None:
    figs = seed_pack["figures"]
    correct, emitted, matched, wrong = score(figs, SEED_FIGURES)
    print(f"\nseed: {correct}/{emitted} correct (precision {correct / emitted:.1%}), "
          f"recall {matched}/{len(SEED_FIGURES)} ({matched / len(SEED_FIGURES):.1%})")
    assert correct >= 30, wrong
    assert correct / emitted >= 0.95, wrong


def test_seed_figure_details(seed_pack: dict[str, Any]) -> None:
    by_label = {(f["label"], str(f["value"])): f for f in seed_pack["figures"]}
    out = by_label[("规上工业总产值", "2231")]
    assert out["period"] == "2022年上半年" and out["scope"] == "全区" and out["kind"] == "amount"
    assert out["change"] == {"value": 4.1, "unit": "%", "basis": ""}
    assert out["source_line"] == 10 and out["section"] == "lead"
    income = by_label[("居民人均可支配收入", "65294")]
    assert income["change"]["basis"] == "比上年" and income["period"] == "2021年"
    province = by_label[("居民人均可支配收入", "47498")]
    assert province["scope"] == "全省" and "change" not in province
    ranks = [f for f in seed_pack["figures"] if f["kind"] == "ranking"]
    assert {(f["scope"], f["value"]) for f in ranks if "百强区" in f["label"]} == {("全省", 1), ("全国", 9)}
    assert by_label[("民营企业", "9")]["qualifier"] == "超"
    assert by_label[("员工", "2")]["unit"] == "万名"
    assert by_label[("区级机关科长", "107")]["kind"] == "count"
    assert pos_of(seed_pack, by_label[("区级机关科长", "107")]["section"]) == "parts.1"
    # 分别 pairs and 贡献了全区60%的GDP… shares are read positionally (issue 14)
    assert by_label[("恒力集团《财富》世界500强排名", "75")]["kind"] == "ranking"
    assert by_label[("盛虹控股集团《财富》世界500强排名", "241")]["period"] == "2022年"
    assert by_label[("民营企业贡献GDP占比", "60")]["unit"] == "%"
    # no 第一时间 / 第一等次 / 第一要务 read as rankings
    assert not any(f["kind"] == "ranking" and f["source_line"] in (24, 50, 112) for f in seed_pack["figures"])


def test_seed_output_loads_and_is_deterministic(tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip("shared seed article not present")
    a = render(ingest_files([SEED]))
    b = render(ingest_files([SEED]))
    assert a == b
    out = tmp_path / "seed.yaml"
    out.write_text(a, encoding="utf-8")
    loaded = load_pack(out)
    assert "lessons" in loaded.sections and len(loaded.select("lessons.*")) == 5  # 经验启示 → lessons
    assert all(s.section.summary for s in loaded.select("lessons.*"))
    assert len(loaded.pack.review) >= 1


# ------------------------------------------------------------------------------- synthetic

@pytest.mark.parametrize("name", [*SYNTHETIC, "sample.docx"])
def test_synthetic_precision_and_load(name: str, tmp_path: Path) -> None:
    path = synthetic_path(name, tmp_path)
    answers = SYNTHETIC.get(name, DOCX_FIGURES)
    text = render(ingest_files([path]))
    assert text == render(ingest_files([path])), "re-ingesting must give the same bytes"
    out = tmp_path / "pack.yaml"
    out.write_text(text, encoding="utf-8")
    loaded = load_pack(out)
    figs = yaml.safe_load(text)["figures"]
    correct, emitted, matched, wrong = score(figs, answers)
    print(f"\n{name}: {correct}/{emitted} correct (precision {correct / max(emitted, 1):.1%}), "
          f"recall {matched}/{len(answers)} ({matched / len(answers):.1%})")
    assert emitted and correct / emitted >= 0.9, wrong
    assert matched / len(answers) >= 0.6, wrong
    for f in loaded.figures.values():
        assert f.section in loaded.sections and f.source_line


def test_news_structure(tmp_path: Path) -> None:
    pack = pack_of(FIX / "news-qinghe.txt")
    meta, secs = pack["meta"], flat_sections(pack)
    assert meta["title"] == "绿水绕城，产业兴村——清河县“党建+产业”融合发展的探索与启示"
    assert (meta["date"], meta["publisher"], meta["author"]) == (dt.date(2023, 6, 18), "示例日报", "林晓")
    assert secs["editor_note"]["body"].startswith("为总结推广基层党建引领乡村振兴的经验做法")
    assert [secs[f"parts.{i}"]["title"] for i in range(1, 5)] == [
        "党建引领产业", "党建引领治理", "党建引领人才", "清河实践的几点启示"]
    assert secs["parts.2"]["subtitle"] == "“网格连心”与“服务到家”相得益彰"
    assert [secs[f"parts.4.points.{i}"]["title"][:8] for i in range(1, 4)] == [
        "坚持把党组织建在", "坚持把服务送到群", "坚持把人才引回乡"]
    figs = {f["label"]: f for f in pack["figures"]}
    assert figs["地区生产总值"]["period"] == "2023年一季度"
    assert figs["地区生产总值"]["change"] == {"value": 6.2, "unit": "%", "basis": "同比"}
    assert figs["县域经济综合考核排名"]["value"] == 12 and figs["县域经济综合考核排名"]["kind"] == "ranking"
    assert not any(f["kind"] == "ranking" and f["source_line"] == 26 for f in pack["figures"])  # 第一时间
    review = {(r["source_line"], r["value"]) for r in pack["review"]}
    assert {(36, 85), (36, 72), (52, 2)} <= review  # 分别…, a range 1—2名


def test_report_structure_md() -> None:
    pack = pack_of(FIX / "report-changning.md")
    meta, secs = pack["meta"], flat_sections(pack)
    assert (meta["title"], meta["publisher"], meta["date"]) == (
        "长宁镇2023年上半年工作总结", "长宁镇人民政府", dt.date(2023, 7, 10))
    assert secs["parts.1"]["title"] == "主要经济指标稳中有进"
    assert secs["parts.1.points.1"]["title"] == "工业经济持续向好"
    assert secs["parts.1.points.1.items.1"]["title"] == "重点项目加快推进"
    assert secs["parts.1.points.1.items.2"]["title"] == "企业服务不断优化"
    assert secs["parts.2.points.2"]["title"] == "教育卫生事业"
    assert secs["parts.3.points.1"]["title"] == "抓项目促投资"
    figs = pack["figures"]
    assert next(f for f in figs if f["label"] == "规上工业总产值")["period"] == "2023年上半年"
    plans = [f for f in figs if f["section"].startswith(secs["parts.3"]["_id"])]
    assert plans and all(f["kind"] == "target" for f in plans)


def test_bulletin_enumerations_and_changes() -> None:
    pack = pack_of(FIX / "bulletin-xiping.txt")
    meta, secs = pack["meta"], flat_sections(pack)
    assert (meta["publisher"], meta["date"]) == ("西平市统计局", dt.date(2023, 3, 15))
    assert [secs[f"parts.{i}"]["title"] for i in range(1, 8)] == [
        "综合", "农业", "工业和建筑业", "固定资产投资", "国内贸易", "居民收入", "教育和科技"]
    assert [secs[f"parts.3.points.{i}"]["title"] for i in range(1, 4)] == [
        "传统产业稳中有升", "新兴产业加快发展", "企业效益有所改善"]
    assert "一是" not in secs["parts.3"]["body"]
    figs = {f["label"]: f for f in pack["figures"]}
    assert figs["常住人口"]["change"] == {"value": 0.8, "unit": "万人", "basis": "比上年末"}
    assert figs["城镇化率"]["change"] == {"value": 0.9, "unit": "百分点", "basis": "比上年末"}
    assert figs["房地产开发投资增速"]["value"] == -11.2
    assert pos_of(pack, figs["规模以上工业企业利润总额"]["section"]) == "parts.3.points.3"
    assert not any("7.6" in str(f["value"]) for f in pack["figures"])  # 7.6:41.4:51.0 is a ratio


def test_gbk_text_is_decoded() -> None:
    raw = (FIX / "notice-taoyuan-gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    res = ingest_files([FIX / "notice-taoyuan-gbk.txt"])
    assert res.articles[0].raw.encoding == "gb18030"
    pack = yaml.safe_load(render(res))
    meta, secs = pack["meta"], flat_sections(pack)
    assert meta["title"] == "桃源街道关于2023年社区治理工作情况的通报"
    assert (meta["publisher"], meta["date"]) == ("桃源街道办事处", dt.date(2023, 12, 28))
    assert [secs[f"parts.2.points.{i}"]["title"] for i in range(1, 4)] == [
        "完善网格体系", "办好民生实事", "强化志愿服务"]
    assert "桃源街道办事处" not in secs["parts.4"].get("body", "")  # the signature block is dropped
    assert any(r["reason"].startswith("a bound") for r in pack["review"])  # 不足300平方米


def test_docx_structure(tmp_path: Path) -> None:
    pack = pack_of(make_docx(tmp_path / "east.docx"))
    meta, secs = pack["meta"], flat_sections(pack)
    assert (meta["title"], meta["publisher"], meta["date"]) == (
        "东湖社区2023年工作总结", "东湖社区居委会", dt.date(2024, 1, 8))
    assert secs["parts.1"]["title"] == "党建引领"
    assert secs["parts.1.points.1"]["title"] == "阵地建设"
    assert secs["parts.2.points.1"]["title"].startswith("开展义诊活动")  # Word's own numbering
    assert secs["parts.2.points.3"]["title"] == "居民满意度持续提升"  # a whole-bold paragraph
    assert secs["parts.1"]["source_lines"] == [4, 5]  # paragraph numbers


def test_html_body_without_boilerplate() -> None:
    pytest.importorskip("readability")
    pack = pack_of(FIX / "page-linjiang.html")
    meta, secs = pack["meta"], flat_sections(pack)
    assert meta["title"] == "临江区打造“15分钟便民生活圈”"
    assert (meta["publisher"], meta["date"], meta["author"]) == ("示例晚报", dt.date(2023, 9, 5), "陈静")
    assert meta["url"] == "https://news.example.org/2023/0905/linjiang.html"
    assert [secs["parts.1"]["title"], secs["parts.2"]["title"]] == ["补齐设施短板", "提升服务品质"]
    text = yaml.safe_dump(pack, allow_unicode=True)
    for junk in ("首页", "热点新闻", "版权所有", "ICP", "分享到", "公交线路"):
        assert junk not in text
    assert secs["lead"]["source_lines"] == [19, 20]


# ------------------------------------------------------------------------------ small units

def test_periods_resolve_against_the_article_date() -> None:
    day = dt.date(2022, 9, 23)
    assert resolve_period("今年上半年该区", day) == "2022年上半年"
    assert resolve_period("去年全年", day) == "2021年"  # 全年 is the year itself
    assert resolve_period("1-8月，全区", day) == "2022年1-8月"
    assert resolve_period("四季度", day) == "四季度"  # not over yet on the article date
    assert resolve_period("2021年吴江区", day) == "2021年"
    assert resolve_period("比上年增长", day) == ""


def test_cn_numbers() -> None:
    assert [cn_number(t) for t in ("一", "九", "十", "十二", "二十", "九十九", "一百零五", "241", "x")] == [
        1, 9, 10, 12, 20, 99, 105, 241, None]


def test_normalisation_options() -> None:
    raw = "全区实现ＧＤＰ２２３１亿元, 增长４．１％ ;全社会投资 357亿元"
    assert clean(raw) == "全区实现GDP2231亿元，增长4.1%；全社会投资357亿元"
    kept = clean(raw, Normalise(punctuation=False, spaces=False, digits=False))
    assert "２２３１" in kept and ", " in kept


def test_kept_forms_still_give_figures(tmp_path: Path) -> None:
    src = tmp_path / "fw.txt"
    src.write_text("示例县简报\n\n全县实现地区生产总值１２３．４亿元, 增长５．２％。\n", encoding="utf-8")
    pack = pack_of(src, opts=Normalise(punctuation=False, spaces=False, digits=False))
    assert "１２３．４" in pack["sections"][0]["body"]
    assert [(f["label"], f["value"]) for f in pack["figures"]] == [("地区生产总值", 123.4)]


def _fig(text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    found, _ = extract(clean(text), 1, "s", dt.date(2023, 1, 10))
    return ([(f.label, str(f.value), f.unit) for f in found.figures], [r.reason for r in found.review])


def test_figure_traps() -> None:
    assert _fig("全年粮食总产量12.5万吨，比上年增长2%。")[0] == [("粮食总产量", "12.5", "万吨")]
    assert _fig("两地分别投入300万元和500万元。")[0] == []
    assert _fig("5G基站建设提速，“十四五”规划提出“1+5+1”格局。")[0] == []
    assert _fig("第一时间回应诉求，荣获第一等次。") == ([], [])
    assert _fig("2023年1月5日召开会议，持续3个月。") == ([], [])
    figs, review = _fig("培育出甲、乙等3家企业，其中户籍人口8.5万。")
    assert figs == [] and len(review) == 2
    assert _fig("全县城镇化率达到58.2%，比上年提高1.1个百分点。")[0] == [("城镇化率", "58.2", "%")]
    assert _fig("第三产业增加值占GDP比重为52.1%。")[0] == [("第三产业增加值占GDP比重", "52.1", "%")]
    assert _fig("全省GDP总量居全国第8位。")[0] == [("GDP总量排名", "8", "位")]
    assert _fig("新建5G基站1200个。")[0] == [("5G基站", "1200", "个")]


def test_id_rules_and_prefixes(tmp_path: Path) -> None:
    res = ingest_files([FIX / "news-qinghe.txt", FIX / "bulletin-xiping.txt"], id_prefixes=["qh", "xp"])
    text = render(res)
    out = tmp_path / "two.yaml"
    out.write_text(text, encoding="utf-8")
    loaded = load_pack(out)
    secs = flat_sections(res.pack)
    assert secs["qh.parts.4.points.3"]["_id"] in loaded.sections
    assert secs["xp.parts.3.points.2"]["_id"] in loaded.sections
    assert all(fid.startswith(("qh_", "xp_")) for fid in loaded.figures)
    assert loaded.meta.id == "news-qinghe"
    with pytest.raises(BriefError):
        ingest_files([FIX / "news-qinghe.txt"], id_prefixes=["Bad-Id"])
    with pytest.raises(BriefError):
        ingest_files([FIX / "news-qinghe.txt", FIX / "bulletin-xiping.txt"], id_prefixes=["a"])


def test_enumeration_in_paragraph_and_heading_forms() -> None:
    lines = ["示例镇工作要点", "2023-02-01 来源：示例镇政府",
             "【工业】", "全镇工业平稳。一是产值增长，规上工业产值20亿元；二是投资加快；三是企业增多。",
             "第二部分 社会事业", "(一)教育", "1、新建学校1所。", "2.改造操场3个。", "（1）细节一", "①细节二"]
    raw = RawArticle(Path("x.txt"), "txt", "utf-8", [Line(i + 1, t) for i, t in enumerate(lines)])
    art = build_article(raw)
    assert art.date == dt.date(2023, 2, 1) and art.publisher == "示例镇政府"
    titles = [p.title for p in art.parts]
    assert titles == ["工业", "社会事业"]
    assert [k.title for k in art.parts[0].kids] == ["产值增长", "投资加快", "企业增多"]
    edu = art.parts[1].kids[0]
    assert edu.title == "教育" and [k.title for k in edu.kids] == ["新建学校1所", "改造操场3个"]
    assert [k.title for k in edu.kids[1].kids] == ["细节一", "细节二"]


def test_decode_rules() -> None:
    assert decode("中文".encode()) == ("中文", "utf-8")
    assert decode("中文".encode("gbk")) == ("中文", "gb18030")
    assert decode(b"\xef\xbb\xbf" + "中文".encode())[1] == "utf-8"
    with pytest.raises(BriefError):
        decode(b"\x81\x30\xff\xff\xfe")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", "听新闻\n1\n".encode(), "只有标题".encode(),
                                     "标题\n版权声明：xx\n".encode(), "１２３４５".encode()])
def test_no_crash_on_odd_input(content: bytes, tmp_path: Path) -> None:
    src = tmp_path / "odd.txt"
    src.write_bytes(content)
    text = render(ingest_files([src]))
    out = tmp_path / "odd.yaml"
    out.write_text(text, encoding="utf-8")
    load_pack(out)


# ---------------------------------------------------------------------------------------- CLI

def test_cli_ingest_writes_atomically_and_refuses_to_overwrite(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drafts" / "qinghe.yaml"
    assert main(["ingest", str(FIX / "news-qinghe.txt"), "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "4 parts" in report and "figures" in report and "review" in report
    first = out.read_bytes()
    assert main(["ingest", str(FIX / "news-qinghe.txt"), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["ingest", str(FIX / "news-qinghe.txt"), "-o", str(out), "--force"]) == 0
    assert out.read_bytes() == first
    assert main(["list", str(out)]) == 0
    assert [p.name for p in out.parent.iterdir()] == ["qinghe.yaml"]


def test_cli_ingest_stdout_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(FIX / "bulletin-xiping.txt")]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Draft source pack") and "pack: 1" in captured.out
    assert "figures" in captured.err
    bad = tmp_path / "a.pdf"
    bad.write_bytes(b"%PDF-1.4")
    assert main(["ingest", str(bad)]) == 3
    assert "cannot ingest .pdf" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "missing.txt")]) == 4
    assert main(["ingest", str(FIX / "news-qinghe.txt"), "--keep", "everything"]) == 2


def test_html_without_readability_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "readability", None)
    with pytest.raises(BriefError, match="readability-lxml"):
        ingest_files([FIX / "page-linjiang.html"])


def test_broken_docx_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BriefError, match="docx"):
        ingest_files([bad])


@pytest.mark.slow  # 2,000 sentences on one line
def test_long_lines_keep_their_text(tmp_path: Path) -> None:
    sentence = "全区实现规上工业总产值2231亿元，增长4.1%，其中工业投资114亿元,增长12.2%，"
    src = tmp_path / "long.txt"
    src.write_text("很长的一行\n" + sentence * 2000 + "\n", encoding="utf-8")
    res = ingest_files([src])  # how fast: bench/run.py
    body = res.pack["sections"][0]["body"]
    assert body.count("增长12.2%，") == 2000 and "," not in body


def test_random_text_never_crashes_and_always_loads() -> None:
    import tempfile

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list(
        "全区实现产值亿元万人个家名第一二三是其中增长下降提高百分点%％，。；：、（）()“”《》【】—1234567890.,- \n"
        "年月日今上半年全省位列排名分别超多余约等的了在编者按来源责编"))

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "random.txt"

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(st.text(alphabet, max_size=200))
        def run(text: str) -> None:
            src.write_text(text, encoding="utf-8")
            render(ingest_files([src]))  # render() checks the pack as load_pack would

        run()


def test_bylines_untitled_text_and_ordinal_points(tmp_path: Path) -> None:
    src = tmp_path / "untitled.txt"
    src.write_text(
        "本报讯（记者 王晓 通讯员 李青）近日，示例区召开会议，部署全年工作。\n"
        "会议指出，要抓好三件事：第一，稳住工业，全年工业投资达到50亿元；第二，做强服务业；第三，办好民生实事。（完）\n",
        encoding="utf-8")
    pack = pack_of(src)
    secs = flat_sections(pack)
    assert pack["meta"]["title"] == "untitled" and pack["meta"]["author"] == "王晓"
    body = secs["body"]["body"]
    assert body.startswith("近日，示例区召开会议") and "（完）" not in body and "记者" not in body
    assert [secs[f"body.points.{i}"]["title"] for i in (1, 2, 3)] == ["稳住工业", "做强服务业", "办好民生实事"]
    assert [(f["label"], f["value"], pos_of(pack, f["section"])) for f in pack["figures"]] == [
        ("工业投资", 50, "body.points.1")]


def test_html_line_breaks_split_paragraphs(tmp_path: Path) -> None:
    pytest.importorskip("readability")
    page = tmp_path / "br.html"
    para = "示例县今年以来持续推进乡村振兴，各项工作取得积极进展，群众获得感不断增强。"
    page.write_text(
        "<html><head><title>示例县乡村振兴</title></head><body><div class='nav'>首页 新闻</div>"
        f"<div id='content'><h1>示例县乡村振兴</h1><div>{para}<br>全县新建村级服务中心12个，"
        f"覆盖村民3.5万人。{para}<br/>{para}</div></div></body></html>", encoding="utf-8")
    pack = pack_of(page)
    body = flat_sections(pack)["body"]["body"]
    assert body.count("\n\n") >= 2 and "首页" not in body
    assert [(f["label"], f["value"]) for f in pack["figures"]] == [("村级服务中心", 12), ("覆盖村民", 3.5)]
