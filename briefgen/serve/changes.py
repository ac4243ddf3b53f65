"""Sort changed source paths into kinds; anything else is not the site's business.

Owns: which paths the dev server watches and what a change to each one means (after Zola's
`ChangeKind`). Must not: touch the file system beyond `is_dir`, or build anything.

  CONFIG     briefgen.yaml (or --config FILE) and the --env overlay: read the config again
  TOPICS     topics.yaml
  CONTENT    content/**.md, folders, bundled files; authors.yaml, series.yaml
  TEMPLATES  templates/ (not static)
  STYLE      static/**.css
  STATIC     other static files
Every kind rebuilds on the last build's state; which outputs each kind may reach and what
it makes stale is declared in briefgen/deps.py (ChangeKind lives there), not here.
Hidden, swap, backup and temp files (load.discover.is_ignored) and the output folder are
never changes. Whether browsers reload or only restyle is decided from what the build
wrote, not from here (rebuild.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import CONFIG_FILE, SiteConfig
from briefgen.deps import ChangeKind
from briefgen.load.discover import DESK_FILES, is_ignored


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    path: Path


@dataclass(frozen=True, slots=True)
class WatchSet:
    """The sources of one configuration, as absolute paths."""

    root: Path
    configs: tuple[Path, ...]  # the config files the build read (base, then overlay)
    topics: Path
    content: Path
    templates: Path
    static: Path
    output: Path

    def folders(self) -> list[tuple[Path, bool]]:
        """(folder, recursive) pairs to hand to the file watcher; only folders that exist.

        The root is watched on its own (not recursively: it holds the output folder, .git and
        perhaps a virtualenv) so that briefgen.yaml, topics.yaml and a newly created
        content/, templates/ or static/ folder are seen.
        """
        wanted = [(self.root, False), (self.topics.parent, False)]
        wanted += [(config.parent, False) for config in self.configs]
        wanted += [(self.content, True), (self.templates, True), (self.static, True)]
        seen: dict[Path, bool] = {}
        for folder, recursive in wanted:
            if folder.is_dir():
                seen[folder] = seen.get(folder, False) or recursive
        return sorted(seen.items())


def watch_set(config: SiteConfig) -> WatchSet:
    root = config.root.absolute()
    return WatchSet(
        root=root,
        configs=tuple(Path(p) for p in config.config_files) or (root / CONFIG_FILE,),
        topics=root / config.topics_file,
        content=root / config.content_dir,
        templates=root / "templates",
        static=root / "static",
        output=config.output_path.absolute(),
    )


def classify(path: Path, watch: WatchSet, *, is_dir: bool = False) -> ChangeKind | None:
    """The kind of change a write to `path` is, or None when it cannot affect the site."""
    path = path.absolute()
    if path in watch.configs:  # --config FILE may live outside the site
        return ChangeKind.CONFIG
    if _under(path, watch.output) or not _under(path, watch.root):
        return None
    if any(is_ignored(part) for part in path.relative_to(watch.root).parts):
        return None  # hidden files, editor swap/backup files, temp files of atomic saves
    if path == watch.topics:
        return ChangeKind.TOPICS
    if path.parent == watch.root and path.name in DESK_FILES:  # read by every build
        return ChangeKind.CONTENT
    for static in (watch.static, watch.templates / "static"):
        if _under(path, static):
            return ChangeKind.STYLE if path.suffix == ".css" else ChangeKind.STATIC
    if _under(path, watch.templates):
        return ChangeKind.TEMPLATES
    if _under(path, watch.content):
        # A folder moved or deleted takes its briefings with it; any other file may be a
        # briefing's image or attachment (issue 16: page bundles).
        return ChangeKind.CONTENT
    return None


def kinds(changes: Iterable[Change]) -> frozenset[ChangeKind]:
    return frozenset(c.kind for c in changes)


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
