"""Draws the service's own icons (the same shape as favicon.svg) with Pillow.

Run `.venv/bin/python assets/icons/make_icons.py` after changing the shape; the results are
committed, and `npm run build` copies them into the static files. Deliberately plain: a tab
or home-screen icon on a shared phone should not say what the service is about.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BRAND = (0x4C, 0x2C, 0x69, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int, rounded: bool = True) -> Image.Image:
    scale = 8  # drawn large, then reduced: smooth edges
    big = size * scale
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=12 * unit if rounded else 0, fill=BRAND)
    ring = 17 * unit
    centre = big / 2
    box = [centre - ring - 3.5 * unit, centre - ring - 3.5 * unit]
    box += [centre + ring + 3.5 * unit, centre + ring + 3.5 * unit]
    pen.ellipse(box, outline=WHITE, width=round(7 * unit))
    dot = 5 * unit
    pen.ellipse([centre - dot, centre - dot, centre + dot, centre + dot], fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    draw(48).save(HERE / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    # Home-screen icons are masked by the device: a full square, no transparent corners.
    draw(180, rounded=False).convert("RGB").save(HERE / "apple-touch-icon.png", optimize=True)
