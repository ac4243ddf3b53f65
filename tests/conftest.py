"""Shared test helpers: whole sites written inline (`make_site`) and built for real."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from briefgen.config import load_config
from briefgen.diagnostics import Diagnostic
from briefgen.options import BuildOptions
from briefgen.pipeline import BuildResult, build

REPO = Path(__file__).resolve().parents[1]

SMALL_TOPICS = """\
- id: central-asia
  name: Central Asia
  kind: region
  description: The five republics between the Caspian and China.
- id: kazakhstan
  name: Kazakhstan
  kind: country
  parent: central-asia
  signals: [Kazakh, Astana]
- id: uzbekistan
  name: Uzbekistan
  kind: country
  parent: central-asia
  signals: [Uzbek, Tashkent]
- id: eu
  name: European Union
  kind: organisation
  aliases: [EU, European Commission]
  signals: [Brussels]
- id: russia
  name: Russia
  kind: country
  signals: [Moscow, Kremlin, Russian]
- id: middle-corridor
  name: Middle Corridor
  kind: corridor
  aliases: [Trans-Caspian International Transport Route, TITR, Trans-Caspian route]
- id: caspian-sea
  name: Caspian Sea
  kind: region
  aliases: [Caspian]
- id: georgia
  name: Georgia
  kind: country
  context: [Tbilisi, Caucasus, Georgian]
"""


def make_site(
    root: Path,
    files: Mapping[str, str],
    *,
    topics: str | None = SMALL_TOPICS,
    config: str | None = "title: Test Desk\nbase_url: https://example.org/\n",
) -> Path:
    """Write a site: `files` maps paths (relative to root) to text (dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "briefgen.yaml").write_text(config, encoding="utf-8")
    if topics is not None:
        (root / "topics.yaml").write_text(topics, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def build_site(
    root: Path, *, write: bool = True, options: BuildOptions | None = None, **overrides: object
) -> BuildResult:
    """A build of `root` as `briefgen build` makes it (or `options`), always a real build:
    the up-to-date short cut belongs to the command (tested through the CLI)."""
    config, diags = load_config(root, overrides)
    options = replace(options or BuildOptions(), write=write)
    return build(config, options, config_diags=diags)


def briefing(
    title: str = "A briefing", date: str = "2024-05-01", body: str = "Text.", **front: object
) -> str:
    """Text of a briefing file with the given front matter."""
    lines = ["---", f'title: "{title}"', f"date: {date}"]
    for key, value in front.items():
        lines.append(f"{key}: {value}")
    lines += ["---", "", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


@pytest.fixture(autouse=True, scope="session")
def machine_key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache's signing key (briefgen.cache.machine_key) lives in a folder of the test
    session, never in the user's own cache folder; subprocess builds inherit it."""
    folder = tmp_path_factory.mktemp("machine-key")
    os.environ["BRIEFGEN_KEY_DIR"] = str(folder)
    return folder


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    return tmp_path / "site-src"


# --- helpers added for the core-build test suite -------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`: relative POSIX path -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def headline(diag: Diagnostic) -> str:
    """The `path:line: severity: message [code]` line of a diagnostic."""
    return diag.format().splitlines()[0]


def one(diags: Iterable[Diagnostic], code: str) -> Diagnostic:
    """The single diagnostic with `code`; fails listing all of them otherwise."""
    diags = list(diags)
    found = [d for d in diags if d.code == code]
    assert len(found) == 1, "\n".join(d.format() for d in diags) or "no diagnostics"
    return found[0]


def read_json(root: Path, rel: str) -> object:
    return json.loads((root / "site" / rel).read_text(encoding="utf-8"))


def page(root: Path, rel: str) -> str:
    """Text of an output file under root/site/."""
    return (root / "site" / rel).read_text(encoding="utf-8")


def english_example(dest: Path, **config: object) -> Path:
    """The example site's English edition as a one-language site of its own, at `dest`: no
    `*.ru.md`, no `languages:`, and series.yaml with its English words only (`config` keys
    are set in briefgen.yaml)."""
    import shutil

    import yaml

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", dest / "content", ignore=shutil.ignore_patterns("*.ru.md"))
    shutil.copy2(REPO / "topics.yaml", dest / "topics.yaml")
    english = lambda v: v.get("en", v) if isinstance(v, dict) else v  # noqa: E731
    series = yaml.safe_load((REPO / "series.yaml").read_text(encoding="utf-8"))
    series = [{k: english(v) for k, v in s.items()} for s in series]
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (dest / "series.yaml").write_text(dump(series), encoding="utf-8")
    site = yaml.safe_load((REPO / "briefgen.yaml").read_text(encoding="utf-8"))
    del site["languages"]
    (dest / "briefgen.yaml").write_text(dump({**site, **config}), encoding="utf-8")
    return dest
