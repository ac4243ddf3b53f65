"""Issue 19: a PDF of every briefing, made by WeasyPrint (the `pdf` extra) from the print
stylesheet, read back with pypdf. Skipped only where WeasyPrint cannot be imported; CI
installs it (.ci/run), so there a missing WeasyPrint fails instead."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import briefing, build_site, english_example, make_site, page, read_json

from briefgen.options import serve_options
from briefgen.render.pdfplan import pdf_engine_found

if not pdf_engine_found():
    if os.environ.get("CI"):
        pytest.fail("WeasyPrint is not importable in CI: install '.[dev,pdf]' and Pango")
    pytest.skip("WeasyPrint (the pdf extra) is not importable here", allow_module_level=True)

pypdf = pytest.importorskip("pypdf")

A4 = (595.28, 841.89)  # points
PDF_CONFIG = "title: Test Desk\nbase_url: https://example.org/\npdf: true\n"
BODY = """
The Caspian ports at Aktau and Kuryk handle a growing share of the Middle Corridor's
cargo.[^1] Kazakhstan plans a container hub at Aktau.

![Cargo by port](chart.svg "Cargo through the Caspian ports")

## Outlook

The sea crossing remains the corridor's bottleneck.

[^1]: Port operators' figures for 2023.
"""
CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" width="400" height="160">'
    '<rect width="60" height="20" fill="#0b5c8e"/><text x="2" y="35">Aktau</text></svg>\n'
)


def pdf_site(tmp_path: Path) -> Path:
    text = briefing(
        "Caspian ports race to keep up",
        "2024-08-26",
        BODY,
        authors="[Giorgi Beridze]",
        topics="[kazakhstan, middle-corridor]",
        key_points='["Ports are the pacing item", "A falling sea adds to the strain"]',
        sources='[{title: "Port of Aktau annual report", url: "https://port.example/report"}]',
        updated="2024-09-02",
    )
    return make_site(
        tmp_path,
        {"content/2024/ports/index.md": text, "content/2024/ports/chart.svg": CHART},
        config=PDF_CONFIG,
    )


def read_pdf(path: Path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def test_issue_19_pdf_has_title_text_sources_citation_and_a4_pages(tmp_path):
    root = pdf_site(tmp_path)
    result = build_site(root, search=False)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    pdf = root / "site/briefings/ports/ports.pdf"
    reader, text = read_pdf(pdf)
    assert reader.metadata.title == "Caspian ports race to keep up"
    assert reader.metadata.author == "Giorgi Beridze"
    assert reader.metadata["/CreationDate"].startswith("D:20240826")
    assert reader.metadata["/ModDate"].startswith("D:20240902")
    flat = " ".join(text.split())
    for expected in (
        "Caspian ports race to keep up",
        "Giorgi Beridze",
        "26 August 2024",
        "Ports are the pacing item",  # the key points box
        "Cargo through the Caspian ports",  # the figure's caption
        "Port operators' figures for 2023",  # the footnote
        "Port of Aktau annual report",  # sources
        "Cite this briefing",
        "https://example.org/briefings/ports/",  # the canonical URL
    ):
        assert expected in flat, expected
    assert "Download PDF" not in flat and "Skip to content" not in flat
    assert 1 <= len(reader.pages) <= 3
    for p in reader.pages:
        size = (float(p.mediabox.width), float(p.mediabox.height))
        assert size == pytest.approx(A4, abs=1)
    # linked from the page and the API
    assert 'href="/briefings/ports/ports.pdf"' in page(root, "briefings/ports/index.html")
    row = read_json(root, "api/briefings.json")["briefings"][0]
    assert row["pdf"] == "https://example.org/briefings/ports/ports.pdf"


def test_issue_19_pdfs_are_byte_stable_and_cached_by_content(tmp_path):
    root = pdf_site(tmp_path / "a")
    first = build_site(root, search=False)
    assert first.pdfs_made == 1
    data = (root / "site/briefings/ports/ports.pdf").read_bytes()
    # a clean build in a fresh process, without the cache: the same bytes
    other = pdf_site(tmp_path / "b")
    code = (
        "import sys, pathlib; from conftest import build_site; "
        "assert build_site(pathlib.Path(sys.argv[1]), search=False).ok"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    subprocess.run([sys.executable, "-c", code, str(other)], check=True, env=env, timeout=300)
    assert (other / "site/briefings/ports/ports.pdf").read_bytes() == data
    # a rebuild with the cache (here: after a config edit) lays nothing out again ...
    (root / "briefgen.yaml").write_text(PDF_CONFIG + "description: Ports.\n", encoding="utf-8")
    again = build_site(root, search=False)
    assert again.ok and again.pdfs_made == 0
    # ... unless the briefing changed
    path = root / "content/2024/ports/index.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    changed = build_site(root, search=False)
    assert changed.pdfs_made == 1
    assert "One more line." in " ".join(
        read_pdf(root / "site/briefings/ports/ports.pdf")[1].split()
    )


def test_issue_19_dev_server_and_pdf_false_make_no_pdf(tmp_path):
    root = pdf_site(tmp_path)
    result = build_site(root, search=False, options=serve_options())
    assert result.ok and result.pdfs_made == 0
    assert not (root / "site/briefings/ports/ports.pdf").exists()
    assert "ports.pdf" not in page(root, "briefings/ports/index.html")
    off = make_site(tmp_path / "off", {"content/a.md": briefing("A")})
    assert build_site(off, search=False).diagnostics == ()
    assert not list((off / "site").rglob("*.pdf"))


def test_issue_19_pdf_true_without_weasyprint_is_a_clear_note(tmp_path):
    """A WeasyPrint that cannot start (as without its Pango libraries): one warning with
    the fix, no PDF, no link to one."""
    root = make_site(tmp_path, {"content/a.md": briefing("A")}, config=PDF_CONFIG)
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "weasyprint.py").write_text("raise OSError('cannot load library pango')\n")
    script = Path(sys.executable).with_name("briefgen")
    env = {**os.environ, "PYTHONPATH": str(fake)}
    proc = subprocess.run(
        [str(script), "build"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert (
        "warning: `pdf: true` but WeasyPrint is not installed or cannot start: no PDFs "
        "were made [pdf-unavailable]" in out
    )
    assert "pip install 'briefgen[pdf]'" in out
    assert not list((root / "site").rglob("*.pdf"))
    assert ".pdf" not in page(root, "briefings/a/index.html")


@pytest.mark.slow
def test_issue_19_example_briefings_print_on_one_to_three_a4_pages(tmp_path):
    """The example's English edition as a site of its own, with `pdf: true` (PDFs are not
    made for a multilingual site yet, so the bilingual example has them off)."""
    root = english_example(tmp_path / "example", pdf=True)
    result = build_site(root, search=False)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    pdfs = sorted((root / "site/briefings").glob("*/*.pdf"))
    slugs = {p.parent.name for p in pdfs if p.stem == p.parent.name}
    assert slugs == {e.briefing.slug for e in result.site.briefings}
    for path in pdfs:
        if path.stem != path.parent.name:
            continue  # a briefing's own attachment
        reader, text = read_pdf(path)
        assert 1 <= len(reader.pages) <= 3, path
        title = result.site.by_slug[path.stem].briefing.title
        assert reader.metadata.title == title
        assert "Cite this briefing" in text
    corrected = read_pdf(
        root / "site/briefings/kazakhstan-oil-export-routes/kazakhstan-oil-export-routes.pdf"
    )[1]
    assert "Correction" in corrected
