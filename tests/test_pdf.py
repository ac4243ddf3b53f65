"""Issue 19: a PDF of every briefing, made by WeasyPrint (the `pdf` extra) from the print
stylesheet, read back with pypdf. Skipped only where WeasyPrint cannot be imported; CI
installs it (.ci/run), so there a missing WeasyPrint fails instead."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, briefing, build_site, make_site, page, read_json

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
    """The example site as it ships (English and Russian, `pdf: true`): every briefing of
    each edition gets its PDF, the Russian ones in Russian (issue 18)."""
    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    for name in ("briefgen.yaml", "topics.yaml", "series.yaml"):
        shutil.copy2(REPO / name, root / name)
    result = build_site(root, search=False)
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    ru_site = next(s for s in result.sites if s.config.language == "ru")
    for folder, site, cite in (
        ("", result.site, "Cite this briefing"),
        ("ru/", ru_site, "Как цитировать"),
    ):
        pdfs = sorted((root / "site" / folder / "briefings").glob("*/*.pdf"))
        slugs = {p.parent.name for p in pdfs if p.stem == p.parent.name}
        assert slugs == {e.briefing.slug for e in site.briefings}
        for path in pdfs:
            if path.stem != path.parent.name:
                continue  # a briefing's own attachment
            reader, text = read_pdf(path)
            assert 1 <= len(reader.pages) <= 3, path
            title = site.by_slug[path.stem].briefing.title
            assert reader.metadata.title == title
            assert cite in text and title.split()[0] in text, path
            assert f'href="/{folder}briefings/{path.stem}/{path.name}"' in page(
                root, f"{folder}briefings/{path.stem}/index.html"
            )
    corrected = read_pdf(
        root / "site/briefings/kazakhstan-oil-export-routes/kazakhstan-oil-export-routes.pdf"
    )[1]
    assert "Correction" in corrected
    assert len(list((root / "site/ru/briefings").glob("*/*.pdf"))) >= 6


BILINGUAL_PDF = """\
title: Test Desk
base_url: https://example.org/
pdf: true
languages:
  - code: en
  - code: ru
    title: Тестовый отдел
"""
PORTS_RU = briefing(
    "Каспийские порты не успевают",
    "2024-08-26",
    "Порты Актау и Курык принимают всё больше грузов Среднего коридора.",
    authors="[Георгий Беридзе]",
    key_points='["Порты задают темп"]',
)


@pytest.mark.parametrize("host", ["prefix", "own-host"])
def test_issue_18_each_edition_gets_its_pdfs_in_its_language(tmp_path, host):
    """A multilingual site makes every edition's PDFs from that edition's pages: the
    Russian one in Russian, with the print stylesheet found at the site's shared /static/
    (or the edition's own, on a host of its own), linked from the Russian page and API."""
    config = BILINGUAL_PDF
    ru_base = "https://example.org/ru/"
    if host == "own-host":
        config += "    base_url: https://ru.example.org/\n"
        ru_base = "https://ru.example.org/"
    files = {
        "content/2024/ports/index.md": pdf_site(tmp_path / "en")
        .joinpath("content/2024/ports/index.md")
        .read_text(encoding="utf-8"),
        "content/2024/ports/chart.svg": CHART,
        "content/2024/ports/index.ru.md": PORTS_RU,
        "content/2024/only-ru.md": briefing(
            "Только по-русски", "2024-09-01", "Короткий текст.", lang="ru"
        ),
    }
    root = make_site(tmp_path / "site-src", files, config=config)
    result = build_site(root, search=False)
    # (the link check does not yet resolve an own host's root-relative links: its
    # broken-link warnings there are not about PDFs)
    diags = [d for d in result.diagnostics if host == "prefix" or "[pdf" in d.format()]
    assert result.ok and diags == [], [d.format() for d in result.diagnostics]
    assert result.pdfs_made == 3
    _, english = read_pdf(root / "site/briefings/ports/ports.pdf")
    assert "Caspian ports race to keep up" in english and "Cite this briefing" in english
    reader, text = read_pdf(root / "site/ru/briefings/ports/ports.pdf")
    flat = " ".join(text.split())
    assert reader.metadata.title == "Каспийские порты не успевают"
    for expected in (
        "Каспийские порты не успевают",
        "Порты Актау и Курык",
        "Порты задают темп",
        "26 августа 2024",
        "Как цитировать",
        f"{ru_base}briefings/ports/",
    ):
        assert expected in flat, expected
    # the print stylesheet was found: the download link and skip link are hidden
    assert "Скачать PDF" not in flat and "К содержанию" not in flat
    assert "Cite this briefing" not in flat
    assert (root / "site/ru/briefings/only-ru/only-ru.pdf").is_file()
    assert not (root / "site/briefings/only-ru").exists()
    ru_page = page(root, "ru/briefings/ports/index.html")
    assert 'href="/ru/briefings/ports/ports.pdf"' in ru_page or (
        host == "own-host" and 'href="/briefings/ports/ports.pdf"' in ru_page
    )
    row = read_json(root, "ru/api/briefings.json")["briefings"]
    assert {r["slug"]: r["pdf"] for r in row}["ports"] == f"{ru_base}briefings/ports/ports.pdf"
