"""Summaries on real text no one here wrote: the eval-dev news stories (issue 17).

Reads `shared/eval-dev/cnndm/` (found beside the repository or one of its parents, or at
$BRIEFGEN_EVAL_DEV), never writes there and never copies its text anywhere. Each story's
`reference_summary` is removed from the front matter before briefgen reads the file, so the
summariser never sees the answer.

The stories are split once, up front, by a hash of the story id: "tune" is the half used
while developing the summariser, "check" the half kept out of sight and only reported. A
method must win on both.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen.load.briefing import read_briefing
from briefgen.model import Briefing, Registry

SPLITS = ("tune", "check")
# A small fixed slice of the "tune" split for the CI floor (tests/test_quality_dev.py): from
# "tune", so that a failing floor never tells anyone about the held-out half.
SLICE = 30
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Story:
    name: str  # file name in cnndm/
    story_id: str
    split: str  # "tune" | "check"
    briefing: Briefing
    reference: str


def eval_dev_dir(start: Path | None = None) -> Path | None:
    """`shared/eval-dev`, from $BRIEFGEN_EVAL_DEV or the first parent that has it."""
    env = os.environ.get("BRIEFGEN_EVAL_DEV")
    if env:
        return Path(env) if (Path(env) / "cnndm").is_dir() else None
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "eval-dev"
        if (candidate / "cnndm").is_dir():
            return candidate
    return None


def split_of(story_id: str) -> str:
    """Fixed by the id alone, decided before any tuning: half the stories each way."""
    digest = hashlib.sha256(f"briefgen-dev-split:{story_id}".encode()).digest()
    return SPLITS[digest[0] & 1]


def without_reference(raw: str) -> tuple[str, str, str]:
    """(the file with `reference_summary` removed, the reference, the story id)."""
    match = _FRONT.match(raw)
    if match is None:
        raise ValueError("no front matter")
    meta = yaml.safe_load(match.group(1))
    reference = str(meta.pop("reference_summary"))
    story_id = str(meta.get("cnndm_id", ""))
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
    return f"---\n{front}---\n{raw[match.end() :]}", reference, story_id


def load_stories(
    registry: Registry, root: Path | None = None, splits: Iterable[str] = SPLITS
) -> list[Story]:
    """Every story of the wanted splits, in file order."""
    base = root or eval_dev_dir()
    if base is None:
        raise FileNotFoundError("shared/eval-dev/cnndm not found (set BRIEFGEN_EVAL_DEV)")
    wanted = set(splits)
    stories = []
    for path in sorted((base / "cnndm").glob("*.md")):
        text, reference, story_id = without_reference(path.read_text(encoding="utf-8"))
        split = split_of(story_id)
        if split not in wanted:
            continue
        briefing, diags = read_briefing(path.name, text.encode(), registry)
        if briefing is None:
            raise RuntimeError(f"{path.name}: {[d.format() for d in diags]}")
        stories.append(Story(path.name, story_id, split, briefing, reference))
    return stories


def fixed_slice(stories: list[Story], size: int = SLICE) -> list[Story]:
    """The first `size` stories of the tune split in file order: the CI slice."""
    return [s for s in stories if s.split == "tune"][:size]
