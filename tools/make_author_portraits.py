"""Draw the example site's placeholder author portraits: initials on a coloured disc.

Writes content/authors/<slug>.svg for every profile in content/authors/*.md (and each
entry of authors.yaml, beside it). The portraits are drawn, never photos of anyone; the
colour comes from the name's hash, so reruns give the same bytes.

    python tools/make_author_portraits.py
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Dark enough for white initials at 4.5:1 contrast or more.
COLOURS = ("#0b5c8e", "#7a3e9d", "#1f6f43", "#9c3d1a", "#2f4f6f", "#7d5a00", "#6b2c3e")


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    picked = (words[0][0] + words[-1][0]) if len(words) > 1 else name[:2]
    return picked.upper()


def portrait(name: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    colour = COLOURS[digest[0] % len(COLOURS)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240">'
        f"<title>{name} (placeholder portrait)</title>"
        f'<circle cx="120" cy="120" r="120" fill="{colour}"/>'
        '<text x="120" y="120" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="96" font-weight="bold">'
        f"{initials(name)}</text></svg>\n"
    )


def main() -> int:
    folder = ROOT / "content" / "authors"
    for path in sorted(folder.glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---")[1]
        name = yaml.safe_load(front)["name"]
        target = path.with_suffix(".svg")
        target.write_text(portrait(name), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
