"""`python -m benchmarks.quality.agreement`: the two topic labelling passes, side by side.

gold.yaml is the first pass (the benchmark's reference), gold_second.yaml the second,
made independently. Prints Cohen's kappa over every (briefing, registry topic) decision,
the second pass scored against the first as if it were a system, briefgen against each
pass, and every disagreement.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from benchmarks.quality.score import HERE, evaluate, load_gold, load_registry_, prf

SECOND = HERE / "gold_second.yaml"


def load_second(path: Path = SECOND) -> dict[str, set[str]]:
    return {k: set(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


def kappa(first: dict[str, set[str]], second: dict[str, set[str]], topics: int) -> float:
    """Cohen's kappa over every (briefing, topic) yes/no decision of the two passes."""
    n = len(first) * topics
    both = sum(len(first[f] & second[f]) for f in first)
    only = sum(len(first[f] ^ second[f]) for f in first)
    agree = (n - only) / n
    p1 = sum(map(len, first.values())) / n
    p2 = sum(map(len, second.values())) / n
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0 if both else 0.0


def agreement() -> dict:
    first = {f: set(v["topics"]) for f, v in load_gold().items()}
    second = load_second()
    assert set(first) == set(second), sorted(set(first) ^ set(second))
    result = evaluate()
    pred = {f: set(result["reasons"][f]) for f in first}
    return {
        "kappa": kappa(first, second, len(load_registry_().topics)),
        "second_vs_first": prf(first, second),
        "briefgen_vs_first": prf(first, pred),
        "briefgen_vs_second": prf(second, pred),
        "briefgen_vs_both": prf({f: first[f] & second[f] for f in first}, pred),
        "disagreements": {
            f: (sorted(first[f] - second[f]), sorted(second[f] - first[f]))
            for f in sorted(first)
            if first[f] != second[f]
        },
    }


def report(result: dict) -> str:
    lines = [f"Cohen's kappa, first pass vs second: {result['kappa']:.3f}", ""]
    lines.append(f"  {'':<26} {'microP':>7} {'microR':>7} {'microF1':>7}")
    for key in ("second_vs_first", "briefgen_vs_first", "briefgen_vs_second", "briefgen_vs_both"):
        m = result[key]
        label = key.replace("_vs_", " vs ").replace("both", "both passes agree")
        lines.append(f"  {label:<26} {m['micro_p']:7.3f} {m['micro_r']:7.3f} {m['micro_f1']:7.3f}")
    lines += ["", "Disagreements (only in the first pass | only in the second)"]
    for name, (first_only, second_only) in result["disagreements"].items():
        lines.append(f"  {name}: {', '.join(first_only) or '-'} | {', '.join(second_only) or '-'}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(agreement()))
