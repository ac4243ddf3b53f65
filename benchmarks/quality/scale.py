"""What summaries and topic detection cost inside a whole build, on a generated corpus.

    python -m benchmarks.quality --scale 10000

Generates N briefings (benchmarks.generate, seeded), loads them with the real pipeline, then
on one core times (a) summary + topic detection for every briefing and (b) a whole cold
build without cache (BRIEFGEN_WORKERS=1, so both figures are single-core CPU work and the
share is not blurred by the process pool). Prints both and the share.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate_site
from briefgen.config import load_config
from briefgen.enrich.matcher import Matcher
from briefgen.enrich.summary import summarize
from briefgen.enrich.topics import detect_topics
from briefgen.load.loader import load_briefings
from briefgen.load.registry import load_registry
from briefgen.options import BuildOptions
from briefgen.pipeline import build


def measure(count: int, seed: int = 1) -> dict[str, float]:
    os.environ["BRIEFGEN_WORKERS"] = "1"
    with tempfile.TemporaryDirectory(prefix="briefgen-scale-") as tmp:
        root = Path(tmp) / "site"
        generate_site(root, count, seed)
        with (root / "briefgen.yaml").open("a", encoding="utf-8") as f:
            f.write("search: false\n")
        config, _ = load_config(root)
        registry, _ = load_registry(root / config.topics_file, config.topics_file)
        briefings, _, _ = load_briefings(config, registry)
        matcher = Matcher(registry)
        start = time.process_time()
        for b in briefings:
            summarize(b)
            detect_topics(b, registry, matcher)
        enrich = time.process_time() - start
        start = time.process_time()
        result = build(config, BuildOptions(cache=False))
        whole = time.process_time() - start
        assert result.ok, [d.format() for d in result.diagnostics[:5]]
    return {"count": count, "enrich": enrich, "build": whole}


def report(figures: dict[str, float]) -> str:
    n, enrich, whole = int(figures["count"]), figures["enrich"], figures["build"]
    return (
        f"{n:,} generated briefings, one core: summary + topics {enrich:.2f} s "
        f"({1000 * enrich / n:.2f} ms per briefing); whole cold build {whole:.2f} s CPU; "
        f"share {enrich / whole:.0%}"
    )
