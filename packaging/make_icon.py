"""Draw the app's icon (a water drop over three report bars) with Pillow.

    python packaging/make_icon.py resources/icons

Writes caracterizacion.png (256 px) and caracterizacion.ico (16 to 256 px);
both are committed, so a build needs neither this script nor Pillow.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 1024  # drawn large, then scaled down smoothly
BLUE = (21, 101, 192, 255)
LIGHT = (227, 242, 253, 255)
WHITE = (255, 255, 255, 255)
BAR = (255, 179, 0, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128),
             (256, 256)]


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((40, 40, SIZE - 40, SIZE - 40), radius=180, fill=BLUE)
    _drop(pen)
    _bars(pen)
    return image


def _drop(pen: ImageDraw.ImageDraw) -> None:
    """A drop: a circle with a triangle on top."""
    cx, cy, r = SIZE // 2, 580, 270
    pen.polygon([(cx, 130), (cx - r + 22, cy - 95), (cx + r - 22, cy - 95)],
                fill=LIGHT)
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=LIGHT)


def _bars(pen: ImageDraw.ImageDraw) -> None:
    base, width, gap = 730, 90, 40
    heights = (150, 260, 200)
    left = SIZE // 2 - (3 * width + 2 * gap) // 2
    for index, height in enumerate(heights):
        x = left + index * (width + gap)
        pen.rounded_rectangle((x, base - height, x + width, base), radius=18,
                              fill=BAR)
    pen.rounded_rectangle((left - 30, base + 8, left + 3 * width + 2 * gap + 30,
                           base + 34), radius=12, fill=BLUE)


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.LANCZOS).save(folder / "caracterizacion.png")
    image.resize((256, 256), Image.LANCZOS).save(
        folder / "caracterizacion.ico", sizes=ICO_SIZES
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/icons"))
