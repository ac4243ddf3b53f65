"""`briefgen init` and `briefgen new`: write starter files, never overwrite.

Owns: the starter site (copied from the theme's scaffold/) and new-briefing front matter.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen.config import CONFIG_FILE, load_config
from briefgen.diagnostics import Diagnostic, closest, error
from briefgen.load.dates import parse_date
from briefgen.load.placeholders import PLACEHOLDER
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


@dataclass(frozen=True, slots=True)
class NewBriefing:
    """What `briefgen new` was asked for."""

    title: str
    topics: tuple[str, ...] = ()
    kind: str = "brief"
    authors: tuple[str, ...] = ()
    date: str = ""  # YYYY-MM-DD or an ISO 8601 date-time; "" for today
    slug: str = ""  # "" for one made from the title
    draft: bool = True


def find_site(start: Path) -> Path | None:
    """The nearest folder at or above `start` with a briefgen.yaml (None: not in a site)."""
    start = start.absolute()
    return next((d for d in (start, *start.parents) if (d / CONFIG_FILE).is_file()), None)


def new_briefing(
    root: Path, spec: NewBriefing, today: dt.date | None = None
) -> tuple[Path | None, list[Diagnostic]]:
    """Write `content/<year>/<slug>.md` with front matter and the placeholder body; never
    replaces a file, and refuses a slug another briefing of the site already has."""
    config, _ = load_config(root)
    registry, _ = load_registry(config.root / config.topics_file, config.topics_file)
    ids, problems = [], []
    for name in spec.topics:
        topic_id = registry.resolve(name)
        if topic_id is None:
            guess = closest(name, registry.lookup)
            hint = f"did you mean `{registry.lookup[guess]}`?" if guess else "see topics.yaml"
            problems.append(
                error("unknown-topic", f"unknown topic `{name}`", config.topics_file, 0, hint)
            )
        elif topic_id not in ids:
            ids.append(topic_id)
    if problems:
        return None, problems
    when = parse_date(spec.date)[0] if spec.date else None
    year = when.year if when else (today or dt.date.today()).year
    slug = spec.slug or slugify(spec.title)
    path = config.content_path / str(year) / f"{slug}.md"
    taken = _slug_taken(config.content_path, slug)
    if taken is not None:
        rel = taken.relative_to(config.root).as_posix()
        return None, [
            error(
                "new-exists",
                f"a briefing with the slug `{slug}` already exists",
                rel,
                0,
                "choose another title, or give --slug",
            )
        ]
    front: dict[str, object] = {
        "title": spec.title,
        "date": spec.date or (today or dt.date.today()),
        "authors": list(spec.authors),
        "topics": ids,
        "type": spec.kind,
        "draft": spec.draft,
    }
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n"
    text += PLACEHOLDER + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never replace a file
            file.write(text)
    except FileExistsError:
        rel = path.relative_to(config.root).as_posix()
        return None, [
            error(
                "new-exists",
                "a file with this name already exists",
                rel,
                0,
                "choose another title, or give --slug",
            )
        ]
    return path, []


def _slug_taken(content: Path, slug: str) -> Path | None:
    """A source file whose slug (from its name) is `slug`: `x.md` or `x/index.md`."""
    if not content.is_dir():
        return None
    for path in sorted(content.rglob("*.md")):
        stem = path.parent.name if path.stem in ("index", "_index") else path.stem
        if stem.split(".", 1)[0] == slug:  # x.md, x/index.md, a translation x.ru.md
            return path
    return None
