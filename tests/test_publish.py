"""`briefgen publish`: real git repositories, a real (moto) S3 server and real folders.

Nothing is mocked: git targets push to bare repositories in tmp_path and are cloned back;
S3 targets talk HTTP to a moto server started here; folder targets are checked on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, tree

from briefgen import __version__, cli
from briefgen.publish import register
from briefgen.publish.folder import RECORD
from briefgen.publish.plan import make_plan, phases, too_many_deletes, upload_order
from briefgen.write import MANIFEST

GRAIN = "Kazakhstan raised its grain export quota, officials in Astana said on Monday."
CORRIDOR = "The Middle Corridor across the Caspian carried more freight to Europe this year."

Run = Callable[..., int]


@pytest.fixture
def publish(monkeypatch: pytest.MonkeyPatch) -> Run:
    """`briefgen publish ARGS...` through the real CLI (registering it if cli does not yet)."""
    extensions = cli._extensions()
    if register not in extensions:
        monkeypatch.setattr(cli, "_extensions", lambda: [*extensions, register])
    return lambda *argv: cli.main(["publish", *map(str, argv)])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path / "src",
        {
            "content/2024/grain.md": briefing(
                "Kazakhstan raises grain quota",
                date="2024-05-01",
                body=GRAIN,
                aliases="[/2024/05/grain-quota/]",
            ),
            "content/2024/corridor.md": briefing(
                "Freight on the Middle Corridor", date="2024-06-01", body=CORRIDOR
            ),
            "content/2024/wip.md": briefing("Unfinished draft", date="2024-06-02", draft="true"),
        },
    )


def edit(site: Path, rel: str = "content/2024/corridor.md") -> None:
    path = site / rel
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")


def built_files(site: Path) -> dict[str, bytes]:
    files = tree(site / "site")
    files.pop(MANIFEST)
    return files


def mirrored(dest: Path) -> dict[str, bytes]:
    """A folder target's files, without the record of what briefgen published there."""
    files = tree(dest)
    files.pop(RECORD, None)
    return files


