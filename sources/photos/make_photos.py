"""Make the illustrative pictures used by briefs/wujiang-photo-jianbao.yaml (drawn with Pillow; no real photos).

meeting.jpg: a stylised meeting-room scene (1800×1200 px, 300 dpi) standing in for an event photo.
emblem.svg: a simple red emblem used as the masthead logo. Run: python sources/photos/make_photos.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
EMBLEM = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
    '<circle cx="60" cy="60" r="56" fill="#ffffff" stroke="#c00000" stroke-width="6"/>'
    '<polygon points="60,18 72,50 106,50 78,70 88,102 60,82 32,102 42,70 14,50 48,50" fill="#c00000"/>'
    "</svg>\n"
)


def meeting(path: Path) -> None:
    w, h = 1800, 1200
    img = Image.new("RGB", (w, h), (232, 226, 214))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 420), fill=(200, 192, 176))  # back wall
    d.rectangle((540, 80, 1260, 360), fill=(150, 20, 20))  # banner
    d.rectangle((300, 640, 1500, 760), fill=(120, 84, 52))  # table
    for k in range(8):  # people along the table
        x = 360 + k * 150
        d.ellipse((x, 470, x + 90, 560), fill=(60, 48, 40))
        d.rectangle((x - 10, 560, x + 100, 660), fill=(40, 52, 80))
    img.save(path, "JPEG", quality=85, dpi=(300, 300), optimize=True)


def main() -> None:
    meeting(HERE / "meeting.jpg")
    (HERE / "emblem.svg").write_text(EMBLEM, encoding="utf-8")


if __name__ == "__main__":
    main()
