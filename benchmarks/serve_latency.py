"""Dev-server latency: a briefing saved -> its new HTML served, on generated sites.

    python -m benchmarks.serve_latency [--sizes 1000] [--large] [--edits 20] [--runs 3]
                                       [--where end|lead]

For each size N (1,000 by default; --large adds 10,000) it generates a seeded site
(benchmarks.generate when present, else the small generator below), starts a DevServer on a
free port, then K times adds a unique sentence to one briefing's body and polls that
briefing's page over HTTP until the sentence appears. `--where end` (the default) appends
it as a last paragraph, which seldom changes the briefing's summary; `--where lead` makes it
the opening paragraph, which usually does, and with it the briefing's cards, feed entries
and row of the JSON API. Latency is measured from the moment
the write returned. It prints, per run and overall, the median and p90 latency and the
server-side build time. Figures are wall-clock on whatever machine runs this; tests never
run it.

The edit is done here rather than with benchmarks.generate.edit_briefing because the poll
must know which text to wait for.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import load, machine
from briefgen.serve import DevServer

REGISTRY = [
    ("central-asia", "Central Asia", "region", None),
    ("kazakhstan", "Kazakhstan", "country", "central-asia"),
    ("uzbekistan", "Uzbekistan", "country", "central-asia"),
    ("kyrgyzstan", "Kyrgyzstan", "country", "central-asia"),
    ("tajikistan", "Tajikistan", "country", "central-asia"),
    ("turkmenistan", "Turkmenistan", "country", "central-asia"),
    ("eu", "European Union", "organisation", None),
    ("russia", "Russia", "country", None),
    ("china", "China", "country", None),
    ("turkey", "Turkey", "country", None),
    ("azerbaijan", "Azerbaijan", "country", None),
    ("middle-corridor", "Middle Corridor", "corridor", None),
    ("energy", "Energy Security", "theme", None),
    ("water", "Water Management", "theme", None),
    ("trade", "Trade Policy", "theme", None),
]
WORDS = (  # noqa: SIM905 - a sentence is easier to read and edit than a list
    "agreement ministers pipeline railway tariffs investment summit border customs grain "
    "electricity reform banking sanctions transit freight port visa loan election drought "
    "harvest uranium gas oil cotton hydropower ferry corridor logistics migration"
).split()


def simple_site(root: Path, count: int, seed: int) -> None:
    """A site of `count` briefings with topics, dates and a few paragraphs each."""
    rng = random.Random(seed)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "briefgen.yaml").write_text("title: Latency\nbase_url: https://example.org/\n")
    topics = []
    for tid, name, kind, parent in REGISTRY:
        topics.append(f"- id: {tid}\n  name: {name}\n  kind: {kind}\n")
        if parent:
            topics.append(f"  parent: {parent}\n")
    (root / "topics.yaml").write_text("".join(topics))
    for i in range(count):
        year = 2015 + i % 10
        chosen = rng.sample(REGISTRY, 3)
        paragraphs = []
        for _ in range(rng.randint(3, 8)):
            words = rng.choices(WORDS, k=rng.randint(30, 80))
            words[rng.randrange(len(words))] = rng.choice(chosen)[1]
            paragraphs.append(" ".join(words).capitalize() + ".")
        text = (
            f'---\ntitle: "Briefing {i}: {chosen[0][1]} and {chosen[1][1]}"\n'
            f"date: {year}-{1 + i % 12:02}-{1 + i % 28:02}\n"
            f"topics: [{', '.join(t[0] for t in chosen[:2])}]\n---\n\n"
            + "\n\n".join(paragraphs)
            + "\n"
        )
        path = root / "content" / str(year) / f"briefing-{i:05}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


def generate(root: Path, count: int, seed: int) -> str:
    try:
        from benchmarks.generate import generate_site
    except ImportError:
        simple_site(root, count, seed)
        return "benchmarks/serve_latency.simple_site"
    generate_site(root, count, seed)
    return "benchmarks.generate"


def fetch(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode("utf-8", "replace")
    finally:
        conn.close()


def pick(server: DevServer, seed: int) -> tuple[Path, str]:
    """A briefing in the middle of the site: its file and its page's URL path."""
    result = server.rebuilder.result
    assert result is not None and result.site is not None, "the first build failed"
    briefings = sorted(result.site.briefings, key=lambda e: e.briefing.source)
    chosen = briefings[random.Random(seed).randrange(len(briefings))].briefing
    config = server.rebuilder.config
    return config.content_path / chosen.source, config.link(chosen.url)


def place(original: str, marker: str, where: str) -> str:
    """The briefing's text with `marker` as its last or its first paragraph."""
    if where == "end":
        return original.rstrip("\n") + f"\n\n{marker}\n"
    end = original.index("\n---\n", 3) + len("\n---\n")
    return original[:end] + f"\n{marker}\n\n" + original[end:].lstrip("\n")


def one_run(
    site: Path, edits: int, run: int, where: str = "end"
) -> tuple[list[float], list[float], float]:
    """(latencies, server build seconds, first build seconds) for one server lifetime."""
    server = DevServer.for_site(site)
    first = server.start().seconds
    try:
        path, url = pick(server, run)
        original = path.read_text(encoding="utf-8")
        latencies, builds = [], []
        for k in range(edits):
            marker = f"Kazakhstan signs transit agreement number {run}-{k}-{os.getpid()}."
            before = server.build_number
            path.write_text(place(original, marker, where), encoding="utf-8")
            saved = time.perf_counter()
            while marker not in fetch(server.port, url):
                time.sleep(0.002)
            latencies.append(time.perf_counter() - saved)
            builds.append(server.wait_for_build(before, timeout=300).seconds)
            time.sleep(0.3)  # let the watcher settle: each edit is measured on its own
        path.write_text(original, encoding="utf-8")
        return latencies, builds, first
    finally:
        server.stop()


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--large", action="store_true", help="also N=10,000")
    parser.add_argument("--edits", type=int, default=20, help="edits per run (K)")
    parser.add_argument("--runs", type=int, default=3, help="server lifetimes per size")
    parser.add_argument(
        "--where", choices=["end", "lead"], default="end", help="new last or first paragraph"
    )
    args = parser.parse_args(argv)
    sizes = [*args.sizes, *([10_000] if args.large and 10_000 not in args.sizes else [])]
    print(
        f"machine: {machine()}; {load()}\n{args.runs} runs x {args.edits} edits per size, "
        f"new paragraph at the {args.where}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"serve-latency-{n}-") as tmp:
            site = Path(tmp) / "site-src"
            started = time.perf_counter()
            source = generate(site, n, seed=1)
            print(f"N={n}: generated by {source} in {time.perf_counter() - started:.1f} s")
            every: list[float] = []
            every_build: list[float] = []
            for run in range(args.runs):
                latencies, builds, first = one_run(site, args.edits, run, args.where)
                every += latencies
                every_build += builds
                print(
                    f"  run {run + 1}: save->served median {ms(statistics.median(latencies))}, "
                    f"p90 {ms(p90(latencies))}; rebuild median "
                    f"{ms(statistics.median(builds))}; first build {first:.2f} s"
                )
            print(
                f"  N={n} overall: median {ms(statistics.median(every))}, p90 {ms(p90(every))}"
                f" (rebuild median {ms(statistics.median(every_build))})"
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
