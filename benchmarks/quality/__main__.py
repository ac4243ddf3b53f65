"""`python -m benchmarks.quality [--no-dev] [FILE ...]`: print the quality report.

The labelled set (benchmarks/quality/corpus) and, when shared/eval-dev is found, the
eval-dev news stories in both splits, each with every baseline and briefgen's margins.
`--scale N` instead reports what summaries and topics cost in a whole build of N generated
briefings (benchmarks/quality/scale.py).
"""

import sys

try:
    from benchmarks.quality.dev import eval_dev_dir
    from benchmarks.quality.score import dev_report, evaluate, evaluate_dev, report
except ImportError as exc:  # a benchmark's own dependency, not briefgen's
    package = (exc.name or "a package").replace("_", "-")
    sys.exit(
        f"python -m benchmarks.quality needs {package}, from the `quality` extra: "
        "pip install -e '.[quality]' (the `dev` extra has it too)"
    )

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--scale"]:
        from benchmarks.quality.scale import measure
        from benchmarks.quality.scale import report as scale_report

        print(scale_report(measure(int(args[1]) if len(args) > 1 else 10_000)))
        sys.exit(0)
    dev = "--no-dev" not in args
    files = [a for a in args if a != "--no-dev"]
    print(report(evaluate(files or None)))
    if not files:  # issue 18: Russian topic detection (benchmarks/quality/russian.py)
        from benchmarks.quality.russian import evaluate_russian, russian_report

        print()
        print(russian_report(evaluate_russian()))
    if dev and not files:
        print()
        if eval_dev_dir() is None:
            print(
                "eval-dev not found (shared/eval-dev beside the repository, or BRIEFGEN_EVAL_DEV)"
            )
        else:
            print(dev_report(evaluate_dev()))
