"""Publish does exactly what it says (issue 13 items 3 and 6, issue 15 "Publish ...").

Everything runs through the real CLI in a subprocess (`python -m briefgen publish ...`),
against real bare git repositories and real folders in tmp_path. Git gets no global or
system configuration, and TMPDIR is a folder of the test's own, so that what publish leaves
in the temporary folder can be seen.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import briefing, make_site, tree

from briefgen.publish.folder import RECORD
from briefgen.publish.git import GitTarget
from briefgen.publish.local import PublishError
from briefgen.serve import DevServer
from briefgen.write import MANIFEST

GRAIN = "Kazakhstan raised its grain export quota, officials in Astana said on Monday."

Cli = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path / "src",
        {
            "content/2024/grain.md": briefing("Grain quota", "2024-05-01", GRAIN),
            "content/2024/wip.md": briefing("Unfinished", "2024-06-02", "Draft.", draft="true"),
        },
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "BRIEFGEN"))}
    return {
        **keep,
        "GIT_CONFIG_GLOBAL": str(empty),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
        "TMPDIR": str(tmp_path / "tmp"),
    }


@pytest.fixture
def cli(site: Path, env: dict[str, str]) -> Cli:
    def run(*args: object, cwd: Path | None = None, **more: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "briefgen", *map(str, args)],
            cwd=cwd or site,
            env={**env, **more},
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def bare_repo(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def branch_files(repo: Path, branch: str = "gh-pages") -> list[str]:
    done = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "--name-only", branch],
        capture_output=True,
        text=True,
    )
    return done.stdout.split()


def scratch(env: dict[str, str]) -> list[str]:
    return sorted(os.listdir(env["TMPDIR"]))


def refused_cleanly(done: subprocess.CompletedProcess, code: int = 2) -> str:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


# --- issue 13 item 3: no option or command injection into git ------------------------------


INJECTIONS = [
    "git:--upload-pack=x:;touch {marker}",
    "git:--upload-pack=touch {marker};x",
    "git:-cprotocol.ext.allow=always",
    "git:ext::sh -c touch% {marker}",
    "ext::sh -c touch% {marker}",
    "git:fd::3",
    "git:ssh://-oProxyCommand=touch%20{marker}/pages.git",
    "git:ssh://user@-oProxyCommand=x/pages.git",
    "git:-oProxyCommand=touch {marker}:pages.git",
    "git:host:--upload-pack=touch {marker}",
    "git:{repo}#--upload-pack=touch {marker}",
    "git:{repo}#x:refs/heads/main",
    "--upload-pack=touch {marker}",
]


@pytest.mark.parametrize("target", INJECTIONS)
def test_issue_13_option_and_transport_tricks_are_refused_on_the_command_line(
    cli: Cli, site: Path, tmp_path: Path, target: str
) -> None:
    marker, repo = tmp_path / "PWNED", bare_repo(tmp_path / "pages.git")
    spec = target.format(marker=marker, repo=repo)
    err = refused_cleanly(cli("publish", "--", spec))
    assert err.startswith("error: ") and ("refusing" in err or "is not a branch" in err)
    assert not marker.exists()
    assert not (site / "site").exists()  # refused before anything was built
    assert branch_files(repo) == []


@pytest.mark.parametrize("target", INJECTIONS[:7])
def test_issue_13_the_same_tricks_from_briefgen_yaml_are_refused(
    cli: Cli, site: Path, tmp_path: Path, target: str
) -> None:
    marker = tmp_path / "PWNED"
    spec = target.format(marker=marker, repo=tmp_path / "pages.git")
    config = site / "briefgen.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"publish:\n  live:\n    target: {json.dumps(spec)}\n", "utf-8")
    err = refused_cleanly(cli("publish", "live"))
    assert "briefgen.yaml: publish.live.target" in err
    assert not marker.exists()
    config.write_text(text + f"publish:\n  live: {json.dumps(spec)}\n", "utf-8")  # short form
    refused_cleanly(cli("publish"))
    assert not marker.exists()


@pytest.mark.parametrize(
    "remote", ["--upload-pack=touch {marker};x", "ext::sh -c touch% {marker}", "-c{marker}"]
)
def test_issue_13_git_itself_never_reads_a_remote_as_an_option(
    tmp_path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, remote: str
) -> None:
    """A remote that reaches git.py past the checks: `--` and GIT_ALLOW_PROTOCOL hold."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    marker = tmp_path / "PWNED"
    target = GitTarget(remote.format(marker=marker), "gh-pages", "")
    try:
        with pytest.raises(PublishError, match="git ls-remote failed"):
            target.state({})
    finally:
        target.close()
    assert not marker.exists()


