"""Russian topic detection on a labelled set (benchmarks/quality/russian.yaml).

Each passage is labelled with the topics it names in any inflected form; the registry is
benchmarks/quality/russian_topics.yaml (the example site's topics, in Russian). Reported:
precision and recall of the topics found by briefgen's matcher for Russian (stems), beside
the exact matcher (what a language without stems gets) as the baseline.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from briefgen.enrich.matcher import Matcher
from briefgen.load.registry import load_registry
from briefgen.localise.registry import localise_registry

HERE = Path(__file__).parent


def passages() -> list[tuple[str, set[str]]]:
    data = yaml.safe_load((HERE / "russian.yaml").read_text(encoding="utf-8"))
    return [(item["text"], set(item["topics"])) for item in data]


def _scores(found: list[set[str]], gold: list[set[str]]) -> tuple[float, float, int, int, int]:
    tp = sum(len(f & g) for f, g in zip(found, gold, strict=True))
    fp = sum(len(f - g) for f, g in zip(found, gold, strict=True))
    fn = sum(len(g - f) for f, g in zip(found, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def evaluate_russian() -> dict[str, tuple[float, float, int, int, int]]:
    registry, problems = load_registry(HERE / "russian_topics.yaml", "russian_topics.yaml")
    assert not problems, [p.format() for p in problems]
    registry = localise_registry(registry, "ru", "en")
    items = passages()
    gold = [g for _, g in items]
    out = {}
    for label, lang in (("briefgen (stems)", "ru"), ("exact names", "xx")):
        matcher = Matcher(registry, lang)
        found = [{h.topic for h in matcher.find(text)} for text, _ in items]
        out[label] = _scores(found, gold)
    return out


def russian_report(results: dict[str, tuple[float, float, int, int, int]]) -> str:
    lines = [
        f"Russian topic detection: {len(passages())} labelled passages "
        "(benchmarks/quality/russian.yaml)",
        f"  {'matcher':<18} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for label, (p, r, tp, fp, fn) in results.items():
        lines.append(f"  {label:<18} {p:>9.3f} {r:>7.3f} {tp:>4} {fp:>4} {fn:>4}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(russian_report(evaluate_russian()))