# --- git ---------------------------------------------------------------------------------


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config: publish must cope without a configured identity."""
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository around it
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("GIT_COMMITTER_EMAIL", raising=False)


def git(cwd: Path, *args: str) -> str:
    """Run git as the analyst would, except that `status` never refreshes the index file
    (so a test can tell whether publish touched it)."""
    ident = ["-c", "user.name=Analyst", "-c", "user.email=analyst@example.org"]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    done = subprocess.run(
        ["git", *ident, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def bare_repo(tmp_path: Path, name: str = "pages.git") -> Path:
    repo = tmp_path / name
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    return repo


def clone(repo: Path, branch: str, into: Path) -> Path:
    subprocess.run(
        ["git", "clone", "-q", "-b", branch, str(repo), str(into)], check=True, capture_output=True
    )
    return into


def commits(repo: Path, branch: str = "gh-pages") -> list[str]:
    return git(repo, "log", "--format=%s", branch).splitlines()


@pytest.mark.usefixtures("git_env")
def test_git_publish_commits_the_site_to_gh_pages(site, tmp_path, publish, capsys):
    remote = bare_repo(tmp_path)
    assert publish(f"git:{remote}", "--source", site, "--cname", "briefings.example.org") == 0
    checkout = clone(remote, "gh-pages", tmp_path / "checkout")
    files = tree(checkout)
    files = {p: b for p, b in files.items() if not p.startswith(".git/")}
    assert files[".nojekyll"] == b""
    assert files["CNAME"] == b"briefings.example.org\n"
    assert b"Kazakhstan raises grain quota" in files["index.html"]
    assert MANIFEST not in files
    assert "briefings/wip/index.html" not in files  # built without drafts
    assert {p: b for p, b in files.items() if p not in (".nojekyll", "CNAME")} == built_files(site)
    assert commits(remote) == [f"Publish 2 briefings (briefgen {__version__})"]
    assert "pushed" in capsys.readouterr().err


@pytest.mark.usefixtures("git_env")
def test_git_each_publish_is_one_commit_and_an_unchanged_site_makes_none(
    site, tmp_path, publish, capsys
):
    remote = bare_repo(tmp_path)
    assert publish(f"git:{remote}#pages", "--source", site) == 0
    edit(site)
    assert publish(f"git:{remote}#pages", "--source", site) == 0
    history = git(remote, "log", "--format=%H %P", "pages").splitlines()
    assert len(history) == 2
    newest, parent = history[0].split()
    assert history[1].startswith(parent)  # kept history: the new commit is on top of the old
    capsys.readouterr()

    assert publish(f"git:{remote}#pages", "--source", site) == 0
    out = capsys.readouterr()
    assert "nothing changed" in out.err
    assert git(remote, "rev-parse", "pages").strip() == newest


@pytest.mark.usefixtures("git_env")
def test_git_publish_leaves_the_users_repository_alone(site, tmp_path, publish):
    """The site's own repository is the remote: gh-pages appears; nothing else moves."""
    (site / ".gitignore").write_text("/site/\n/.briefgen-cache/\n", encoding="utf-8")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "Briefings")
    edit(site, "content/2024/grain.md")  # an uncommitted change...
    (site / "notes.txt").write_text("scratch\n", encoding="utf-8")
    git(site, "add", "notes.txt")  # ...and a staged one
    assert build_site(site).ok  # site/ and the cache exist already (both ignored by git)
    before = {
        "head": git(site, "rev-parse", "HEAD"),
        "branch": git(site, "symbolic-ref", "HEAD"),
        "status": git(site, "status", "--porcelain"),
        "staged": git(site, "diff", "--cached"),
        "files": sorted(p.name for p in site.iterdir()),
        "index": (site / ".git/index").stat().st_mtime_ns,
    }
    source = git(site, "rev-parse", "--short=12", "HEAD").strip()

    assert publish(f"git:{site}", "--source", site) == 0

    after = {
        "head": git(site, "rev-parse", "HEAD"),
        "branch": git(site, "symbolic-ref", "HEAD"),
        "status": git(site, "status", "--porcelain"),
        "staged": git(site, "diff", "--cached"),
        "files": sorted(p.name for p in site.iterdir()),
        "index": (site / ".git/index").stat().st_mtime_ns,
    }
    assert after == before
    assert "index.html" in git(site, "ls-tree", "--name-only", "gh-pages")
    assert commits(site) == [f"Publish 2 briefings (briefgen {__version__}) from {source}+changes"]


@pytest.mark.usefixtures("git_env")
def test_git_named_target_and_delete_rules(site, tmp_path, publish, capsys):
    remote = bare_repo(tmp_path)
    config = site / "briefgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"publish:\n  pages:\n    target: 'git:{remote}#live'\n    cname: desk.example.org\n",
        encoding="utf-8",
    )
    assert publish("pages", "--source", site) == 0
    (site / "content/2024/corridor.md").unlink()

    assert publish("pages", "--source", site) == 0  # no --delete: the old page stays
    listing = git(remote, "ls-tree", "-r", "--name-only", "live")
    assert "briefings/corridor/index.html" in listing
    assert "not in the site" in capsys.readouterr().err

    assert publish("pages", "--source", site, "--delete", "--max-deletes", "0") == 1
    assert "more than --max-deletes 0" in capsys.readouterr().err
    assert len(commits(remote, "live")) == 2

    assert publish("pages", "--source", site, "--delete") == 0
    listing = git(remote, "ls-tree", "-r", "--name-only", "live").splitlines()
    assert "briefings/corridor/index.html" not in listing
    assert {"CNAME", ".nojekyll", "index.html"} <= set(listing)


@pytest.mark.usefixtures("git_env")
def test_git_keeps_a_cname_it_was_not_told_about(site, tmp_path, publish):
    remote = bare_repo(tmp_path)
    assert publish(f"git:{remote}", "--source", site, "--cname", "a.example.org") == 0
    assert publish(f"git:{remote}", "--source", site, "--delete") == 0  # nothing changed
    edit(site)
    assert publish(f"git:{remote}", "--source", site, "--delete") == 0
    assert git(remote, "show", "gh-pages:CNAME") == "a.example.org\n"


