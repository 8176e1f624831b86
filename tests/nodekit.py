"""One instance of each office node type (pictures, 公文 elements) for the every-node-type writer tests."""

from __future__ import annotations

import imagekit
from briefgen import tree


def office_nodes() -> list[tree.Block]:
    return [
        imagekit.sample_node(),
        tree.GongwenHead("示例县人民政府办公室", True, "示政办发〔2024〕5号", "张三"),
        tree.Addressee("各乡镇人民政府："),
        tree.AttachmentNote(["工作方案", "任务分工表"]),
        tree.Signoff("示例县人民政府办公室", "2024年5月10日", sealed=False, note="此件公开发布"),
        tree.AttachmentMark("附件1", "工作方案"),
        tree.Imprint("县委办公室，县人大常委会办公室", "示例县人民政府办公室", "2024年5月10日"),
    ]
