"""`python -m benchmarks.quality [FILE ...]`: print the quality report.

`--scale N` instead reports what summaries and topics cost in a whole build of N generated
briefings (benchmarks/quality/scale.py).
"""

import sys

from benchmarks.quality.score import evaluate, report

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--scale"]:
        from benchmarks.quality.scale import measure
        from benchmarks.quality.scale import report as scale_report

        print(scale_report(measure(int(args[1]) if len(args) > 1 else 10_000)))
    else:
        print(report(evaluate(args or None)))