@pytest.mark.usefixtures("git_env")
def test_git_unreachable_remote_or_bad_cname_is_a_clear_failure(site, tmp_path, publish, capsys):
    assert publish(f"git:{tmp_path / 'nowhere.git'}", "--source", site) == 1
    assert "publish failed: git ls-remote failed" in capsys.readouterr().err
    remote = bare_repo(tmp_path)
    assert publish(f"git:{remote}", "--source", site, "--cname", "https://x.org/") == 1
    assert "is not a domain name" in capsys.readouterr().err
    assert git(remote, "branch", "--list") == ""


# --- S3 (moto server) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server_module = pytest.importorskip("moto.server", reason="needs moto[server] (dev extra)")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A boto3 client for the moto server and a fresh bucket; dummy credentials in env."""
    boto3 = pytest.importorskip("boto3")

    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    client = boto3.client("s3", endpoint_url=moto_endpoint)
    bucket = "b-" + hashlib.sha1(str(tmp_path).encode()).hexdigest()[:12]
    client.create_bucket(Bucket=bucket)
    client.bucket = bucket  # type: ignore[attr-defined]
    client.endpoint = moto_endpoint  # type: ignore[attr-defined]
    yield client
    client.close()


def keys(client, prefix: str = "") -> dict[str, str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=client.bucket, Prefix=prefix)
    return {o["Key"]: o["LastModified"] for p in pages for o in p.get("Contents", [])}


def test_s3_uploads_with_content_type_and_cache_control(site, s3, publish, capsys):
    target = f"s3://{s3.bucket}/briefs"
    assert publish(target, "--source", site, "--endpoint-url", s3.endpoint) == 0
    expected = {"briefs/" + p for p in built_files(site) if p not in ("_headers", "_redirects")}
    assert set(keys(s3)) == expected

    def head(rel: str) -> dict:
        return s3.head_object(Bucket=s3.bucket, Key="briefs/" + rel)

    page = head("briefings/grain/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=300"
    css = next(p for p in built_files(site) if p.startswith("static/") and p.endswith(".css"))
    assert css != "static/style.css"  # fingerprinted
    asset = head(css)
    assert asset["ContentType"] == "text/css; charset=utf-8"
    assert asset["CacheControl"] == "public, max-age=31536000, immutable"
    assert head("feed.xml")["ContentType"] == "application/xml; charset=utf-8"
    assert head("feed.xml")["CacheControl"] == "public, max-age=300"
    assert head("api/briefings.json")["ContentType"] == "application/json; charset=utf-8"
    assert head("robots.txt")["ContentType"] == "text/plain; charset=utf-8"
    body = (site / "site/index.html").read_bytes()
    assert head("index.html")["Metadata"]["sha256"] == hashlib.sha256(body).hexdigest()
    capsys.readouterr()

    stamps = keys(s3)
    assert publish(target, "--source", site, "--endpoint-url", s3.endpoint) == 0
    out = capsys.readouterr()
    assert "0 to upload, 0 to update, 0 to delete" in out.out
    assert "nothing changed" in out.err
    assert keys(s3) == stamps  # not one object rewritten


def test_s3_uploads_only_what_changed(site, s3, publish, capsys):
    target = f"s3://{s3.bucket}"
    assert publish(target, "--source", site, "--endpoint-url", s3.endpoint) == 0
    edit(site)
    capsys.readouterr()
    assert publish(target, "--source", site, "--endpoint-url", s3.endpoint, "--dry-run") == 0
    updated = [
        line.split()[1]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("  update")
    ]
    assert "briefings/corridor/index.html" in updated
    assert not [p for p in updated if p.startswith("static/")]
    assert "briefings/grain/index.html" not in updated


def test_s3_object_uploaded_another_way_is_recognised_by_its_sha256(site, s3, publish, capsys):
    """A multipart upload's ETag is not an MD5; the sha256 in its metadata decides."""
    target = f"s3://{s3.bucket}"
    assert publish(target, "--source", site, "--endpoint-url", s3.endpoint) == 0
    data = (site / "site/index.html").read_bytes()
    upload = s3.create_multipart_upload(
        Bucket=s3.bucket, Key="index.html", Metadata={"sha256": hashlib.sha256(data).hexdigest()}
    )
    part = s3.upload_part(
        Bucket=s3.bucket, Key="index.html", UploadId=upload["UploadId"], PartNumber=1, Body=data
    )
    s3.complete_multipart_upload(
        Bucket=s3.bucket,
        Key="index.html",
        UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]},
    )
    assert "-" in s3.head_object(Bucket=s3.bucket, Key="index.html")["ETag"]
    capsys.readouterr()
    assert publish(target, "--source", site, "--endpoint-url", s3.endpoint, "--dry-run") == 0
    assert "0 to upload, 0 to update" in capsys.readouterr().out


