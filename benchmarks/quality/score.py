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
from collections.abc import Mapping
from pathlib import Path

import yaml
from rouge_score import rouge_scorer

from benchmarks.quality.dev import SPLITS, Story, load_stories
from briefgen.enrich.matcher import Matcher
from briefgen.enrich.sentences import split_sentences, strip_dateline
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
SYSTEMS = ("briefgen", "lead1", "lead2", "lead3", "textrank2", "textrank3")
BASELINES = SYSTEMS[1:]
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


def _bag(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if len(w) > 2)


def _tfidf(bags: list[Counter[str]]) -> list[dict[str, float]]:
    """Term counts weighted by smoothed inverse sentence frequency (as scikit-learn does)."""
    n = len(bags)
    df = Counter(term for bag in bags for term in bag)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    return [{t: c * idf[t] for t, c in bag.items()} for bag in bags]


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
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
    # column i of the transition matrix: how much of each node's rank flows to i
    columns = [
        [weights[j][i] / out_sum[j] if out_sum[j] else 0.0 for j in range(n)] for i in range(n)
    ]
    sinks = [i for i in range(n) if not out_sum[i]]
    rank = [1.0 / n] * n
    for _ in range(iters):
        dangling = sum(rank[i] for i in sinks) / n
        new = [
            (1 - damping) / n + damping * (dangling + sum(map(float.__mul__, rank, column)))
            for column in columns
        ]
        if sum(abs(a - b) for a, b in zip(new, rank, strict=True)) < 1e-9:
            return new
        rank = new
    return rank


def textrank_order(sentences: list[str]) -> list[int]:
    """Sentence indices by TextRank (PageRank over TF-IDF cosine similarity), best first."""
    bags = _tfidf([_bag(s) for s in sentences])
    n = len(sentences)
    weights = [[0.0 if i == j else _cosine(bags[i], bags[j]) for j in range(n)] for i in range(n)]
    scores = pagerank(weights)
    return sorted(range(n), key=lambda i: (-scores[i], i))


def textrank(briefing: Briefing, count: int = 2) -> str:
    sentences = body_sentences(briefing)
    top = sorted(textrank_order(sentences)[:count])
    return " ".join(sentences[i] for i in top)


def baselines(briefing: Briefing) -> dict[str, str]:
    """Lead-1/2/3 and TextRank-2/3 of one briefing, computed the same way for every set."""
    sentences = body_sentences(briefing)
    order = textrank_order(sentences)
    out = {f"lead{k}": " ".join(sentences[:k]) for k in (1, 2, 3)}
    for k in (2, 3):
        out[f"textrank{k}"] = " ".join(sentences[i] for i in sorted(order[:k]))
    return out


# ------------------------------------------------------------------ summary checks


def _norm(text: str) -> str:
    return " ".join(text.split())


def _segments(text: str, sentences: set[str]) -> bool:
    """Whether `text` is some body sentences joined by single spaces (whatever a
    re-split of it would say: the body's paragraphs may break where a splitter would not).
    """
    reachable = [True] + [False] * len(text)
    for start in range(len(text)):
        if not reachable[start] or (start and text[start - 1] != " "):
            continue
        for sentence in sentences:
            end = start + len(sentence)
            if text.startswith(sentence, start) and (end == len(text) or text[end] == " "):
                reachable[min(end + 1, len(text))] = True
    return bool(text) and reachable[len(text)]


def summary_checks(briefing: Briefing, summary: str) -> dict[str, bool]:
    """Rule violations of one summary (True = violated)."""
    prose = [_norm(s) for s in body_sentences(briefing)]
    if prose:  # briefgen drops a news dateline from the first sentence
        prose.insert(1, strip_dateline(prose[0]))
    other = [_norm(b.text) for b in briefing.doc.blocks if b.kind != "p"]
    whole = _segments(_norm(summary), set(prose))
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


def _zero_rouge() -> dict[str, dict[str, float]]:
    return {system: dict.fromkeys(ROUGE, 0.0) for system in SYSTEMS}


