"""`python -m benchmarks.quality.fit`: refit the word model of briefgen/enrich/salience.py.

Logistic regression (Newton's method, a little L2) of "the reference summary uses this
content word" on salience.features, over every content word of every story of the eval-dev
"tune" split only: the "check" split stays unseen. Prints COEFFICIENTS to paste.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from benchmarks.quality.dev import Story, load_stories
from benchmarks.quality.score import load_registry_
from briefgen.enrich.salience import features
from briefgen.enrich.summary import candidates
from briefgen.enrich.words import tokens

L2 = 1.0


def samples() -> tuple[list[tuple[float, ...]], list[float]]:
    return samples_of(load_stories(load_registry_(), splits=["tune"]))


def samples_of(stories: Sequence[Story]) -> tuple[list[tuple[float, ...]], list[float]]:
    """One (features, used by the reference) row per content word of each story."""
    xs: list[tuple[float, ...]] = []
    ys: list[float] = []
    for story in stories:
        found = candidates(story.briefing)
        used = set(tokens(story.reference))
        for term, vector in features(found.terms, found.texts, story.briefing.title).items():
            xs.append(vector)
            ys.append(float(term in used))
    return xs, ys


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n + 1):
                m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def fit(xs: list[tuple[float, ...]], ys: list[float], rounds: int = 25) -> list[float]:
    n = len(xs[0])
    beta = [0.0] * n
    for _ in range(rounds):
        grad = [-L2 * b for b in beta]
        hess = [[L2 * (i == j) for j in range(n)] for i in range(n)]
        for x, y in zip(xs, ys, strict=True):
            p = 1.0 / (1.0 + math.exp(-sum(b * v for b, v in zip(beta, x, strict=True))))
            w = p * (1 - p)
            for i in range(n):
                grad[i] += (y - p) * x[i]
                row = hess[i]
                for j in range(n):
                    row[j] += w * x[i] * x[j]
        step = solve(hess, grad)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(map(abs, step)) < 1e-7:
            break
    return beta


if __name__ == "__main__":
    xs, ys = samples()
    beta = fit(xs, ys)
    print(f"{len(xs)} words, {sum(ys):.0f} in the reference")
    print("COEFFICIENTS = (" + ", ".join(f"{b:.3f}" for b in beta) + ")")