def test_s3_deletes_only_with_delete_and_within_max_deletes(site, s3, publish, capsys):
    for key in ("live/old-1.html", "live/old-2.html", "live/old/3.html", "elsewhere.html"):
        s3.put_object(Bucket=s3.bucket, Key=key, Body=b"old")
    target = f"s3://{s3.bucket}/live/"
    args = ("--source", site, "--endpoint-url", s3.endpoint)

    assert publish(target, *args) == 0
    assert "live/old-1.html" in keys(s3)
    assert "3 files at the target are not in the site" in capsys.readouterr().err

    assert publish(target, *args, "--delete", "--max-deletes", "2") == 1
    out = capsys.readouterr()
    assert "the plan deletes 3 files, more than --max-deletes 2" in out.err
    assert "live/old/3.html" in keys(s3)

    assert publish(target, *args, "--delete") == 0
    remaining = keys(s3)
    assert not [k for k in remaining if k.startswith("live/old")]
    assert "elsewhere.html" in remaining  # outside the prefix: never touched


def test_s3_named_target_reads_endpoint_and_delete_from_config(site, s3, publish):
    s3.put_object(Bucket=s3.bucket, Key="www/stale.html", Body=b"old")
    config = site / "briefgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "publish:\n  production:\n"
        + f"    target: s3://{s3.bucket}/www\n    endpoint_url: {s3.endpoint}\n"
        + "    delete: true\n",
        encoding="utf-8",
    )
    assert publish("production", "--source", site) == 0
    assert "www/stale.html" not in keys(s3)
    assert "www/index.html" in keys(s3)
    # Flags override the configuration.
    s3.put_object(Bucket=s3.bucket, Key="www/stale.html", Body=b"old")
    assert publish("production", "--source", site, "--no-delete") == 0
    assert "www/stale.html" in keys(s3)


