"""Issue 3: an incremental rebuild (as the dev server does it) equals a clean full build.

Each step edits the example site, rebuilds on top of the previous result in place, then
builds the same sources from scratch (no previous result, no cache) into another folder;
the two output trees must be byte-identical.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, tree

from briefgen.config import load_config
from briefgen.pipeline import build


def copy_example(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    for name in ("topics.yaml", "briefgen.yaml"):
        shutil.copy(REPO / name, root / name)
    return root


def edit_body(root: Path) -> None:
    path = root / "content/2024/caspian-ports-capacity.md"
    path.write_text(path.read_text() + "\nAktau added a new berth for Kazakhstan's grain.\n")


def edit_title(root: Path) -> None:
    path = root / "content/2022/borrell-samarkand.md"
    text = path.read_text().replace("takes the connectivity pitch", "carries the pitch", 1)
    path.write_text(text)


def change_topics(root: Path) -> None:
    path = root / "content/2023/xian-summit-china-central-asia.md"
    text = path.read_text()
    path.write_text(text.replace("topics:", "topics_auto: false\ntopics:", 1))


def delete_one(root: Path) -> None:
    (root / "content/2024/kallas-succeeds-borrell.md").unlink()


def rename_one(root: Path) -> None:
    src = root / "content/2023/middle-corridor-studies-price-tag.md"
    src.rename(root / "content/2023/corridor-studies.md")


def add_one(root: Path) -> None:
    (root / "content/2025/new-note.md").write_text(
        "---\ntitle: A new note on the Middle Corridor\ndate: 2025-07-01\n"
        "topics: [middle-corridor, kazakhstan]\n---\n\n"
        "The Middle Corridor gained a new ferry line from Kazakhstan to Azerbaijan. "
        "Kazakhstan expects cargo on the Middle Corridor to rise again next year.\n"
    )


def edit_registry(root: Path) -> None:
    path = root / "topics.yaml"
    path.write_text(path.read_text().replace("name: Kazakhstan", "name: Republic of Kazakhstan"))


STEPS: list[Callable[[Path], None]] = [
    edit_body, edit_title, change_topics, delete_one, rename_one, add_one, edit_registry,
]


def full_build(root: Path, out: Path) -> dict[str, bytes]:
    config, _ = load_config(root, {"serve_mode": True, "drafts": True, "output_dir": str(out)})
    shutil.rmtree(out, ignore_errors=True)
    result = build(config, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return tree(out)


@pytest.mark.slow
def test_issue_3_incremental_rebuilds_equal_a_clean_build(tmp_path):
    root = copy_example(tmp_path)
    live = tmp_path / "live"
    config, _ = load_config(root, {"serve_mode": True, "drafts": True, "output_dir": str(live)})
    previous = build(config, in_place=True)
    assert previous.ok
    for step in STEPS:
        step(root)
        previous = build(config, previous, in_place=True)
        assert previous.ok, (step.__name__, [d.format() for d in previous.diagnostics])
        assert previous.rendered.rendered < len(previous.rendered.pages) or step is edit_registry
        assert tree(live) == full_build(root, tmp_path / "clean"), step.__name__
