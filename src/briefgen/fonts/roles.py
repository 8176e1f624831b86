"""Turn a font role (fangsong, heiti, …) into the family names, file names and fallbacks that can serve it."""

from __future__ import annotations

from typing import Literal, get_args

from briefgen.model.theme import (
    CJK_ROLES as CJK_ROLES,  # re-exported: the fonts modules read roles here
)
from briefgen.model.theme import FontRole

ROLES: tuple[FontRole, ...] = get_args(FontRole)

ROLE_ZH: dict[FontRole, str] = {
    "fangsong": "仿宋",
    "heiti": "黑体",
    "kaiti": "楷体",
    "songti": "宋体",
    "xiaobiaosong": "小标宋",
    "latin": "西文/数字",
}

# The fonts Word/WPS itself uses for the role (gongwen-layout.md §4.1): a PDF made with
# one of these matches the DOCX, so choosing one is not a substitution.
STANDARD: dict[FontRole, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312"),
    "heiti": ("黑体", "SimHei"),
    "kaiti": ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312"),
    "songti": ("宋体", "SimSun", "新宋体", "NSimSun"),
    "xiaobiaosong": (
        "方正小标宋简体",
        "方正小标宋_GBK",
        "FZXiaoBiaoSong-B05S",
        "FZXiaoBiaoSong-B05",
    ),
    "latin": ("Times New Roman",),
}

# Same design family as the role, in order of preference (after STANDARD and the theme's
# DOCX name). Matched against name-table family and full names, case/space-insensitively.
ALIASES: dict[FontRole, tuple[str, ...]] = {
    "fangsong": (
        *STANDARD["fangsong"],
        "STFangsong",
        "华文仿宋",
        "方正仿宋_GBK",
        "方正仿宋简体",
        "FZFangSong-Z02S",
        "FZFangSong-Z02",
        "Zhuque Fangsong",
        "朱雀仿宋",
        "Zhuque Fangsong (technical preview)",
    ),
    "heiti": (
        *STANDARD["heiti"],
        "STHeiti",
        "华文黑体",
        "方正黑体_GBK",
        "方正黑体简体",
        "FZHei-B01S",
        "WenQuanYi Micro Hei",
        "文泉驿微米黑",
        "WenQuanYi Zen Hei",
        "文泉驿正黑",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "思源黑体",
        "Noto Sans SC",
    ),
    "kaiti": (
        *STANDARD["kaiti"],
        "STKaiti",
        "华文楷体",
        "方正楷体_GBK",
        "方正楷体简体",
        "FZKai-Z03S",
        "AR PL UKai CN",
        "LXGW WenKai",
        "霞鹜文楷",
        "AR PL KaitiM GB",
    ),
    "songti": (
        *STANDARD["songti"],
        "STSong",
        "华文宋体",
        "方正书宋_GBK",
        "方正书宋简体",
        "AR PL UMing CN",
        "AR PL SungtiL GB",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Source Han Serif CN",
        "思源宋体",
        "Noto Serif SC",
    ),
    "xiaobiaosong": STANDARD["xiaobiaosong"],
    "latin": (
        "Times New Roman",
        "Liberation Serif",
        "TeX Gyre Termes",
        "Nimbus Roman",
        "DejaVu Serif",
    ),
}

# Non-CJK fonts appended near the end of every fallback chain, for symbols CJK fonts lack.
SYMBOL_FALLBACKS: tuple[str, ...] = (
    "DejaVu Sans",
    "DejaVu Serif",
    "Segoe UI Symbol",
    "Arial Unicode MS",
)

# Look-alikes in another design, tried (and reported as a substitution) when no alias is found.
LOOKALIKES: dict[FontRole, tuple[str, ...]] = {
    "fangsong": ALIASES["songti"],
    "heiti": (),
    "kaiti": (*ALIASES["fangsong"], *ALIASES["songti"]),
    "songti": (),
    "xiaobiaosong": ("Noto Serif CJK SC Bold", "Source Han Serif SC Bold", *ALIASES["songti"]),
    "latin": (),
}

# Well-known file names (Windows/macOS) for each role, so a font whose name table lacks
# the expected family name is still recognised.
KNOWN_FILES: dict[FontRole, tuple[str, ...]] = {
    "fangsong": ("simfang.ttf", "FANGSONG_GB2312.ttf", "STFANGSO.TTF", "Fangsong.ttf"),
    "heiti": ("simhei.ttf", "STHEITI.TTF", "STXIHEI.TTF"),
    "kaiti": ("simkai.ttf", "KAITI_GB2312.ttf", "STKAITI.TTF"),
    "songti": ("simsun.ttc", "simsun.ttf", "STSONG.TTF", "Songti.ttc"),
    "xiaobiaosong": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF"),
    "latin": ("times.ttf", "Times New Roman.ttf"),
}

Bundled = Literal["serif", "sans"]

# Which bundled Noto font (pylopdf-fonts-zh-cn) stands in when nothing is installed.
BUNDLED: dict[FontRole, Bundled] = {
    "fangsong": "serif",
    "heiti": "sans",
    "kaiti": "serif",
    "songti": "serif",
    "xiaobiaosong": "serif",
    "latin": "serif",
}

# A synthetic treatment of the bundled fallback (fonts.glyphs), so that with pip-only fonts the
# roles stay distinguishable: 小标宋 titles and mastheads heavier than the 仿宋 body (a bold
# 宋 design, as 小标宋 is), 楷体 slanted. Open 楷体/仿宋 fonts are not on PyPI; Debian's
# fonts-arphic-ukai (AR PL UKai) and Windows' simkai.ttf/simfang.ttf give the real designs.
BUNDLED_TREATMENT: dict[FontRole, Literal["", "bold", "oblique"]] = {
    "fangsong": "",
    "heiti": "",
    "kaiti": "oblique",
    "songti": "",
    "xiaobiaosong": "bold",
    "latin": "",
}

# Whether the bundled fallback has the role's design (宋 serif for 宋体) or is a look-alike.
BUNDLED_SAME_STYLE: dict[FontRole, bool] = {
    "fangsong": False,
    "heiti": True,
    "kaiti": False,
    "songti": True,
    "xiaobiaosong": False,
    "latin": False,
}

# Order in which the other roles' fonts are appended to a role's fallback chain.
CHAIN_ORDER: dict[FontRole, tuple[FontRole, ...]] = {
    "fangsong": ("songti", "kaiti", "heiti", "xiaobiaosong"),
    "heiti": ("songti", "fangsong", "kaiti", "xiaobiaosong"),
    "kaiti": ("fangsong", "songti", "heiti", "xiaobiaosong"),
    "songti": ("fangsong", "kaiti", "heiti", "xiaobiaosong"),
    "xiaobiaosong": ("songti", "fangsong", "heiti", "kaiti"),
    "latin": ("fangsong", "songti", "kaiti", "heiti", "xiaobiaosong"),
}


def normalise_name(name: str) -> str:
    """Family-name key: case-, space-, hyphen- and underscore-insensitive (``仿宋_GB2312`` → ``仿宋gb2312``)."""
    return "".join(ch for ch in name.casefold() if ch not in " -_\u3000")


def role_label(role: FontRole) -> str:
    """``仿宋 (fangsong)`` for messages."""
    return f"{ROLE_ZH[role]} ({role})"