def test_s3_dry_run_changes_nothing(site, s3, publish, capsys):
    code = publish(
        f"s3://{s3.bucket}", "--source", site, "--endpoint-url", s3.endpoint, "--dry-run"
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "dry run" in out
    assert "  upload  index.html" in out
    assert keys(s3) == {}


def test_s3_without_boto3_says_how_to_install_it(site, publish, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # `import boto3` now fails
    assert publish("s3://bucket/prefix", "--source", site) == 1
    assert "pip install 'briefgen[s3]'" in capsys.readouterr().err


def test_credentials_in_config_are_refused(site, publish, capsys):
    config = site / "briefgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "publish:\n  production:\n    target: s3://b\n    aws_secret_access_key: x\n",
        encoding="utf-8",
    )
    assert publish("production", "--source", site) == 2
    assert "credentials are never read from briefgen.yaml" in capsys.readouterr().err


# --- folder ------------------------------------------------------------------------------


def test_folder_mirrors_the_site_and_republishes_nothing(site, tmp_path, publish, capsys):
    dest = tmp_path / "www"
    assert publish(dest, "--source", site) == 0
    assert mirrored(dest) == built_files(site)
    capsys.readouterr()

    assert publish(dest, "--source", site) == 0
    assert "nothing changed" in capsys.readouterr().err
    edit(site)
    assert publish(dest, "--source", site) == 0
    assert mirrored(dest) == built_files(site)


def test_folder_only_changed_files_are_written(site, tmp_path, publish):
    """A write is a new file renamed into place, so an unchanged file keeps its inode."""
    dest = tmp_path / "www"
    assert publish(dest, "--source", site) == 0
    inodes = {p: (dest / p).stat().st_ino for p in mirrored(dest)}
    edit(site)
    assert publish(dest, "--source", site) == 0
    gone = {p for p in inodes if not (dest / p).exists()}
    assert gone and all(p.startswith("pagefind/") for p in gone)  # old index fragments only
    rewritten = {
        p for p, ino in inodes.items() if p not in gone and (dest / p).stat().st_ino != ino
    }
    assert "briefings/corridor/index.html" in rewritten
    assert not [p for p in rewritten if p.startswith("static/")]
    assert "briefings/grain/index.html" not in rewritten


def test_folder_delete_rules(site, tmp_path, publish, capsys):
    dest = tmp_path / "www"
    (dest / "old/deeper").mkdir(parents=True)
    for rel in ("old/a.html", "old/deeper/b.html", "stale.txt"):
        (dest / rel).write_text("old", encoding="utf-8")
    assert publish(dest, "--source", site) == 1  # files briefgen did not put there
    assert "holds 3 files briefgen did not publish" in capsys.readouterr().err
    assert sorted(tree(dest)) == ["old/a.html", "old/deeper/b.html", "stale.txt"]
    assert publish(dest, "--source", site, "--force") == 0
    assert (dest / "old/a.html").exists()
    assert publish(dest, "--source", site) == 1  # still not briefgen's
    capsys.readouterr()
    assert publish(dest, "--source", site, "--delete", "--max-deletes", "2") == 1
    assert "more than --max-deletes 2" in capsys.readouterr().err
    assert (dest / "stale.txt").exists()
    assert publish(dest, "--source", site, "--delete") == 0
    assert not (dest / "old").exists()  # emptied folders go too
    assert mirrored(dest) == built_files(site)


def test_folder_never_follows_symlinks_out_of_the_folder(site, tmp_path, publish):
    outside = tmp_path / "outside"
    (outside / "briefings").mkdir(parents=True)
    (outside / "secret.txt").write_text("keep me", encoding="utf-8")
    (outside / "briefings/keep.html").write_text("keep me", encoding="utf-8")
    dest = tmp_path / "www"
    dest.mkdir()
    (dest / "index.html").symlink_to(outside / "secret.txt")
    (dest / "briefings").symlink_to(outside / "briefings", target_is_directory=True)
    (dest / "elsewhere").symlink_to(outside, target_is_directory=True)

    assert publish(dest, "--source", site, "--delete") == 0
    assert (outside / "secret.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in (outside / "briefings").iterdir()) == ["keep.html"]
    assert not (dest / "index.html").is_symlink()
    assert not (dest / "briefings").is_symlink()
    assert not (dest / "elsewhere").exists()  # the stale link went, not what it points to
    assert outside.is_dir()
    assert mirrored(dest) == built_files(site)


def test_folder_refuses_dangerous_destinations(site, tmp_path, publish, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for dest in (site, site.parent, home, Path("/"), site / "site", site / "content/2024"):
        assert publish(dest, "--source", site, "--no-build") in (1, 2), dest
        err = capsys.readouterr().err
        assert "refus" in err, (dest, err)
    assert sorted(p.name for p in home.iterdir()) == []


def test_interrupted_folder_publish_is_finished_by_running_it_again(site, tmp_path, publish):
    dest = tmp_path / "www"
    assert publish(dest, "--source", site) == 0
    # As if killed mid-way: some files missing, one half-written under a temporary name.
    (dest / "index.html").unlink()
    (dest / "feed.xml").write_text("<partial", encoding="utf-8")
    (dest / "briefings/.briefgen-tmp-999-index.html").write_text("<half", encoding="utf-8")
    assert publish(dest, "--source", site) == 0
    assert mirrored(dest) == built_files(site)


def test_the_only_configured_target_is_the_default_and_its_path_is_site_relative(
    site, publish, capsys
):
    config = site / "briefgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "publish:\n  local:\n    target: ../www\n",
        encoding="utf-8",
    )
    assert publish("--source", site) == 0
    assert mirrored(site.parent / "www") == built_files(site)
    assert f"publishing to {site.parent / 'www'}" in capsys.readouterr().out


def test_folder_dry_run_changes_nothing(site, tmp_path, publish, capsys):
    dest = tmp_path / "www"
    assert publish(dest, "--source", site, "--dry-run") == 0
    assert not dest.exists()
    dest.mkdir()
    (dest / "stale.html").write_text("old", encoding="utf-8")
    assert publish(dest, "--source", site, "--dry-run", "--delete") == 0
    out = capsys.readouterr().out
    assert "  delete  stale.html" in out
    assert sorted(p.name for p in dest.iterdir()) == ["stale.html"]


# --- what may be published ---------------------------------------------------------------


def test_publish_refuses_a_site_with_a_build_error(site, tmp_path, publish, capsys):
    (site / "content/broken.md").write_text("---\ntitle: No date\n---\nText.\n", encoding="utf-8")
    dest = tmp_path / "www"
    assert publish(dest, "--source", site) == 1
    err = capsys.readouterr().err
    assert "[missing-date]" in err
    assert "publish refused: the build has errors" in err
    assert not dest.exists()


def test_publish_builds_without_drafts_and_refuses_an_output_with_drafts(
    site, tmp_path, publish, capsys
):
    assert cli.main(["build", "--source", str(site), "--drafts"]) == 0
    dest = tmp_path / "www"
    assert publish(dest, "--source", site, "--no-build") == 1
    assert "includes drafts (wip)" in capsys.readouterr().err
    assert not dest.exists()

    assert publish(dest, "--source", site) == 0  # builds again, without drafts
    api = json.loads((dest / "api/briefings.json").read_text(encoding="utf-8"))
    assert [b["draft"] for b in api["briefings"]] == [False, False]
    assert not (dest / "briefings/wip").exists()


def test_no_build_publishes_the_existing_output_as_it_is(site, tmp_path, publish, capsys):
    dest = tmp_path / "www"
    assert publish(dest, "--source", site, "--no-build") == 1
    assert f"no {MANIFEST}" in capsys.readouterr().err
    assert build_site(site).ok
    edit(site)  # not built: --no-build publishes what is in site/
    assert publish(dest, "--source", site, "--no-build") == 0
    assert mirrored(dest) == built_files(site)
    assert b"A new paragraph" not in (dest / "briefings/corridor/index.html").read_bytes()
    (site / "site/index.html").write_text("tampered", encoding="utf-8")
    assert publish(dest, "--source", site, "--no-build") == 1
    assert "changed since the build" in capsys.readouterr().err


def test_unknown_target_name_is_a_usage_error_with_a_hint(site, publish, capsys):
    config = site / "briefgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "publish:\n  production: s3://bucket\n",
        encoding="utf-8",
    )
    assert publish("prodution", "--source", site) == 2
    err = capsys.readouterr().err
    assert "unknown publish target `prodution`" in err
    assert "did you mean `production`?" in err
    assert publish("./x", "--source", site, "--cname", "a.example.org") == 2
    assert "applies to git targets only" in capsys.readouterr().err


# --- the plan ----------------------------------------------------------------------------


def test_plan_compares_digests_and_keeps_protected_paths():
    local = {"a.html": "1", "b.html": "2", "c.html": "3"}
    remote = {"a.html": "1", "b.html": "x", "old.html": "9", "CNAME": "7"}
    plan = make_plan(local, remote, delete=True, keep={"CNAME"})
    assert plan.upload == ("c.html",)
    assert plan.update == ("b.html",)
    assert plan.unchanged == ("a.html",)
    assert plan.delete == ("old.html",)
    assert plan.stale == ("CNAME",)
    assert too_many_deletes(plan, 1) is None
    assert too_many_deletes(plan, 0)
    assert make_plan(local, remote, delete=False).delete == ()


def test_upload_order_sends_assets_first_and_listings_last():
    paths = ["index.html", "feed.xml", "briefings/x/index.html", "static/style.1a2b3c4d5e.css"]
    assert upload_order(paths) == (
        "static/style.1a2b3c4d5e.css",
        "briefings/x/index.html",
        "feed.xml",
        "index.html",
    )
    assert phases(paths) == [
        ("static/style.1a2b3c4d5e.css",),
        ("briefings/x/index.html",),
        ("feed.xml", "index.html"),
    ]


def test_publish_never_touches_the_source_folder(site, tmp_path, publish):
    before = {p: b for p, b in tree(site).items() if p.startswith(("content/", "topics"))}
    assert publish(tmp_path / "www", "--source", site) == 0
    after = {p: b for p, b in tree(site).items() if p.startswith(("content/", "topics"))}
    assert after == before
    assert os.listdir(tmp_path / "www")
