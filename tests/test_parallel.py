"""The process pool (briefgen/parallel.py) and the work done once before it forks (issue 20)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from briefgen.parallel import parallel_map
from briefgen.render.env import compile_templates


def _pid_and_double(context: dict, item: int) -> tuple[int, int, bool]:
    return os.getpid(), item * 2, context.get("ready", False)


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_WORKERS", "2")


def test_issue_20_before_fork_runs_once_in_the_parent_and_workers_inherit_it(two_workers):
    context: dict = {}
    calls: list[int] = []

    def prepare() -> None:
        calls.append(os.getpid())
        context["ready"] = True

    out = parallel_map(_pid_and_double, list(range(50)), context, min_items=1, before_fork=prepare)
    assert [doubled for _, doubled, _ in out] == [x * 2 for x in range(50)]  # in order
    assert calls == [os.getpid()]
    assert {pid for pid, _, _ in out} - {os.getpid()}, "the items ran in worker processes"
    assert all(ready for _, _, ready in out), "the workers saw what before_fork prepared"


def test_issue_20_before_fork_is_skipped_when_the_work_runs_in_process(two_workers):
    calls: list[int] = []
    out = parallel_map(
        _pid_and_double, [1, 2, 3], {}, min_items=10, before_fork=lambda: calls.append(1)
    )
    assert [d for _, d, _ in out] == [2, 4, 6]
    assert calls == []


def test_issue_20_compile_templates_skips_broken_ones(tmp_path: Path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "static").mkdir()
    (tmp_path / "page.html").write_text("{% include 'partials/bit.html' %}")
    (tmp_path / "partials" / "bit.html").write_text("{{ 1 + 1 }}")
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "binary.xml").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "static" / "style.css").write_text("{% not a template %}")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    compile_templates(env)
    cached = sorted(name for _, name in env.cache)  # type: ignore[union-attr]
    assert cached == ["page.html", "partials/bit.html"]
    assert env.get_template("page.html").render() == "2"
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.get_template("broken.html")  # still reported where it is used