# --- issue 15: targets are parsed as what they are ------------------------------------------


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("ftp://x", "`ftp://` is not a way briefgen publishes"),
        ("sftp://host/srv/www", "`sftp://` is not"),
        ("gs://bucket", "`gs://` is not"),
        ("rsync://host/www", "`rsync://` is not"),
        ("s3:/bucket", "did you mean s3://bucket?"),
        ("s3:bucket/www", "did you mean s3://bucket?"),
        ("user@host:/srv", "write git:user@host:/srv"),
        ("https://example.org/upload", "write git:https://example.org/upload"),
        ("s3://", "does not name an S3 bucket"),
    ],
)
def test_issue_15_unknown_or_malformed_targets_are_usage_errors_with_the_forms(
    cli: Cli, tmp_path: Path, target: str, says: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    err = refused_cleanly(cli("publish", target, "--source", tmp_path / "src", cwd=work))
    assert says in err
    if "is not a way" in says or "did you mean" in says or "git:" in says:
        assert "accepted targets:" in err and "s3://BUCKET[/PREFIX]" in err
    assert os.listdir(work) == []  # today: `publish ftp://x` writes into ./ftp:/x


def test_issue_15_git_urls_and_scp_forms_go_to_git(cli: Cli, site: Path, tmp_path: Path) -> None:
    https = bare_repo(tmp_path / "https.git")
    scp = bare_repo(tmp_path / "scp.git")
    # git rewrites the public addresses to the local repositories: no network, same parsing.
    rewrite = {
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": f"url.{https.as_uri()}.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://github.com/org/briefings.git",
        "GIT_CONFIG_KEY_1": f"url.{scp.as_uri()}.insteadOf",
        "GIT_CONFIG_VALUE_1": "git@github.com:org/briefings.git",
    }
    done = cli("publish", "https://github.com/org/briefings.git", **rewrite)
    assert done.returncode == 0, done.stderr
    assert "index.html" in branch_files(https)
    done = cli("publish", "git@github.com:org/briefings.git#live", **rewrite)
    assert done.returncode == 0, done.stderr
    assert "index.html" in branch_files(scp, "live")
    assert not [p for p in site.iterdir() if ":" in p.name or p.name.endswith(".git")]


# --- issue 15: --dry-run changes nothing anywhere ---------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder` (links not followed): kind, bytes or target, mtime."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            info = path.lstat()
            if path.is_symlink():
                out[str(path.relative_to(folder))] = ("link", os.readlink(path))
            elif path.is_dir():
                out[str(path.relative_to(folder))] = ("dir", info.st_mode)
            else:
                data = path.read_bytes()
                out[str(path.relative_to(folder))] = ("file", data, info.st_mtime_ns)
    return out


def test_issue_15_dry_run_changes_nothing_anywhere(
    cli: Cli, site: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    assert cli("build", "--drafts").returncode == 0  # a preview the analyst is looking at
    dest = tmp_path / "www"
    before = snapshot(site)
    done = cli("publish", dest, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "plan (dry run: nothing is changed)" in done.stdout
    assert "  upload  briefings/grain/index.html" in done.stdout
    assert "briefings/wip/" not in done.stdout  # planned as publish would: without drafts
    assert snapshot(site) == before  # site/ still has the drafts build, cache untouched
    assert not dest.exists()
    assert scratch(env) == []  # the temporary build is gone too

    repo = bare_repo(tmp_path / "pages.git")
    before = snapshot(site)
    assert cli("publish", f"git:{repo}", "--dry-run").returncode == 0
    assert snapshot(site) == before and branch_files(repo) == [] and scratch(env) == []


# --- issue 15: previews are never published ---------------------------------------------------


def test_issue_15_the_dev_servers_output_cannot_be_published(
    cli: Cli, site: Path, tmp_path: Path
) -> None:
    server = DevServer.for_site(site, drafts=False)  # no drafts, but a serve-mode build
    server.start()
    server.stop()
    dest = tmp_path / "www"
    err = refused_cleanly(cli("publish", dest, "--no-build", "--output", ".briefgen-serve"), 1)
    assert "is a preview: the dev server's output (serve mode)" in err
    assert not dest.exists()


def test_issue_15_a_drafts_build_cannot_be_published_even_without_drafts(
    cli: Cli, site: Path, tmp_path: Path
) -> None:
    (site / "content/2024/wip.md").unlink()
    assert cli("build", "--drafts").returncode == 0
    manifest = json.loads((site / "site" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["preview"] == ["drafts"]
    dest = tmp_path / "www"
    err = refused_cleanly(cli("publish", dest, "--no-build"), 1)
    assert "is a preview: built with --drafts" in err
    assert not dest.exists()
    for flag, says in (("--future", "built with --future"), ("--expired", "built with --exp")):
        assert cli("build", flag).returncode == 0
        assert says in refused_cleanly(cli("publish", dest, "--no-build"), 1)
    assert cli("build").returncode == 0  # a real build: publishable
    assert "preview" not in json.loads((site / "site" / MANIFEST).read_text(encoding="utf-8"))
    assert cli("publish", dest, "--no-build").returncode == 0


# --- issue 13 item 6: a folder target keeps what briefgen did not write ---------------------


def test_issue_13_a_folder_with_files_briefgen_did_not_publish_is_refused(
    cli: Cli, site: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "www"
    (dest / "private").mkdir(parents=True)
    (dest / "private/notes.txt").write_text("mine", encoding="utf-8")
    (dest / "index.html").write_text("my own home page", encoding="utf-8")
    before = snapshot(dest)
    err = refused_cleanly(cli("publish", dest), 1)
    assert "holds 2 files briefgen did not publish (index.html, private/notes.txt)" in err
    assert "--force" in err and "--delete" in err
    assert snapshot(dest) == before
    refused_cleanly(cli("publish", dest, "--dry-run"), 1)  # the dry run says the same

    done = cli("publish", dest, "--force")
    assert done.returncode == 0, done.stderr
    assert (dest / "private/notes.txt").read_text(encoding="utf-8") == "mine"
    assert "Grain quota" in (dest / "index.html").read_text(encoding="utf-8")
    refused_cleanly(cli("publish", dest), 1)  # notes.txt is still not briefgen's

    assert cli("publish", dest, "--delete").returncode == 0
    assert not (dest / "private").exists()
    done = cli("publish", dest)  # now everything there is briefgen's
    assert done.returncode == 0 and "nothing changed" in done.stderr
    assert cli("publish", f"git:{bare_repo(tmp_path / 'p.git')}", "--force").returncode == 2


def plan_of(stdout: str) -> dict[str, set[str]]:
    plan: dict[str, set[str]] = {}
    for line in stdout.splitlines():
        if line.startswith("  "):
            action, path = line.split()[:2]
            plan.setdefault(action, set()).add(path)
    return plan


@pytest.mark.parametrize("flag", ["--force", "--delete"])
def test_issue_13_the_run_does_exactly_what_the_dry_run_planned(
    cli: Cli, site: Path, tmp_path: Path, flag: str
) -> None:
    outside = tmp_path / "outside"
    (outside / "x").mkdir(parents=True)
    (outside / "x/keep.html").write_text("outside", encoding="utf-8")
    dest = tmp_path / "www"
    dest.mkdir()
    (dest / "api").write_text("the user's api notes", encoding="utf-8")  # site needs api/
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    (dest / "briefings").symlink_to(outside, target_is_directory=True)
    (dest / "index.html").mkdir()  # an empty folder where the site has a file
    outside_before = snapshot(outside)

    dry = cli("publish", dest, flag, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    plan = plan_of(dry.stdout)
    removed = plan.get("replace", set()) | plan.get("delete", set())
    assert {"api", "briefings"} <= plan["replace"]
    assert ("notes.txt" in plan.get("keep", set())) == (flag == "--force")
    assert ("notes.txt" in plan.get("delete", set())) == (flag == "--delete")
    before = snapshot(dest)

    done = cli("-v", "publish", dest, flag)
    assert done.returncode == 0, done.stderr
    assert plan_of(done.stdout) == plan  # the run printed the same plan...
    after = snapshot(dest)
    built = tree(site / "site")
    for path in plan.get("keep", set()):  # ...and did it: kept is kept
        assert after[path] == before[path]
    for path in removed:
        assert before[path] != after.get(path), path
    for path in plan.get("upload", set()) | plan.get("update", set()):
        assert (dest / path).read_bytes() == built[path]
    planned = removed | plan.get("keep", set()) | plan.get("upload", set())
    for path in set(before) - planned:  # nothing unplanned changed (folders may be new)
        if before[path][0] != "dir":
            assert after.get(path) == before[path], path
    assert snapshot(outside) == outside_before


# --- issue 13 item 6: git publish leaves no temporary folders -------------------------------


FAKE_SSH = """#!/bin/sh
echo $$ > "{started}"
exec sleep 30
"""


def slow_remote(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An ssh that hangs (as a slow network does), and the file it writes when it starts."""
    started = tmp_path / "ssh-started"
    ssh = tmp_path / "fake-ssh"
    ssh.write_text(FAKE_SSH.format(started=started), encoding="utf-8")
    ssh.chmod(0o755)
    return {"GIT_SSH": str(ssh)}, started


def start_publish(site: Path, env: dict[str, str], extra: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen", "publish", "git:ssh://example.invalid/pages.git"],
        cwd=site,
        env={**env, **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text(encoding="utf-8").strip():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the publish never reached git"
        time.sleep(0.05)


def stop_ssh(started: Path) -> None:
    with contextlib.suppress(ProcessLookupError, ValueError):
        os.kill(int(started.read_text(encoding="utf-8")), signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_issue_13_git_publish_removes_its_temporary_folder_when_stopped(
    site: Path, tmp_path: Path, env: dict[str, str], signum: int
) -> None:
    extra, started = slow_remote(tmp_path)
    process = start_publish(site, env, extra)
    try:
        wait_for(started, process)
        assert [n for n in scratch(env) if n.startswith("briefgen-publish-")]  # in use
        process.send_signal(signum)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
        stop_ssh(started)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert scratch(env) == []


def test_issue_13_the_next_publish_removes_what_a_killed_one_left(
    cli: Cli, site: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    extra, started = slow_remote(tmp_path)
    process = start_publish(site, env, extra)
    try:
        wait_for(started, process)
        process.kill()  # SIGKILL: no chance to clean up
        process.communicate(timeout=30)
    finally:
        stop_ssh(started)
    left = scratch(env)
    assert left and all(n.startswith(f"briefgen-publish-{process.pid}-") for n in left)
    busy = Path(env["TMPDIR"]) / f"briefgen-publish-{os.getpid()}-running"
    busy.mkdir()  # a publish still running (this process): left alone
    repo = bare_repo(tmp_path / "pages.git")
    done = cli("publish", f"git:{repo}")
    assert done.returncode == 0, done.stderr
    assert scratch(env) == [busy.name]
    assert "index.html" in branch_files(repo)


def test_issue_13_the_folder_record_is_not_a_site_file(cli: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    assert cli("publish", dest).returncode == 0
    record = json.loads((dest / RECORD).read_text(encoding="utf-8"))
    assert "index.html" in record["published"] and RECORD not in record["published"]


def test_a_wrongly_typed_publish_setting_reads_as_english(cli: Cli, site: Path) -> None:
    config = site / "briefgen.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "publish:\n  live:\n    target: out\n    max_deletes: ten\n", "utf-8")
    err = refused_cleanly(cli("publish", "live"))
    assert "publish.live: `max_deletes` must be a whole number, not 'ten'" in err
    assert "a int" not in err
