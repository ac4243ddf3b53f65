"""Responsive images: sizes and variants of a briefing's raster images, made with Pillow.

Owns: reading an image's size, making narrower copies (same format) and WebP copies, and
the `ImageStore` they are kept in: content-addressed (the source's digest, the width and
the format), so a rebuild makes none of them again. The store is an explicit value, passed
in and handed back (in memory for the dev server, the persistent cache across runs); there
is no module-level state. Must not: decide which images a page uses (load.bundles does).

Decisions: widths 480, 960 and 1600 px, only those narrower than the original; the original
is always offered too, and as WebP. GIFs (often animated) get their size but no variants.
SVG is served as a file (an <img> never runs its scripts; load.bundles refuses SVGs with
scripts) and gets its size from its width/height or viewBox.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from briefgen.cache import Cache, decode, encode, key_of
from briefgen.model import Asset, OutputFile

WIDTHS = (480, 960, 1600)
RASTER = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF"}
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_NUMBER = r'\s*=\s*["\']\s*([0-9.]+)\s*(?:px)?\s*["\']'


@dataclass(frozen=True, slots=True)
class Variant:
    path: str  # output path
    width: int
    mime: str


@dataclass(frozen=True, slots=True)
class ImageInfo:
    width: int
    height: int
    variants: tuple[Variant, ...] = ()  # narrower copies and WebP, widest last


@dataclass
class ImageStore:
    """Encoded images by content key; `made` counts the ones Pillow had to make."""

    cache: Cache = field(default_factory=lambda: Cache(None))
    memory: dict[str, bytes] = field(default_factory=dict)
    made: int = 0

    def get_or_make(self, wanted: Mapping[str, tuple[bytes, int, str]]) -> dict[str, bytes]:
        """key -> bytes for every key of `wanted` (key -> (source, width, format))."""
        missing = [k for k in wanted if k not in self.memory]
        for key, payload in self.cache.get_many("image", missing).items():
            if isinstance(payload, bytes):
                self.memory[key] = payload
        made = []
        for key in wanted:
            if key not in self.memory:
                self.memory[key] = _encode(*wanted[key])
                made.append((key, encode(self.memory[key])))
        self.made += len(made)
        self.cache.put_many("image", made)
        return {k: self.memory[k] for k in wanted}

    def info(self, digest: str, data: bytes, ext: str) -> tuple[int, int]:
        key = key_of("image-size", digest)
        if key not in self.memory:
            cached = self.cache.get_many("image", [key]).get(key)
            if isinstance(cached, bytes):
                self.memory[key] = cached
            else:
                self.memory[key] = encode(_size(data, ext))
                self.cache.put_many("image", [(key, encode(self.memory[key]))])
        width, height = decode(self.memory[key])
        return width, height


def prepare_images(
    assets: Iterable[Asset], data: Mapping[str, bytes], store: ImageStore
) -> tuple[dict[str, ImageInfo], list[OutputFile]]:
    """Size and variants of every image among `assets`, by output path, and the variant
    files to write."""
    infos: dict[str, ImageInfo] = {}
    wanted: dict[str, tuple[bytes, int, str]] = {}
    planned: dict[str, list[tuple[str, Variant]]] = {}
    for asset in assets:
        ext = asset.path.rsplit(".", 1)[-1].lower()
        if ext != "svg" and ext not in RASTER:
            continue
        source = data[asset.source]
        width, height = store.info(asset.digest, source, ext)
        if not width or not height:
            continue
        infos[asset.path] = ImageInfo(width, height)
        if ext not in RASTER or ext == "gif":
            continue
        stem = asset.path.rsplit(".", 1)[0]
        plan = []
        for w in [*(w for w in WIDTHS if w < width), width]:
            for fmt, suffix in ((RASTER[ext], ext), ("WEBP", "webp")):
                if w == width and fmt == RASTER[ext]:
                    continue  # the original itself
                key = key_of("image", asset.digest, str(w), fmt)
                wanted[key] = (source, w, fmt)
                name = f"{stem}.{suffix}" if w == width else f"{stem}-{w}w.{suffix}"
                plan.append((key, Variant(name, w, "image/" + suffix.replace("jpg", "jpeg"))))
        planned[asset.path] = plan
    encoded = store.get_or_make(wanted)
    files: list[OutputFile] = []
    for path, plan in planned.items():
        info = infos[path]
        infos[path] = ImageInfo(info.width, info.height, tuple(v for _, v in plan))
        files += [OutputFile(v.path, encoded[key]) for key, v in plan]
    return infos, files


def _size(data: bytes, ext: str) -> tuple[int, int]:
    if ext == "svg":
        return _svg_size(data)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return (0, 0)


def _svg_size(data: bytes) -> tuple[int, int]:
    tag = _SVG_TAG.search(data[:4096])
    if not tag:
        return (0, 0)
    text = tag.group(0).decode("utf-8", "replace")
    width = re.search(r"\swidth" + _NUMBER, text)
    height = re.search(r"\sheight" + _NUMBER, text)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(
        r'viewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)', text
    )
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else (0, 0)


def _encode(data: bytes, width: int, fmt: str) -> bytes:
    """`data` scaled to `width` (height in proportion), encoded as `fmt`; deterministic."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.width != width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 82, "method": 4} if fmt == "WEBP" else {}
        if fmt == "JPEG":
            options = {"quality": 85, "optimize": True, "progressive": True}
        if fmt == "PNG":
            options = {"optimize": True}
        image.save(out, fmt, **options)
        return out.getvalue()
