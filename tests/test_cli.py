"""The command line: build, check, init, new, --version; exit codes and what is printed."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, briefing, make_site, tree

import briefgen
from briefgen.cli import main

SUMMARY = re.compile(
    r"^(\d+) briefings?, (\d+) topics?, (\d+) errors?, (\d+) warnings? in \d+\.\d+ s", re.M
)
GOOD = briefing(
    "Kazakhstan grain", body="Kazakhstan raised its grain export quota, officials said."
)


def summary(text: str) -> tuple[int, int, int, int]:
    match = SUMMARY.search(text)
    assert match, text
    return tuple(int(g) for g in match.groups())


def test_build_success(tmp_path, capsys):
    root = make_site(tmp_path / "s", {"content/a.md": GOOD, "content/b.md": briefing("B")})
    assert main(["build", "--source", str(root)]) == 0
    err = capsys.readouterr().err
    assert summary(err) == (2, 8, 0, 0)
    assert "site written to" in err
    assert (root / "site" / "briefings" / "a" / "index.html").is_file()


def test_build_with_warnings_succeeds_and_prints_them(tmp_path, capsys):
    root = make_site(tmp_path / "s", {"content/a.md": briefing("A", topics="[Kazakstan]")})
    assert main(["build", "--source", str(root)]) == 0
    err = capsys.readouterr().err
    assert "a.md:4: warning: unknown topic `Kazakstan` [unknown-topic]" in err
    assert "hint: did you mean `kazakhstan`?" in err
    assert summary(err) == (1, 8, 0, 1)


def test_build_failure_prints_every_problem_and_keeps_the_site(tmp_path, capsys):
    root = make_site(tmp_path / "s", {"content/a.md": GOOD})
    assert main(["build", "--source", str(root)]) == 0
    before = tree(root / "site")
    (root / "content" / "b.md").write_text(briefing("B", date="2024-02-30"), encoding="utf-8")
    (root / "content" / "c.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert "b.md:3: error: `2024-02-30` is not a real date" in err
    assert "    3 | date: 2024-02-30" in err
    assert "c.md:" in err and "[yaml-syntax]" in err
    assert summary(err)[2:] == (2, 0)
    assert "build failed: the previous site was left untouched" in err
    assert tree(root / "site") == before


def test_build_into_another_output_folder(tmp_path, capsys):
    root = make_site(tmp_path / "s", {"content/a.md": GOOD})
    out = tmp_path / "public"
    assert main(["build", "--source", str(root), "--output", str(out)]) == 0
    assert (out / "briefings" / "a" / "index.html").is_file()
    assert not (root / "site").exists()
    assert f"site written to {out}" in capsys.readouterr().err


def test_build_drafts_flag(tmp_path):
    root = make_site(
        tmp_path / "s", {"content/a.md": GOOD, "content/d.md": briefing("D", draft="true")}
    )
    assert main(["build", "--source", str(root)]) == 0
    assert not (root / "site" / "briefings" / "d").exists()
    assert main(["build", "--source", str(root), "--drafts"]) == 0
    assert (root / "site" / "briefings" / "d" / "index.html").is_file()


def test_check_reports_all_problems_and_writes_nothing(tmp_path, capsys):
    root = make_site(
        tmp_path / "s",
        {
            "content/a.md": GOOD,
            "content/b.md": briefing("B", type="anaylsis"),
            "content/c.md": "",
            "content/d.md": briefing("D", draft="true", date="28/11/2024"),  # drafts are checked
        },
        config="title: T\nper_pge: 2\n",
    )
    assert main(["check", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if not line.startswith(" ")]
    assert lines[:4] == [
        "b.md:4: error: unknown type `anaylsis` [bad-type]",
        "briefgen.yaml:2: warning: unknown config key `per_pge` [config-unknown-key]",
        "c.md:1: error: file is empty [empty-file]",
        "d.md:3: error: `28/11/2024` is not a date in YYYY-MM-DD or ISO 8601 form [bad-date]",
    ]
    assert summary(err)[2:] == (3, 1)
    assert not (root / "site").exists()


def test_check_clean_site(tmp_path, capsys):
    root = make_site(tmp_path / "s", {"content/a.md": GOOD})
    assert main(["check", "--source", str(root)]) == 0
    assert summary(capsys.readouterr().err) == (1, 8, 0, 0)
    assert not (root / "site").exists()


def test_check_explain(tmp_path, capsys):
    root = make_site(tmp_path / "s", {"content/a.md": briefing("Kazakhstan grain", topics="[eu]")})
    assert main(["check", "--source", str(root), "--explain", "content/a.md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("a.md: Kazakhstan grain\ntopics:\n")
    assert re.search(r"^  eu +declared$", out, re.M)
    assert re.search(r"^  kazakhstan +title; 0 mentions in 0 blocks$", out, re.M)
    assert "summary (auto):" in out
    assert main(["check", "--source", str(root), "--explain", "content/nope.md"]) == 2


def test_init_then_build(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert main(["init", str(site)]) == 0
    assert f"new site in {site}" in capsys.readouterr().err
    assert (site / "briefgen.yaml").is_file()
    assert (site / "topics.yaml").is_file()
    assert list((site / "content").rglob("*.md"))
    assert main(["build", "--source", str(site)]) == 0
    counts = summary(capsys.readouterr().err)
    assert counts[0] >= 1 and counts[2:] == (0, 0)
    assert (site / "site" / "index.html").is_file()


def test_init_refuses_a_non_empty_folder(tmp_path, capsys):
    site = tmp_path / "busy"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    assert main(["init", str(site)]) == 1
    assert "[init-not-empty]" in capsys.readouterr().err
    assert tree(site) == {"notes.txt": b"mine"}


def test_new_writes_a_valid_briefing_that_builds(tmp_path, capsys):
    root = make_site(tmp_path / "s", {})
    title = "Grain & Rail: Kazakhstan's plan"
    argv = ["new", title, "--topic", "kazakhstan", "--source", str(root), "--no-draft"]
    assert main(argv) == 0
    path = Path(capsys.readouterr().out.strip())
    year = dt.date.today().year
    assert path == root / "content" / str(year) / "grain-rail-kazakhstans-plan.md"
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == title
    assert front["topics"] == ["kazakhstan"]
    assert front["type"] == "brief"
    assert str(front["date"]).startswith(str(year))
    assert main(["build", "--source", str(root)]) == 0
    assert summary(capsys.readouterr().err)[2:] == (0, 1)  # the placeholder text
    html = (root / "site" / "briefings" / "grain-rail-kazakhstans-plan" / "index.html").read_text()
    assert "<h1>Grain &amp; Rail: Kazakhstan&#39;s plan</h1>" in html
    assert 'href="/topics/kazakhstan/"' in html


def test_new_resolves_topic_names_and_takes_type_and_authors(tmp_path, capsys):
    root = make_site(tmp_path / "s", {})
    args = ["new", "EU aid", "--topic", "European Union", "--type", "analysis", "--author", "A B"]
    assert main([*args, "--source", str(root)]) == 0
    front = yaml.safe_load(Path(capsys.readouterr().out.strip()).read_text().split("---\n")[1])
    assert (front["topics"], front["type"], front["authors"]) == (["eu"], "analysis", ["A B"])


def test_new_refuses_unknown_topics_and_existing_files(tmp_path, capsys):
    root = make_site(tmp_path / "s", {})
    assert main(["new", "X", "--topic", "atlantis", "--source", str(root)]) == 1
    assert "unknown topic `atlantis` [unknown-topic]" in capsys.readouterr().err
    assert list((root / "content").rglob("*.md")) == []
    assert main(["new", "Same", "--source", str(root)]) == 0
    capsys.readouterr()
    assert main(["new", "Same", "--source", str(root)]) == 1
    assert "[new-exists]" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"briefgen {briefgen.__version__}"


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["build", "--nope"]])
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: briefgen" in capsys.readouterr().err


def test_installed_script(tmp_path):
    root = make_site(tmp_path / "s", {"content/a.md": GOOD, "content/bad.md": ""})
    script = REPO / ".venv" / "bin" / "briefgen"
    failed = subprocess.run(
        [str(script), "build"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert failed.returncode == 1
    assert "bad.md:1: error: file is empty [empty-file]" in failed.stderr
    assert summary(failed.stderr) == (1, 8, 1, 0)
    (root / "content" / "bad.md").unlink()
    done = subprocess.run(
        [str(script), "build"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert summary(done.stderr) == (1, 8, 0, 0)
    assert (root / "site" / "briefings" / "a" / "index.html").is_file()
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"briefgen {briefgen.__version__}"


def test_issue_10_report_goes_to_the_current_stderr(tmp_path):
    # `report(result, stream=sys.stderr)` binds the stderr of import time, so diagnostics
    # and the summary line escape redirect_stderr, capsys and any embedding application.
    root = make_site(tmp_path / "s", {"content/a.md": GOOD, "content/bad.md": ""})
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        assert main(["build", "--source", str(root)]) == 1
    text = buffer.getvalue()
    assert "bad.md:1: error: file is empty [empty-file]" in text
    assert summary(text) == (1, 8, 1, 0)
