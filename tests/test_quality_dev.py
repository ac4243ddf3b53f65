"""Issue 17: a regression floor for summaries on real text no one here wrote.

A fixed slice of the eval-dev news stories (`shared/eval-dev/cnndm`, read-only, found beside
the repository; see benchmarks/quality/dev.py). The slice comes from the "tune" split, so a
failing floor says nothing about the held-out half. The whole table, both splits, is
`python -m benchmarks.quality`.
"""

from __future__ import annotations

import pytest

from benchmarks.quality.dev import eval_dev_dir, fixed_slice, load_stories, split_of
from benchmarks.quality.score import evaluate_dev, load_registry_

pytestmark = pytest.mark.skipif(eval_dev_dir() is None, reason="shared/eval-dev not found")

MARGIN = 0.01
# measured 2026-12-03 on the 30-story slice (pool of 20 sentences): briefgen 0.2911 / 0.1932,
# the best baseline (Lead-3) 0.2816 / 0.1864
FLOOR = {"rouge1": 0.2911, "rougeL": 0.1932}


@pytest.fixture(scope="module")
def part() -> dict:
    stories = fixed_slice(load_stories(load_registry_(), splits=["tune"]))
    return evaluate_dev(("tune",), stories)["tune"]


def test_issue_17_slice_is_fixed(part: dict) -> None:
    assert part["stories"] == 30


@pytest.mark.parametrize("metric", sorted(FLOOR))
def test_issue_17_dev_slice_rouge_floor(part: dict, metric: str) -> None:
    assert part["rouge"]["briefgen"][metric] >= FLOOR[metric] - MARGIN


@pytest.mark.parametrize("metric", sorted(FLOOR))
def test_issue_17_dev_slice_beats_every_baseline(part: dict, metric: str) -> None:
    best, gap = part["margins"][metric]
    assert gap > 0, f"{best} beats briefgen on {metric} by {-gap:.4f}"


def test_issue_17_dev_summaries_are_whole_sentences_and_do_not_dangle(part: dict) -> None:
    assert part["checks"] == {}, part["checks"]


def test_issue_17_dev_summaries_are_dek_length(part: dict) -> None:
    assert 25 <= part["words"] <= 45


def test_issue_17_split_is_by_story_id_alone() -> None:
    assert split_of("00716be72be8cf48cc23ac3b4b8924e569628be2") == split_of(
        "00716be72be8cf48cc23ac3b4b8924e569628be2"
    )
    assert {split_of(f"{i:040x}") for i in range(20)} == {"tune", "check"}
