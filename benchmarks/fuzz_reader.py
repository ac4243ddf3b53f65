"""Fuzz the loader: random mutations of real briefings and random bytes into read_briefing.

    python -m benchmarks.fuzz_reader [--seconds 180] [--seed 1] [--save DIR] [--no-enrich]

Seeds are the site's own briefings (content/**/*.md) and the hostile corpus
(tests/hostile/*.md). Each input is a seed mutated a few times (bytes flipped, inserted,
deleted or duplicated; YAML, Markdown and HTML syntax spliced in; two seeds crossed) or
plain random bytes. An input fails if read_briefing raises, reports an `internal-error`
(its last-resort guard against a bug), or returns a diagnostic that is not one clean line
naming the file. With enrich on (the default), every briefing that loads also goes through
summarize() and detect_topics(), which must not raise either.
Prints how many inputs were tried, how many failed, and the slowest input; failing inputs are
written to --save for replay. Exit code 1 if any input failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from briefgen.enrich.matcher import Matcher
from briefgen.enrich.summary import summarize
from briefgen.enrich.topics import detect_topics
from briefgen.load.briefing import read_briefing
from briefgen.load.registry import load_registry
from briefgen.model import Registry

REPO = Path(__file__).resolve().parents[1]
TOKENS = [
    b"---\n",
    b"...\n",
    b"\n",
    b"\r\n",
    b"\r",
    b": ",
    b"- ",
    b"  ",
    b"\t",
    b"[",
    b"]",
    b"{",
    b"}",
    b", ",
    b'"',
    b"'",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"!!timestamp ",
    b"? ",
    b"|\n",
    b">-\n",
    b"title: ",
    b"date: ",
    b"date: 2024-02-30\n",
    b"updated: 9999-12-31T23:59:59-05:00\n",
    b"slug: ../x\n",
    b"aliases: [/, /topics/, ../../etc]\n",
    b"topics: [eu, EU/Russia]\n",
    b"sources: [{title: x, url: 'javascript:x'}]\n",
    b"draft: maybe\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe2\x80\xae",
    b"\xe2\x80\x8b",
    b"\x00",
    b"\x1b[2J",
    b"\xc3",
    b"> ",
    b"1. ",
    b"```\n",
    b"    ",
    b"| a | b |\n|---|---|\n",
    b"[^1]",
    b"[^1]: note\n",
    b"[x](javascript:alert(1))",
    b"![x](data:image/png;base64,AA)",
    b"<div>",
    b"</div>",
    b"<script>",
    b"<iframe src=https://www.youtube.com/embed/x>",
    b"<a href=' java\tscript:x'>",
    b"&#x6a;",
    b"*",
    b"_",
    b"`",
    b"#",
    b"## ",
    b"Dr. ",
    b"U.S. ",
    b"Kazakhstan ",
    b"Trans-Caspian route ",
    b"Georgia ",
]


def seeds() -> list[bytes]:
    paths = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "tests/hostile").glob("*.md"))
    found = [p.read_bytes() for p in paths if p.is_file()]
    found.append(b"---\ntitle: Minimal\ndate: 2024-05-01\n---\nBody.\n")
    return found


def mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8, 20))):
        where = rng.randrange(len(buf) + 1)
        kind = rng.randrange(7)
        if kind == 0 and buf:  # flip a byte
            buf[min(where, len(buf) - 1)] = rng.randrange(256)
        elif kind == 1:  # random bytes
            buf[where:where] = rng.randbytes(rng.randrange(1, 16))
        elif kind == 2 and buf:  # delete a range
            del buf[where : where + rng.randrange(1, 64)]
        elif kind == 3 and buf:  # duplicate a range, sometimes many times
            chunk = buf[where : where + rng.randrange(1, 128)]
            buf[where:where] = chunk * rng.choice((1, 2, 10, 200))
        elif kind == 4:  # cross with another seed
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:where] + other[cut:]
        else:  # syntax that parsers care about
            token = rng.choice(TOKENS)
            buf[where:where] = token * rng.choice((1, 1, 1, 3, 50, 500))
    return bytes(buf)


def check(rel: str, raw: bytes, registry: Registry, matcher: Matcher | None) -> str | None:
    """None if the input was handled well, else what went wrong."""
    try:
        briefing, diags = read_briefing(rel, raw, registry, ("www.youtube.com",))
    except BaseException:
        return traceback.format_exc()
    for d in diags:
        if d.code == "internal-error":
            return d.format()
        if d.file != rel or d.line < 0 or "\n" in d.message or not d.message.isprintable():
            return f"malformed diagnostic: {d!r}"
    if briefing is not None and matcher is not None:
        try:
            summarize(briefing)
            detect_topics(briefing, registry, matcher)
        except Exception:
            return "enrich: " + traceback.format_exc()
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="time budget")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", type=Path, help="folder for failing inputs")
    parser.add_argument("--no-enrich", action="store_true", help="only read_briefing")
    args = parser.parse_args(argv)

    registry, _ = load_registry(REPO / "topics.yaml", "topics.yaml")
    matcher = None if args.no_enrich else Matcher(registry)
    rng = random.Random(args.seed)
    pool = seeds()
    save = args.save or Path(tempfile.mkdtemp(prefix="briefgen-fuzz-"))
    tried = failed = 0
    slowest = (0.0, b"")
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        if rng.random() < 0.1:
            raw = rng.randbytes(rng.randrange(0, 2048))
        else:
            raw = mutate(rng, rng.choice(pool), pool)
        started = time.perf_counter()
        problem = check(f"fuzz/{tried}.md", raw, registry, matcher)
        took = time.perf_counter() - started
        if took > slowest[0]:
            slowest = (took, raw)
        tried += 1
        if problem:
            failed += 1
            save.mkdir(parents=True, exist_ok=True)
            (save / f"fail-{tried}.md").write_bytes(raw)
            print(f"input {tried} failed (saved to {save}):\n{problem}", file=sys.stderr)
    print(
        f"{tried} inputs tried in {args.seconds:.0f} s (seed {args.seed}), {failed} failed; "
        f"slowest {slowest[0] * 1000:.0f} ms ({len(slowest[1])} bytes)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
