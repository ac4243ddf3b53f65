"""`python -m benchmarks.quality.cv`: 2-fold cross-validation of the summariser inside "tune".

The tune split's stories are halved once by a hash of the story id (a different hash from
the tune/check split's). The word model (salience.py) is fitted on one half and the other
half summarised with it, then the other way round, so every story is scored by a model that
never saw it. Printed: briefgen's mean ROUGE-1 and ROUGE-L F1 over the tune split, each with
its margin over the best baseline and the paired standard error of that margin (the spread
of the per-story differences over the square root of their number).

It reads the "check" split never: a choice made from this number is a choice made on tune.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from rouge_score import rouge_scorer

from benchmarks.quality.dev import Story, load_stories
from benchmarks.quality.fit import fit, samples_of
from benchmarks.quality.score import BASELINES, baselines, load_registry_
from briefgen.enrich.summary import summarize

METRICS = ("rouge1", "rougeL")


def fold_of(story: Story) -> int:
    return hashlib.sha256(f"briefgen-cv:{story.story_id}".encode()).digest()[0] & 1


def scores(stories: Sequence[Story]) -> dict[str, dict[str, tuple[float, ...]]]:
    """Story -> system -> (ROUGE-1, ROUGE-L) F1; briefgen with the other half's model."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    out: dict[str, dict[str, tuple[float, ...]]] = {}
    for fold in (0, 1):
        model = fit(*samples_of([s for s in stories if fold_of(s) != fold]))
        for story in (s for s in stories if fold_of(s) == fold):
            texts = {"briefgen": summarize(story.briefing, model)[0], **baselines(story.briefing)}
            out[story.name] = {
                system: tuple(v.fmeasure for v in scorer.score(story.reference, text).values())
                for system, text in texts.items()
            }
    return out


def report(per: dict[str, dict[str, tuple[float, ...]]]) -> str:
    n = len(per)
    lines = [f"2-fold cross-validation inside the tune split: {n} stories, ROUGE F1"]
    for m, metric in enumerate(METRICS):
        mean = {s: math.fsum(p[s][m] for p in per.values()) / n for s in ("briefgen", *BASELINES)}
        best = max(BASELINES, key=mean.__getitem__)
        diffs = [p["briefgen"][m] - p[best][m] for p in per.values()]
        gap = math.fsum(diffs) / n
        se = math.sqrt(math.fsum((d - gap) ** 2 for d in diffs) / (n - 1) / n)
        lines.append(
            f"  {metric:<7} briefgen {mean['briefgen']:.4f}  {best} {mean[best]:.4f}  "
            f"margin {gap:+.4f} (paired SE {se:.4f})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(scores(load_stories(load_registry_(), splits=["tune"]))))
