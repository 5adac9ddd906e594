"""A phone camera's photo for the journeys and the phone bench (issue 18): 12 megapixels (4000×3000) of a scene —
sky, a building with windows, people, a table of papers — with a camera's sensor grain, so that it compresses
like a real photo (a few MB at a camera's JPEG quality), and the EXIF a phone writes: the capture time and an
orientation (6: the sensor's landscape pixels are shown as a portrait)."""

import functools
import io
import random

from PIL import Image, ImageDraw

ORIENTATION, EXIF_IFD, DATETIME_ORIGINAL = 0x0112, 0x8769, 36867


def _scene(size: tuple[int, int], rng: random.Random) -> Image.Image:
    width, height = size
    horizon = height * 2 // 5
    sky = Image.linear_gradient("L").resize((width, horizon))
    image = Image.new("RGB", size, (96, 88, 70))
    image.paste(Image.merge("RGB", [sky.point(lambda v, c=c: 120 + c * 30 + v // (3 - c)) for c in range(3)]))
    draw = ImageDraw.Draw(image)
    # a building with rows of windows
    left, top = width // 10, horizon // 3
    draw.rectangle((left, top, width * 6 // 10, horizon + height // 10), fill=(178, 160, 132))
    for y in range(top + 40, horizon, 110):
        for x in range(left + 40, width * 6 // 10 - 80, 140):
            shade = rng.randint(40, 110)
            draw.rectangle((x, y, x + 80, y + 70), fill=(shade, shade + 10, shade + 25))
    # people and things, at random
    for _ in range(160):
        x, y = rng.randrange(width), rng.randrange(horizon, height)
        w, h = rng.randint(20, 260), rng.randint(40, 420)
        colour = tuple(rng.randint(20, 235) for _ in range(3))
        (draw.ellipse if rng.random() < 0.4 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    # a table of papers with lines of text
    table = (width // 3, height * 7 // 10, width * 9 // 10, height - 60)
    draw.rectangle(table, fill=(232, 228, 218))
    for y in range(table[1] + 30, table[3] - 20, 26):
        x = table[0] + 40
        while x < table[2] - 60:
            word = rng.randint(20, 120)
            draw.rectangle((x, y, x + word, y + 10), fill=(40, 40, 48))
            x += word + rng.randint(12, 30)
    return image


@functools.lru_cache(maxsize=4)  # a few seconds each: made once per run
def camera_jpeg(
    size: tuple[int, int] = (4000, 3000),
    taken: str = "2026:05:04 08:15:30",
    orientation: int = 6,
    seed: int = 0,
    quality: int = 92,
) -> bytes:
    # drawn at half the size and scaled up: soft edges, as a lens gives
    image = _scene((size[0] // 2, size[1] // 2), random.Random(seed)).resize(size, Image.Resampling.BICUBIC)
    grain = Image.merge("RGB", [Image.effect_noise(size, 48) for _ in range(3)])
    image = Image.blend(image, grain, 0.13)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()
