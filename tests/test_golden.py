"""Golden site: tests/fixtures/golden/site/ built and compared file by file with expected/.

The fingerprinted stylesheet name (style.<hash>.css) is replaced by style.HASH.css in every
file and the stylesheet itself is left out, so theme CSS edits do not churn the golden tree;
briefgen's manifest is left out too (it only lists hashes of the other files).

After an intended change of output, regenerate, read the diff, and commit it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

from conftest import build_site, tree

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
EXPECTED = GOLDEN / "expected"
ASSET = re.compile(rb"(style|search)\.[0-9a-f]{8,64}\.(css|js)")
LEFT_OUT = re.compile(
    r"^(\.briefgen-manifest\.json|static/(style|search)\.[0-9a-f]{8,64}\.(css|js)|pagefind/.*)$"
)


def build_golden(tmp_path: Path) -> dict[str, bytes]:
    # Build a copy: the build writes a cache folder beside its sources.
    source = tmp_path / "golden-site"
    shutil.copytree(GOLDEN / "site", source)
    out = tmp_path / "out"
    result = build_site(source, output_dir=str(out))
    assert result.ok and result.diagnostics == (), [d.format() for d in result.diagnostics]
    files = tree(out)
    assert any(LEFT_OUT.match(p) for p in files if p.startswith("static/")), sorted(files)
    return {
        p: ASSET.sub(rb"\1.HASH.\2", data) for p, data in files.items() if not LEFT_OUT.match(p)
    }


def write_expected(files: dict[str, bytes]) -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for rel, data in files.items():
        path = EXPECTED / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def diff(rel: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(keepends=True),
        actual.decode("utf-8", "replace").splitlines(keepends=True),
        f"expected/{rel}",
        f"actual/{rel}",
        n=2,
    )
    return "".join(list(lines)[:60])


def test_golden_site(tmp_path):
    actual = build_golden(tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        write_expected(actual)
    expected = tree(EXPECTED)
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    assert (missing, extra) == ([], []), "file lists differ (UPDATE_GOLDEN=1 regenerates)"
    changed = [rel for rel in sorted(expected) if expected[rel] != actual[rel]]
    report = "\n".join(diff(rel, expected[rel], actual[rel]) for rel in changed[:5])
    assert changed == [], f"{len(changed)} files differ (UPDATE_GOLDEN=1 regenerates):\n{report}"


def test_golden_fixture_is_small_and_excludes_drafts():
    expected = tree(EXPECTED)
    assert 20 <= len(expected) <= 40
    assert "briefings/wip/index.html" not in expected
    assert not any(b"Unfinished" in data for data in expected.values())
