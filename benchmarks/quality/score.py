"""Quality benchmark for briefgen's auto summaries and topic detection (issue 5).

Compares briefgen against an editor's gold labels (gold.yaml) on the corpus in corpus/:
ROUGE-1/2/L F1 of the auto summary against Lead-2 and a plain TextRank baseline, and
micro/macro precision/recall/F1 of detected topics against an "any mention" baseline.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from pathlib import Path

import yaml
from rouge_score import rouge_scorer

from briefgen.enrich.matcher import Matcher
from briefgen.enrich.sentences import split_sentences
from briefgen.enrich.summary import summarize
from briefgen.enrich.topics import detect_topics
from briefgen.load.briefing import read_briefing
from briefgen.load.registry import load_registry
from briefgen.model import Briefing, Registry

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
GOLD = HERE / "gold.yaml"
TOPICS = HERE / "topics.yaml"
ROUGE = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("briefgen", "lead2", "textrank")
DANGLING = re.compile(
    r"^[\"“‘']?(this|that|these|those|it|its|he|she|they|them|their|his|her|such|there)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")


def load_gold() -> dict[str, dict]:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))


def load_registry_() -> Registry:
    return load_registry(TOPICS, "topics.yaml")[0]


def load_briefings(registry: Registry, files: list[str]) -> dict[str, Briefing]:
    out = {}
    for name in files:
        briefing, diags = read_briefing(name, (CORPUS / name).read_bytes(), registry)
        if briefing is None:
            raise RuntimeError(f"{name}: {diags}")
        out[name] = briefing
    return out


# ------------------------------------------------------------------ summary baselines


def body_sentences(briefing: Briefing) -> list[str]:
    return [s for b in briefing.doc.blocks if b.kind == "p" for s in split_sentences(b.text)]


def lead2(briefing: Briefing) -> str:
    return " ".join(body_sentences(briefing)[:2])


def _bag(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if len(w) > 2)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def pagerank(weights: list[list[float]], damping: float = 0.85, iters: int = 100) -> list[float]:
    """Power-iteration PageRank over a weighted, undirected graph (adjacency matrix)."""
    n = len(weights)
    if not n:
        return []
    out_sum = [sum(row) for row in weights]
    rank = [1.0 / n] * n
    for _ in range(iters):
        dangling = sum(rank[i] for i in range(n) if not out_sum[i]) / n
        new = [
            (1 - damping) / n
            + damping
            * (dangling + sum(rank[j] * weights[j][i] / out_sum[j] for j in range(n) if out_sum[j]))
            for i in range(n)
        ]
        if sum(abs(a - b) for a, b in zip(new, rank, strict=True)) < 1e-9:
            return new
        rank = new
    return rank


def textrank(briefing: Briefing, count: int = 2) -> str:
    sentences = body_sentences(briefing)
    bags = [_bag(s) for s in sentences]
    n = len(sentences)
    weights = [[0.0 if i == j else _cosine(bags[i], bags[j]) for j in range(n)] for i in range(n)]
    scores = pagerank(weights)
    top = sorted(sorted(range(n), key=lambda i: (-scores[i], i))[:count])
    return " ".join(sentences[i] for i in top)


# ------------------------------------------------------------------ summary checks


def _norm(text: str) -> str:
    return " ".join(text.split())


def summary_checks(briefing: Briefing, summary: str) -> dict[str, bool]:
    """Rule violations of one summary (True = violated)."""
    prose = [_norm(s) for s in body_sentences(briefing)]
    other = [_norm(b.text) for b in briefing.doc.blocks if b.kind != "p"]
    picked = [_norm(s) for s in split_sentences(summary)]
    whole = all(s in prose for s in picked) and bool(picked)
    # also accept a summary that is exactly a run of whole body sentences
    if not whole:
        whole = _norm(summary) in {
            " ".join(prose[i : i + k]) for k in (1, 2, 3) for i in range(len(prose))
        }
    non_prose = any(o and (o in _norm(summary)) for o in other if len(o.split()) >= 3)
    return {
        "not_whole_sentences": not whole,
        "dangling_start": bool(DANGLING.match(summary.strip())),
        "non_prose_text": non_prose,
    }


# ------------------------------------------------------------------ topics


def mentioned_topics(briefing: Briefing, matcher: Matcher) -> set[str]:
    found = {hit.topic for hit in matcher.find(briefing.title)}
    for block in briefing.doc.blocks:
        found.update(hit.topic for hit in matcher.find(block.text))
    return found


def prf(gold: dict[str, set[str]], pred: dict[str, set[str]]) -> dict[str, float]:
    tp = sum(len(gold[f] & pred[f]) for f in gold)
    fp = sum(len(pred[f] - gold[f]) for f in gold)
    fn = sum(len(gold[f] - pred[f]) for f in gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    per = []
    for f in gold:
        t = len(gold[f] & pred[f])
        fp_ = len(pred[f] - gold[f])
        fn_ = len(gold[f] - pred[f])
        pp = t / (t + fp_) if t + fp_ else 1.0
        rr = t / (t + fn_) if t + fn_ else 1.0
        per.append((pp, rr, 2 * pp * rr / (pp + rr) if pp + rr else 0.0))
    k = len(per) or 1
    return {
        "micro_p": p,
        "micro_r": r,
        "micro_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "macro_p": sum(x[0] for x in per) / k,
        "macro_r": sum(x[1] for x in per) / k,
        "macro_f1": sum(x[2] for x in per) / k,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


# ------------------------------------------------------------------ evaluate


def evaluate(files: list[str] | None = None) -> dict:
    """Run the whole benchmark; returns the numbers (and per-file detail)."""
    gold = load_gold()
    files = sorted(files or gold)
    registry = load_registry_()
    matcher = Matcher(registry)
    briefings = load_briefings(registry, files)
    scorer = rouge_scorer.RougeScorer(list(ROUGE), use_stemmer=True)

    rouge: dict[str, dict[str, float]] = {s: dict.fromkeys(ROUGE, 0.0) for s in SYSTEMS}
    checks: Counter[str] = Counter()
    pred: dict[str, set[str]] = {}
    mention: dict[str, set[str]] = {}
    reasons: dict[str, dict[str, str]] = {}
    summaries: dict[str, dict[str, str]] = {}
    violations: dict[str, list[str]] = {}
    elapsed = 0.0
    for name in files:
        briefing = briefings[name]
        start = time.perf_counter()
        summary = summarize(briefing)[0]
        matches = detect_topics(briefing, registry, matcher)
        elapsed += time.perf_counter() - start
        summaries[name] = {
            "briefgen": summary,
            "lead2": lead2(briefing),
            "textrank": textrank(briefing),
        }
        for system, text in summaries[name].items():
            scores = scorer.score(gold[name]["summary"], text)
            for key in ROUGE:
                rouge[system][key] += scores[key].fmeasure / len(files)
        bad = [k for k, v in summary_checks(briefing, summary).items() if v]
        checks.update(bad)
        if bad:
            violations[name] = bad
        pred[name] = {m.id for m in matches}
        reasons[name] = {m.id: m.reason for m in matches}
        mention[name] = mentioned_topics(briefing, matcher)
    gold_topics = {f: set(gold[f]["topics"]) for f in files}
    errors = {
        f: {
            "fp": sorted(pred[f] - gold_topics[f]),
            "fn": sorted(gold_topics[f] - pred[f]),
        }
        for f in files
    }
    return {
        "files": len(files),
        "rouge": rouge,
        "topics": {"briefgen": prf(gold_topics, pred), "mentions": prf(gold_topics, mention)},
        "checks": {
            k: checks.get(k, 0) for k in ("not_whole_sentences", "dangling_start", "non_prose_text")
        },
        "violations": violations,
        "ms_per_briefing": 1000 * elapsed / max(len(files), 1),
        "errors": errors,
        "reasons": reasons,
        "summaries": summaries,
    }


def report(result: dict) -> str:
    lines = [f"briefgen quality benchmark: {result['files']} briefings", ""]
    lines.append("Summaries (ROUGE F1 vs gold, mean)")
    lines.append(f"  {'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}")
    for system, scores in result["rouge"].items():
        lines.append(
            f"  {system:<10} {scores['rouge1']:8.4f} {scores['rouge2']:8.4f} "
            f"{scores['rougeL']:8.4f}"
        )
    lines += ["", "Summary checks (briefgen, count of briefings)"]
    for key, value in result["checks"].items():
        lines.append(f"  {key:<22} {value}")
    for name, bad in result["violations"].items():
        lines.append(f"    {name}: {', '.join(bad)}")
    lines += ["", "Topics (vs gold)"]
    lines.append(
        f"  {'system':<10} {'microP':>7} {'microR':>7} {'microF1':>7} "
        f"{'macroP':>7} {'macroR':>7} {'macroF1':>7} {'TP':>4} {'FP':>4} {'FN':>4}"
    )
    for system, m in result["topics"].items():
        lines.append(
            f"  {system:<10} {m['micro_p']:7.3f} {m['micro_r']:7.3f} {m['micro_f1']:7.3f} "
            f"{m['macro_p']:7.3f} {m['macro_r']:7.3f} {m['macro_f1']:7.3f} "
            f"{m['tp']:4d} {m['fp']:4d} {m['fn']:4d}"
        )
    lines += ["", f"Time: {result['ms_per_briefing']:.2f} ms per briefing (summary + topics)", ""]
    lines.append("Topic errors per file (FP = detected but not gold, FN = gold but missed)")
    for name, err in result["errors"].items():
        if not err["fp"] and not err["fn"]:
            continue
        lines.append(f"  {name}")
        for topic in err["fp"]:
            lines.append(f"    FP {topic:<28} {result['reasons'][name].get(topic, '')}")
        for topic in err["fn"]:
            lines.append(f"    FN {topic}")
    return "\n".join(lines)
