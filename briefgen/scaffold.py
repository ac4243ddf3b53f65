"""`briefgen init` and `briefgen new`: write starter files, never overwrite.

Owns: the starter site (copied from the theme's scaffold/) and new-briefing front matter.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from briefgen.diagnostics import Diagnostic, error
from briefgen.load.registry import load_registry
from briefgen.slug import slugify
from briefgen.templatedirs import theme_dir


def init_site(folder: Path) -> list[Diagnostic]:
    scaffold = theme_dir() / "scaffold"
    if folder.exists() and any(folder.iterdir()):
        return [
            error(
                "init-not-empty",
                f"`{folder}` exists and is not empty",
                str(folder),
                0,
                "choose a new folder name",
            )
        ]
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(scaffold.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(scaffold)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return []


def new_briefing(
    root: Path,
    title: str,
    topics: list[str],
    kind: str = "brief",
    authors: list[str] | None = None,
    today: dt.date | None = None,
) -> tuple[Path | None, list[Diagnostic]]:
    today = today or dt.date.today()
    registry, _ = load_registry(root / "topics.yaml", "topics.yaml")
    ids, problems = [], []
    for name in topics:
        topic_id = registry.resolve(name)
        if topic_id is None:
            problems.append(
                error(
                    "unknown-topic",
                    f"unknown topic `{name}`",
                    "topics.yaml",
                    0,
                    "see topics.yaml for the ids",
                )
            )
        else:
            ids.append(topic_id)
    if problems:
        return None, problems
    path = root / "content" / str(today.year) / f"{slugify(title)}.md"
    if path.exists():
        return None, [
            error(
                "new-exists",
                "a briefing with this name already exists",
                path.relative_to(root).as_posix(),
                0,
                "choose another title",
            )
        ]
    front = {
        "title": title,
        "date": today.isoformat(),
        "authors": authors or [],
        "topics": ids,
        "type": kind,
    }
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n"
    text += "Write the briefing here. Open with the point; the summary is made for you.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, []
