"""Draw the example site's figures and write its PDF: nothing third-party, all made here.

    .venv/bin/python tools/make_example_assets.py

Writes into the three bundled briefings of content/ (the outputs are committed):
- 2022/borrell-samarkand/funding-chart.png: a bar chart drawn with Pillow, with the two
  sums the briefing discusses (the EU's €300 million over four years, the United States'
  $25 million pledge of the same month);
- 2022/middle-corridor-demand-before-capacity/corridor-map.svg: a schematic map of the
  Middle Corridor, written by hand as SVG shapes and text (no scripts);
- 2025/samarkand-summit-strategic-partnership/summit-briefing-pack.pdf: a one-page PDF
  built byte by byte (standard Helvetica, so nothing is embedded), with a valid xref table.
The same run writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CONTENT = Path(__file__).resolve().parents[1] / "content"
INK, MUTED, ACCENT, SECOND, PAPER, RULE = (
    "#1d2329",
    "#55606b",
    "#0b5c8e",
    "#b35900",
    "#fdfdfb",
    "#d9dee3",
)


def chart(path: Path) -> None:
    """Two horizontal bars, labelled, with a source line: 1200 x 675 px."""
    width, height = 1200, 675
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    title = ImageFont.load_default(size=40)
    label = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=24)
    draw.text((60, 50), "Money on the table for Central Asia, November 2022", fill=INK, font=title)
    draw.text(
        (60, 110),
        "Announced sums, million (EUR and USD taken as roughly equal)",
        fill=MUTED,
        font=small,
    )
    bars = [
        ("EU, over four years", 300, ACCENT, "EUR 300 m"),
        ("United States", 25, SECOND, "USD 25 m"),
    ]
    left, top, scale = 380, 200, 2.0
    for i, (name, value, colour, text) in enumerate(bars):
        y = top + i * 160
        draw.text((60, y + 30), name, fill=INK, font=label)
        draw.rectangle([left, y, left + value * scale, y + 100], fill=colour)
        draw.text((left + value * scale + 20, y + 30), text, fill=INK, font=label)
    draw.line([left, top - 20, left, top + 300], fill=RULE, width=3)
    draw.text(
        (60, height - 70),
        "Drawn for the example site from the figures quoted in the briefing.",
        fill=MUTED,
        font=small,
    )
    image.save(path, "PNG", optimize=True)


STOPS = [
    ("China", 1040, 120),
    ("Khorgos", 900, 150),
    ("Almaty", 800, 190),
    ("Aktau", 560, 260),
    ("Baku", 430, 330),
    ("Tbilisi", 300, 300),
    ("Poti / Batumi", 200, 280),
    ("Istanbul", 90, 210),
]


def corridor_map(path: Path) -> None:
    """A schematic route from western China to the Black Sea across the Caspian."""
    points = " ".join(f"{x},{y}" for _, x, y in STOPS)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="1120" height="440" viewBox="0 0 1120 440"'
        ' role="img" aria-labelledby="map-title map-desc">',
        '<title id="map-title">Schematic map of the Middle Corridor</title>',
        '<desc id="map-desc">Rail from western China across Kazakhstan to the port of Aktau, '
        "ferries across the Caspian Sea to Baku, then rail through Azerbaijan and Georgia to "
        "the Black Sea ports and Türkiye.</desc>",
        f'<rect width="1120" height="440" fill="{PAPER}"/>',
        '<ellipse cx="500" cy="300" rx="70" ry="120" fill="#cfe3f1" stroke="#8fb9d6"/>',
        f'<text x="500" y="300" font-family="sans-serif" font-size="18" fill="{MUTED}" '
        'text-anchor="middle">Caspian Sea</text>',
        '<ellipse cx="140" cy="330" rx="120" ry="50" fill="#cfe3f1" stroke="#8fb9d6"/>',
        f'<text x="140" y="360" font-family="sans-serif" font-size="16" fill="{MUTED}" '
        'text-anchor="middle">Black Sea</text>',
        f'<polyline points="{points}" fill="none" stroke="{ACCENT}" stroke-width="6" '
        'stroke-linejoin="round" stroke-linecap="round"/>',
        f'<line x1="560" y1="260" x2="430" y2="330" stroke="{SECOND}" stroke-width="6" '
        'stroke-dasharray="12 8"/>',
    ]
    for name, x, y in STOPS:
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="9" fill="{PAPER}" stroke="{INK}" stroke-width="3"/>'
        )
        parts.append(
            f'<text x="{x}" y="{y - 18}" font-family="sans-serif" font-size="18" fill="{INK}" '
            f'text-anchor="middle">{name}</text>'
        )
    parts += [
        f'<line x1="60" y1="410" x2="110" y2="410" stroke="{ACCENT}" stroke-width="6"/>',
        f'<text x="120" y="416" font-family="sans-serif" font-size="16" fill="{INK}">rail</text>',
        f'<line x1="190" y1="410" x2="240" y2="410" stroke="{SECOND}" stroke-width="6" '
        'stroke-dasharray="12 8"/>',
        f'<text x="250" y="416" font-family="sans-serif" font-size="16" fill="{INK}">'
        "ferry across the Caspian</text>",
        "</svg>",
    ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


PACK = [
    ("Helvetica-Bold", 18, "EU-Central Asia summit, Samarkand, 3-4 April 2025"),
    ("Helvetica", 12, "Briefing pack prepared for the example site of briefgen"),
    ("Helvetica-Bold", 13, "What was agreed"),
    (
        "Helvetica",
        11,
        "- Relations raised to a strategic partnership, with further summits planned.",
    ),
    ("Helvetica", 11, "- A Global Gateway package of about EUR 12 billion for the region."),
    (
        "Helvetica",
        11,
        "- Cooperation on transport, raw materials, energy, water and digital links.",
    ),
    ("Helvetica-Bold", 13, "What to watch"),
    (
        "Helvetica",
        11,
        "- Most of the money is lending and guarantees: bankable projects decide delivery.",
    ),
    ("Helvetica", 11, "- The Caspian crossing remains the Middle Corridor's main bottleneck."),
    ("Helvetica", 11, "- Follow-up ministerial meetings will show whether the agenda holds."),
]


def pdf(path: Path) -> None:
    """A one-page PDF 1.4 with the text above; offsets in the xref table are exact."""
    lines, y = [], 780
    for font, size, text in PACK:
        y -= size + (14 if font.endswith("Bold") else 8)
        name = "/F2" if font.endswith("Bold") else "/F1"
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        lines.append(f"BT {name} {size} Tf 60 {y} Td ({safe}) Tj ET")
    stream = "\n".join(lines).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (EU-Central Asia summit briefing pack) /Producer (briefgen example) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 7 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def main() -> None:
    chart(CONTENT / "2022/borrell-samarkand/funding-chart.png")
    corridor_map(CONTENT / "2022/middle-corridor-demand-before-capacity/corridor-map.svg")
    pdf(CONTENT / "2025/samarkand-summit-strategic-partnership/summit-briefing-pack.pdf")


if __name__ == "__main__":
    main()
