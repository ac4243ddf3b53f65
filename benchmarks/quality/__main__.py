"""`python -m benchmarks.quality`: print the quality report."""

import sys

from benchmarks.quality.score import evaluate, report

if __name__ == "__main__":
    print(report(evaluate(sys.argv[1:] or None)))