def _add_rouge(
    rouge: dict[str, dict[str, float]],
    scorer: rouge_scorer.RougeScorer,
    reference: str,
    texts: dict[str, str],
    count: int,
) -> None:
    """Add each system's ROUGE F1 against the reference, divided by `count` (the mean)."""
    for system, text in texts.items():
        scores = scorer.score(reference, text)
        for key in ROUGE:
            rouge[system][key] += scores[key].fmeasure / count


def margins(rouge: dict[str, dict[str, float]]) -> dict[str, tuple[str, float]]:
    """Per metric: (the best baseline, briefgen minus it)."""
    out = {}
    for key in ROUGE:
        best = max(BASELINES, key=lambda system: rouge[system][key])
        out[key] = (best, rouge["briefgen"][key] - rouge[best][key])
    return out


def evaluate_dev(splits: tuple[str, ...] = SPLITS, stories: list[Story] | None = None) -> dict:
    """Summaries on the eval-dev news stories: every system, per split, with the checks."""
    registry = load_registry_()
    stories = stories if stories is not None else load_stories(registry, splits=splits)
    scorer = rouge_scorer.RougeScorer(list(ROUGE), use_stemmer=True)
    out: dict[str, dict] = {}
    for split in splits:
        chosen = [s for s in stories if s.split == split]
        rouge = _zero_rouge()
        checks: Counter[str] = Counter()
        words = 0
        for story in chosen:
            summary = summarize(story.briefing)[0]
            words += len(summary.split())
            texts = {"briefgen": summary, **baselines(story.briefing)}
            _add_rouge(rouge, scorer, story.reference, texts, len(chosen))
            checks.update(k for k, v in summary_checks(story.briefing, summary).items() if v)
        out[split] = {
            "stories": len(chosen),
            "rouge": rouge,
            "margins": margins(rouge),
            "checks": dict(checks),
            "words": words / max(len(chosen), 1),
        }
    return out


def rouge_table(title: str, rouge: dict[str, dict[str, float]]) -> list[str]:
    """One block of the report: every system, then briefgen's margin over the best baseline."""
    lines = [title, f"  {'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}"]
    for system, scores in rouge.items():
        lines.append(
            f"  {system:<10} {scores['rouge1']:8.4f} {scores['rouge2']:8.4f} "
            f"{scores['rougeL']:8.4f}"
        )
    best = margins(rouge)
    lines.append(
        "  margin     "
        + " ".join(f"{gap:+8.4f}" for _, gap in best.values())
        + "   (briefgen minus the best baseline: "
        + ", ".join(best[k][0] for k in ROUGE)
        + ")"
    )
    return lines


def dev_report(result: dict) -> str:
    lines = []
    for split, part in result.items():
        hidden = " (held out: never looked at while tuning)" if split == "check" else ""
        title = f"eval-dev cnndm, {split} split{hidden}: {part['stories']} stories, ROUGE F1"
        lines += rouge_table(title, part["rouge"])
        bad = ", ".join(f"{k} {v}" for k, v in sorted(part["checks"].items())) or "none"
        lines += [
            f"  briefgen summaries: {part['words']:.1f} words on average; checks failed: {bad}",
            "",
        ]
    return "\n".join(lines)


def evaluate(files: list[str] | None = None) -> dict:
    """Run the whole benchmark; returns the numbers (and per-file detail)."""
    gold = load_gold()
    files = sorted(files or gold)
    registry = load_registry_()
    matcher = Matcher(registry)
    briefings = load_briefings(registry, files)
    scorer = rouge_scorer.RougeScorer(list(ROUGE), use_stemmer=True)

    rouge = _zero_rouge()
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
        summaries[name] = {"briefgen": summary, **baselines(briefing)}
        _add_rouge(rouge, scorer, gold[name]["summary"], summaries[name], len(files))
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
    lines += rouge_table("Summaries (ROUGE F1 vs gold, mean)", result["rouge"])
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
