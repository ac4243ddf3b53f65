"""A briefing body as published: relative URLs resolved, images sized and responsive.

Owns: applying a bundle's URL rewrites to the enriched body HTML, and giving every <img>
`decoding="async"`, `loading="lazy"` after the first, `width`/`height` when its size is
known, and a `srcset` with a WebP <source> when variants exist.
Must not: read files or make images (render.images does).

The body HTML comes from markdown-it and nh3, which always write attributes as
`name="value"` with `"` escaped, so a tag-level regex is exact here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from briefgen.model import Bundle
from briefgen.render.images import ImageInfo

SIZES = "(min-width: 47rem) 44rem, 100vw"  # the text column (--measure) or the viewport
_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')


def publish_body(
    html: str, bundle: Bundle | None, images: Mapping[str, ImageInfo], base_path: str
) -> str:
    for old, new in bundle.rewrites if bundle else ():
        html = html.replace(f'="{old}"', f'="{new}"')
    if "<img" not in html:
        return html
    seen = [0]

    def image(match: re.Match[str]) -> str:
        seen[0] += 1
        return _image_tag(dict(_ATTR.findall(match.group(1))), seen[0] == 1, images, base_path)

    return _IMG.sub(image, html)


def _image_tag(
    attrs: dict[str, str], first: bool, images: Mapping[str, ImageInfo], base_path: str
) -> str:
    src = attrs.get("src", "")
    path = src[len(base_path) :] if src.startswith(base_path) else ""
    info = images.get(path)
    if info is not None:
        attrs.setdefault("width", str(info.width))
        attrs.setdefault("height", str(info.height))
    if not first:
        attrs.setdefault("loading", "lazy")
    attrs["decoding"] = "async"
    if info is None or not info.variants:
        return _tag("img", attrs)
    own = [v for v in info.variants if not v.path.endswith(".webp")]
    webp = [v for v in info.variants if v.path.endswith(".webp")]
    attrs["srcset"] = _srcset([*own, None], base_path, src, info.width)
    attrs["sizes"] = SIZES
    source = _tag(
        "source",
        {"type": "image/webp", "srcset": _srcset(webp, base_path, src, info.width), "sizes": SIZES},
    )
    return f"<picture>{source}{_tag('img', attrs)}</picture>"


def _srcset(variants: list, base_path: str, original: str, width: int) -> str:
    """`url 480w, url 960w, ...`; None stands for the original."""
    parts = [
        f"{original} {width}w" if v is None else f"{base_path}{v.path} {v.width}w" for v in variants
    ]
    return ", ".join(parts)


def _tag(name: str, attrs: dict[str, str]) -> str:
    order = ["src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"]
    keys = [k for k in order if k in attrs] + sorted(k for k in attrs if k not in order)
    # values are already HTML-escaped in the body; new ones are plain URLs and numbers
    text = " ".join(k if attrs[k] is None else f'{k}="{attrs[k]}"' for k in keys)
    return f"<{name} {text}>"
