"""Every diagnostic the loader, config and write stage can emit: file, line, severity, code.

Each case is a bad input in a real site, checked on the first line of `Diagnostic.format()`
exactly (`path:line: severity: message [code]`) and on its hint. The one-file cases (CASES)
share one site, each bad file named after its case, which also shows that every problem of
every file is reported by the same build; the others build a site of their own.
Paths of briefings are relative to content/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import briefing, build_site, headline, make_site, one, tree

from briefgen.diagnostics import Severity


def diagnose(tmp_path: Path, files: dict[str, str], **site: object):
    root = make_site(tmp_path / "src", files, **site)
    return build_site(root, write=False)


GOOD = briefing("Good", body="Kazakhstan signed a long-term grain agreement with China today.")

# (code, text of content/bad.md, expected headline, fragment of the hint)
CASES = [
    (
        "missing-title",
        "---\ndate: 2024-01-01\n---\nBody.\n",
        "bad.md:2: error: briefing has no `title` [missing-title]",
        'add title: "..."',
    ),
    (
        "missing-date",
        "---\ntitle: T\n---\nBody.\n",
        "bad.md:2: error: briefing has no `date` [missing-date]",
        "add date: YYYY-MM-DD",
    ),
    (
        "bad-date",
        briefing("T", date="2024-02-30"),
        "bad.md:3: error: `2024-02-30` is not a real date (day is out of range for month) "
        "[bad-date]",
        "YYYY-MM-DD",
    ),
    (
        "bad-date",
        briefing("T", date="28/11/2024"),
        "bad.md:3: error: `28/11/2024` is not a date in YYYY-MM-DD or ISO 8601 form [bad-date]",
        "write dates as YYYY-MM-DD",
    ),
    (
        "bad-date",
        briefing("T", updated="2024-13-01"),
        "bad.md:4: error: `2024-13-01` is not a real date (month must be in 1..12) [bad-date]",
        "YYYY-MM-DD",
    ),
    (
        "updated-before-date",
        briefing("T", date="2024-05-01", updated="2024-04-01"),
        "bad.md:4: warning: `updated` is earlier than `date` [updated-before-date]",
        "",
    ),
    (
        "unknown-key",
        "---\ntitel: T\ndate: 2024-01-01\n---\nBody.\n",
        "bad.md:2: warning: unknown key `titel` (kept for templates) [unknown-key]",
        "did you mean `title`?",
    ),
    (
        "unknown-topic",
        briefing("T", topics="[russia, Kazakstan]"),
        "bad.md:4: warning: unknown topic `Kazakstan` [unknown-topic]",
        "did you mean `kazakhstan`?",
    ),
    (
        "unknown-topic",
        briefing("T", topics="\n  - russia\n  - Europen Union"),
        "bad.md:6: warning: unknown topic `Europen Union` [unknown-topic]",
        "did you mean `eu`?",  # the hint names the id, not the misspelt name
    ),
    (
        "bad-type",
        briefing("T", type="anaylsis"),
        "bad.md:4: error: unknown type `anaylsis` [bad-type]",
        "did you mean `analysis`?",
    ),
    (
        "bad-slug",
        briefing("T", slug='"Bad Slug"'),
        "bad.md:4: error: slug `Bad Slug` is not URL-safe (lowercase letters, digits, hyphens) "
        "[bad-slug]",
        "use slug: bad-slug",
    ),
    (
        "yaml-syntax",
        "---\ntitle: T\nauthors: a: b\ndate: 2024-01-01\n---\nBody.\n",
        "bad.md:3: error: invalid YAML: mapping values are not allowed in this context "
        "[yaml-syntax]",
        "indentation",
    ),
    (
        "yaml-tag",
        "---\ntitle: !!python/object:os.system x\ndate: 2024-01-01\n---\nBody.\n",
        "bad.md:2: error: unsupported YAML tag: only plain YAML is allowed "
        "(tags such as !!python/object are refused) [yaml-tag]",
        "remove the !!tag",
    ),
    (
        "yaml-bomb",
        "---\ntitle: T\ndate: 2024-01-01\n"
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "---\nBody.\n",
        "bad.md:2: error: YAML aliases expand to too many nodes; refusing to expand them "
        "[yaml-bomb]",
        "&anchor/*alias",
    ),
    (
        "front-matter-shape",
        "---\n- title\n- date\n---\nBody.\n",
        "bad.md:2: error: front matter must be a mapping of keys (title:, date:, ...) "
        "[front-matter-shape]",
        "key: value",
    ),
    (
        "no-front-matter",
        "# Just a heading\n\nSome text.\n",
        "bad.md:1: error: file does not start with front matter (`---`) [no-front-matter]",
        "start the file with ---",
    ),
    (
        "unclosed-front-matter",
        "---\ntitle: T\ndate: 2024-01-01\n\nBody that never got its fence.\n",
        "bad.md:1: error: front matter opened here is never closed [unclosed-front-matter]",
        "add a line with only ---",
    ),
    (
        "empty-file",
        "",
        "bad.md:1: error: file is empty [empty-file]",
        "at least `title:` and `date:`",
    ),
    (
        "empty-file",
        "   \n\n  \n",
        "bad.md:1: error: file is empty [empty-file]",
        "",
    ),
    (
        "field-type",
        "---\ntitle: [a, b]\ndate: 2024-01-01\n---\nBody.\n",
        "bad.md:2: error: `title` must be text [field-type]",
        'write title: "..."',
    ),
    (
        "field-type",
        briefing("T", authors="{name: Jane}"),
        "bad.md:4: error: `authors` must be a list of text items [field-type]",
        "write authors: [first, second]",
    ),
    (
        "field-type",
        briefing("T", draft="maybe"),
        "bad.md:4: error: `draft` must be true or false, not 'maybe' [field-type]",
        "",
    ),
    (
        "field-type",
        briefing("T", sources="https://example.org/only-a-string"),
        "bad.md:4: error: `sources` must be a list of {title, url} [field-type]",
        "",
    ),
    (
        "bad-source",
        briefing("T", sources="\n  - {url: 'https://example.org/a'}"),
        "bad.md:5: error: each source needs a `title` (and usually a `url`) [bad-source]",
        "title:",
    ),
    (
        "bad-source",
        briefing("T", sources="\n  - {title: Evil, url: 'javascript:alert(1)'}"),
        "bad.md:5: error: source URL `javascript:alert(1)` is not http(s) [bad-source]",
        "",
    ),
    (
        "bad-alias",
        briefing("T", aliases='["../../etc/passwd"]'),
        "bad.md:4: error: alias `../../etc/passwd` is not a site path [bad-alias]",
        "/2022/11/old-title/",
    ),
    (
        "too-many-topics",
        briefing("T", topics="[" + ", ".join(f"t{i}" for i in range(51)) + "]"),
        "bad.md:4: error: 51 topics declared; at most 50 [too-many-topics]",
        "really about",
    ),
]


# Limits and hostile input.
CASES += [
    (
        "yaml-duplicate-key",
        "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\nBody.\n",
        "bad.md:4: error: key `title` appears twice (first on line 2) [yaml-duplicate-key]",
        "keep one of them",
    ),
    (
        "yaml-recursive",
        "---\ntitle: T\ndate: 2024-01-01\nx: &a [1, *a]\n---\nBody.\n",
        "bad.md:4: error: a YAML alias refers to the value that contains it [yaml-recursive]",
        "remove the *alias",
    ),
    (
        "yaml-depth",
        "---\ntitle: T\ndate: 2024-01-01\nx: " + "[" * 70 + "]" * 70 + "\n---\nBody.\n",
        "bad.md:4: error: YAML is nested more than 64 levels deep [yaml-depth]",
        "flatten",
    ),
    (
        "title-too-long",
        briefing("T" * 301),
        "bad.md:2: error: title is 301 characters long; at most 300 [title-too-long]",
        "summary:",
    ),
    (
        "invisible-chars",
        briefing("Hidden\u202e text", body="Zero\u200bwidth."),
        "bad.md:2: warning: removed 2 invisible or control characters "
        "(U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE) [invisible-chars]",
        "retype",
    ),
    (
        "markdown-too-deep",
        briefing("N", body="\n".join("  " * i + "- item" for i in range(30))),
        "bad.md:25: error: lists or quotes are nested too deeply; the content from here on "
        "would be lost [markdown-too-deep]",
        "flatten the nesting",
    ),
    (
        "html-too-deep",
        briefing("H", body="<div>" * 300 + "x" + "</div>" * 300),
        "bad.md:6: error: raw HTML nested 300 levels deep; at most 256 [html-too-deep]",
        "close the HTML tags",
    ),
]

CASE_IDS = [f"{case[0]}-{i}" for i, case in enumerate(CASES)]


@pytest.fixture(scope="module")
def all_cases(tmp_path_factory):
    """One site holding every bad file of CASES (named by case id) and one good file."""
    files = {"content/good.md": GOOD}
    files.update({f"content/{cid}.md": case[1] for cid, case in zip(CASE_IDS, CASES, strict=True)})
    root = make_site(tmp_path_factory.mktemp("cases") / "src", files)
    return build_site(root, write=False)


@pytest.mark.parametrize(("code", "text", "expected", "hint"), CASES, ids=CASE_IDS)
def test_loader_diagnostic(all_cases, request, code, text, expected, hint):
    name = f"{request.node.callspec.id}.md"
    diag = one((d for d in all_cases.diagnostics if d.file == name), code)
    assert headline(diag) == expected.replace("bad.md", name, 1)
    assert hint in diag.hint


def test_one_bad_file_never_hides_the_others(all_cases):
    # every bad file is reported in the same build, and the good one is still loaded
    reported = {d.file for d in all_cases.diagnostics}
    assert reported == {f"{cid}.md" for cid in CASE_IDS}
    assert "good" in all_cases.site.by_slug
    assert not all_cases.ok


def test_warnings_alone_do_not_fail_the_build(tmp_path):
    result = diagnose(
        tmp_path,
        {
            "content/a.md": briefing("A", topics="[Kazakstan]"),
            "content/b.md": briefing("B", date="2024-05-01", updated="2024-04-01"),
        },
    )
    assert [d.code for d in result.diagnostics] == ["unknown-topic", "updated-before-date"]
    assert result.ok
    assert set(result.site.by_slug) == {"a", "b"}


def test_format_shows_offending_line_and_hint(tmp_path):
    result = diagnose(tmp_path, {"content/bad.md": briefing("T", date="2024-02-30")})
    assert one(result.diagnostics, "bad-date").format() == (
        "bad.md:3: error: `2024-02-30` is not a real date (day is out of range for month) "
        "[bad-date]\n"
        "    3 | date: 2024-02-30\n"
        "    hint: write dates as YYYY-MM-DD, e.g. 2024-03-01"
    )


def test_diagnostic_paths_include_subfolders(tmp_path):
    result = diagnose(tmp_path, {"content/2024/11/bad.md": briefing("T", date="2024-02-30")})
    assert headline(one(result.diagnostics, "bad-date")).startswith("2024/11/bad.md:3: error:")


def test_known_keys_do_not_warn_and_unrelated_extra_keys_are_kept(tmp_path):
    result = diagnose(tmp_path, {"content/ok.md": briefing("T", region_note='"kept"')})
    assert result.diagnostics == ()
    assert result.site.by_slug["ok"].briefing.extra == {"region_note": "kept"}


def test_yaml_tag_is_refused_without_running_anything(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\ndate: 2024-01-01\n---\n'
    )
    result = diagnose(tmp_path, {"content/bad.md": text})
    assert one(result.diagnostics, "yaml-tag").line == 2
    assert not marker.exists()


def test_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    (root / "content" / "bad.md").write_bytes(b"---\ntitle: Caf\xe9\ndate: 2024-01-01\n---\n")
    result = build_site(root, write=False)
    diag = one(result.diagnostics, "not-utf8")
    assert headline(diag) == "bad.md:2: error: file is not valid UTF-8 (byte 14) [not-utf8]"
    assert diag.hint == "save the file as UTF-8"
    assert "good" in result.site.by_slug


def test_bom_and_crlf_are_accepted(tmp_path):
    text = "\ufeff---\r\ntitle: With BOM\r\ndate: 2024-01-01\r\n---\r\n\r\nBody text here.\r\n"
    root = make_site(tmp_path / "src", {})
    (root / "content" / "bom.md").write_bytes(text.encode("utf-8"))
    (root / "content" / "cr.md").write_bytes(b"---\rtitle: Old Mac\rdate: 2024-01-02\r---\rBody.\r")
    result = build_site(root, write=False)
    assert result.diagnostics == ()
    assert result.site.by_slug["bom"].briefing.title == "With BOM"
    assert result.site.by_slug["cr"].briefing.title == "Old Mac"


def test_bom_and_crlf_keep_line_numbers(tmp_path):
    text = "\ufeff---\r\ntitle: T\r\ndate: 2024-02-30\r\n---\r\n"
    root = make_site(tmp_path / "src", {})
    (root / "content" / "bad.md").write_bytes(text.encode("utf-8"))
    diag = one(build_site(root, write=False).diagnostics, "bad-date")
    assert (diag.line, diag.source_line) == (3, "date: 2024-02-30")


def test_duplicate_slug_from_file_names_in_two_folders(tmp_path):
    result = diagnose(
        tmp_path,
        {"content/2024/review.md": briefing("First"), "content/2025/review.md": briefing("Second")},
    )
    diag = one(result.diagnostics, "duplicate-url")
    assert headline(diag) == (
        "2025/review.md:1: error: `/briefings/review/` is already used by 2024/review.md "
        "[duplicate-url]"
    )
    assert "slug" in diag.hint
    assert result.site.by_slug["review"].briefing.title == "First"


def test_duplicate_explicit_slug(tmp_path):
    result = diagnose(
        tmp_path,
        {"content/a.md": briefing("A", slug="same"), "content/b.md": briefing("B", slug="same")},
    )
    diag = one(result.diagnostics, "duplicate-url")
    assert (diag.file, diag.severity) == ("b.md", Severity.ERROR)
    assert "`/briefings/same/` is already used by a.md" in diag.message


def test_alias_claiming_another_briefings_url(tmp_path):
    result = diagnose(
        tmp_path,
        {"content/a.md": briefing("A", aliases="[/briefings/b/]"), "content/b.md": briefing("B")},
    )
    diag = one(result.diagnostics, "duplicate-url")
    assert (diag.file, diag.severity) == ("b.md", Severity.ERROR)
    assert not result.ok


def test_two_aliases_claiming_the_same_old_url(tmp_path):
    result = diagnose(
        tmp_path,
        {
            "content/a.md": briefing("A", aliases="[/2020/old/]"),
            "content/b.md": briefing("B", aliases="[2020/old]"),
        },
    )
    assert headline(one(result.diagnostics, "duplicate-url")) == (
        "b.md:1: error: `/2020/old/` is already used by a.md [duplicate-url]"
    )


def test_read_failed_for_a_dangling_symlink(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    (root / "content" / "gone.md").symlink_to(root / "content" / "missing-target.md")
    result = build_site(root, write=False)
    assert headline(one(result.diagnostics, "read-failed")) == (
        "gone.md: error: cannot read file: No such file or directory [read-failed]"
    )
    assert "good" in result.site.by_slug


def test_symlink_outside_content_is_refused(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(briefing("Secret"), encoding="utf-8")
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    (root / "content" / "link.md").symlink_to(outside)
    result = build_site(root, write=False)
    diag = one(result.diagnostics, "symlink-outside")
    assert headline(diag) == (
        "link.md: error: symlink points outside the content folder; it is not read "
        "[symlink-outside]"
    )
    assert "secret" not in result.site.by_slug


def fs_site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "src", {"content/good.md": GOOD, "content/sub/real.md": GOOD})


def fs_diag(root: Path, code: str):
    result = build_site(root, write=False)
    assert "good" in result.site.by_slug
    return one(result.diagnostics, code)


def test_symlinked_folder_is_not_followed(tmp_path):
    root = fs_site(tmp_path)
    (root / "content" / "linked").symlink_to(root / "content" / "sub")
    assert headline(fs_diag(root, "symlink-folder")) == (
        "linked: warning: symlinked folder is not followed; briefings in it are not read "
        "[symlink-folder]"
    )


def test_symlink_loop(tmp_path):
    root = fs_site(tmp_path)
    (root / "content" / "loop.md").symlink_to(root / "content" / "loop.md")
    assert headline(fs_diag(root, "symlink-loop")) == (
        "loop.md: error: symlink leads to itself in a loop; it is not read [symlink-loop]"
    )


def test_not_a_regular_file(tmp_path):
    root = fs_site(tmp_path)
    os.mkfifo(root / "content" / "pipe.md")
    assert headline(fs_diag(root, "not-a-file")) == (
        "pipe.md: error: not a regular file (a pipe, socket or device); it is not read [not-a-file]"
    )


def test_file_too_large(tmp_path):
    root = fs_site(tmp_path)
    with open(root / "content" / "huge.md", "wb") as sparse:
        sparse.truncate(8 * 1024 * 1024 + 1)  # no data written: a sparse file
    diag = fs_diag(root, "file-too-large")
    assert (diag.file, diag.severity) == ("huge.md", Severity.ERROR)
    assert diag.hint == "split it into several briefings"


def test_file_name_that_is_not_utf8(tmp_path):
    root = fs_site(tmp_path)
    name = os.path.join(os.fsencode(root / "content"), b"bad\xffname.md")
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    diag = fs_diag(root, "bad-file-name")
    assert (diag.severity, diag.line) == (Severity.ERROR, 0)
    assert diag.file == "bad\\xffname.md"  # shown escaped, never as raw bytes


def test_windows_reserved_file_name(tmp_path):
    root = fs_site(tmp_path)
    (root / "content" / "CON.md").write_text(briefing("Con"), encoding="utf-8")
    diag = fs_diag(root, "reserved-name")
    assert headline(diag) == (
        "CON.md: warning: `CON` is a device name Windows reserves; the slug is `con-1` "
        "[reserved-name]"
    )


def test_invisible_characters_are_removed(tmp_path):
    result = diagnose(
        tmp_path, {"content/x.md": briefing("Hidden\u202e text", body="Zero\u200bwidth.")}
    )
    assert result.ok
    b = result.site.by_slug["x"].briefing
    assert (b.title, b.doc.blocks[0].text) == ("Hidden text", "Zerowidth.")


def test_content_missing(tmp_path):
    root = make_site(tmp_path / "src", {})
    (root / "content").rmdir()
    diag = one(build_site(root, write=False).diagnostics, "content-missing")
    assert headline(diag) == "<site>: error: content folder `content` not found [content-missing]"
    assert "briefgen init" in diag.hint


def test_hidden_and_editor_temp_files_are_not_briefings(tmp_path):
    result = diagnose(
        tmp_path,
        {
            "content/good.md": GOOD,
            "content/.hidden.md": "not front matter",
            "content/#autosave.md#": "junk",
            "content/.#lock.md": "junk",
            "content/good.md~": "junk",
            "content/.drafts/x.md": "junk",
            "content/notes.txt": "junk",
        },
    )
    # notes.txt is not a briefing; since issue 16 a file no briefing uses is a warning
    assert [headline(d) for d in result.diagnostics] == [
        "notes.txt: warning: no briefing links to this file; it is not copied [unreferenced-file]"
    ]
    assert list(result.site.by_slug) == ["good"]


# --- config (briefgen.yaml) ------------------------------------------------------------


def config_diags(tmp_path: Path, config: str):
    return diagnose(tmp_path, {"content/good.md": GOOD}, config=config)


def test_config_unknown_key_is_a_warning_with_a_hint(tmp_path):
    result = config_diags(tmp_path, "title: T\nbase_url: https://example.org/\nper_pge: 3\n")
    diag = one(result.diagnostics, "config-unknown-key")
    assert headline(diag) == (
        "briefgen.yaml:3: warning: unknown config key `per_pge` [config-unknown-key]"
    )
    assert diag.hint == "did you mean `per_page`?"
    assert result.ok


def test_config_wrong_type(tmp_path):
    result = config_diags(tmp_path, "title: T\nfeed_limit: many\ndrafts: yes please\n")
    by_key = {d.line: d for d in result.diagnostics}
    assert set(by_key) == {2, 3}
    assert all(d.code == "config-type" and d.is_error for d in by_key.values())
    assert by_key[2].file == "briefgen.yaml"
    assert by_key[2].message.startswith("`feed_limit` must be")
    assert by_key[3].message.startswith("`drafts` must be")
    assert not result.ok


def test_config_bool_is_not_an_int(tmp_path):
    diag = one(config_diags(tmp_path, "per_page: true\n").diagnostics, "config-type")
    assert (diag.line, diag.message[:20]) == (1, "`per_page` must be a")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("related_count: 0\n", "briefgen.yaml:1: error: `related_count` must be at least 1"),
        (
            "title: T\nbase_url: example.org\n",
            "briefgen.yaml:2: error: `base_url` must be an absolute URL such as "
            "https://example.org/",
        ),
    ],
    ids=["at-least-1", "absolute-url"],
)
def test_config_value(tmp_path, config, expected):
    result = config_diags(tmp_path, config)
    assert headline(one(result.diagnostics, "config-value")) == expected + " [config-value]"
    assert not result.ok


def test_config_shape(tmp_path):
    diag = one(config_diags(tmp_path, "- title\n- base_url\n").diagnostics, "config-shape")
    assert headline(diag) == (
        "briefgen.yaml:1: error: briefgen.yaml must be a mapping of keys to values [config-shape]"
    )


def test_config_yaml_syntax_error_names_the_line(tmp_path):
    diag = one(config_diags(tmp_path, "title: T\nbase_url: a: b\n").diagnostics, "yaml-syntax")
    assert (diag.file, diag.line, diag.severity) == ("briefgen.yaml", 2, Severity.ERROR)


def test_config_read_not_utf8(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    (root / "briefgen.yaml").write_bytes(b"title: Caf\xe9\n")
    diag = one(build_site(root, write=False).diagnostics, "config-read")
    assert (diag.file, diag.severity) == ("briefgen.yaml", Severity.ERROR)
    assert diag.message.startswith("cannot read:")


def test_config_with_bom_is_read(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    (root / "briefgen.yaml").write_bytes("\ufefftitle: Désk\r\n".encode())
    result = build_site(root, write=False)
    assert result.diagnostics == ()
    assert result.config.title == "Désk"


# --- unsafe output folders ---------------------------------------------------------------


def test_unsafe_output_the_site_itself(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    before = sources(root)
    result = build_site(root, output_dir=".")
    assert headline(one(result.diagnostics, "unsafe-output")).startswith(
        "<site>: error: refusing to use"
    )
    assert sources(root) == before


def sources(root: Path) -> dict[str, bytes]:
    """The site's files, without briefgen's own build cache."""
    return {k: v for k, v in tree(root).items() if not k.startswith(".briefgen-cache/")}


def test_unsafe_output_not_written_by_briefgen(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    (root / "site").mkdir()
    (root / "site" / "thesis.docx").write_bytes(b"precious")
    result = build_site(root)
    assert "was not written by briefgen" in one(result.diagnostics, "unsafe-output").message
    assert tree(root / "site") == {"thesis.docx": b"precious"}


def test_unsafe_output_that_looks_like_a_site(tmp_path):
    other = make_site(tmp_path / "other", {"content/x.md": GOOD})
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    before = tree(other)
    result = build_site(root, output_dir=str(other))
    assert "looks like a briefgen site" in one(result.diagnostics, "unsafe-output").message
    assert tree(other) == before


# --- whole builds ------------------------------------------------------------------------


def test_errors_leave_the_previous_site_byte_identical(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD})
    assert build_site(root).ok
    before = tree(root / "site")
    stamps = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")}
    (root / "content" / "bad.md").write_text(briefing("Bad", date="2024-02-30"), encoding="utf-8")
    (root / "content" / "good.md").write_text(briefing("Changed title"), encoding="utf-8")
    result = build_site(root)
    assert not result.ok
    assert result.written is None
    assert tree(root / "site") == before
    assert {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")} == stamps
    leftovers = [n for n in os.listdir(root) if n.startswith(".site.")]
    assert leftovers == []


def test_all_problems_of_all_files_are_reported_together(tmp_path):
    result = diagnose(
        tmp_path,
        {
            "content/good.md": GOOD,
            "content/a.md": briefing("A", date="28/11/2024"),
            "content/b.md": "---\ntitel: B\ndate: 2024-01-01\ntype: anaylsis\n---\n",
            "content/c.md": "---\n- list\n---\n",
            "content/d.md": "",
        },
        config="title: T\nper_pge: 3\n",
        topics="- id: x\n  name: X\n  parent: y\n",
    )
    found = [(d.file, d.line, d.code) for d in result.diagnostics]
    assert found == [
        ("a.md", 3, "bad-date"),
        ("b.md", 2, "missing-title"),
        ("b.md", 2, "unknown-key"),
        ("b.md", 4, "bad-type"),
        ("briefgen.yaml", 2, "config-unknown-key"),
        ("c.md", 2, "front-matter-shape"),
        ("d.md", 1, "empty-file"),
        ("topics.yaml", 1, "unknown-parent"),
    ]
    assert list(result.site.by_slug) == ["good"]


# --- regressions ---------------------------------------------------------------------------


def test_issue_1_yaml_value_error_names_the_offending_line(tmp_path):
    text = "---\ntitle: T\ndate: 2024-01-01\nweight: !!int 12abc\n---\nBody.\n"
    diag = one(diagnose(tmp_path, {"content/bad.md": text}).diagnostics, "yaml-value")
    assert diag.message.startswith("invalid YAML value:")
    assert (diag.file, diag.severity) == ("bad.md", Severity.ERROR)
    assert diag.line == 4, diag.format()


def test_issue_2_unclosed_flow_list_points_at_the_line_that_opened_it(tmp_path):
    text = "---\ntitle: T\nauthors: [Jane Doe, John Roe\ndate: 2024-01-01\n---\nBody.\n"
    diag = one(diagnose(tmp_path, {"content/bad.md": text}).diagnostics, "yaml-syntax")
    assert diag.line == 3, diag.format()
    assert "[Jane Doe" in diag.source_line


def test_issue_3_out_of_range_date_is_a_diagnostic_not_a_crash(tmp_path):
    result = diagnose(
        tmp_path,
        {
            "content/good.md": GOOD,
            "content/bad.md": briefing("T", date="0001-01-01T00:00:00+05:00"),
        },
    )
    diag = one(result.diagnostics, "bad-date")
    assert (diag.file, diag.line) == ("bad.md", 3)
    assert "good" in result.site.by_slug


def test_issue_4_alias_to_the_site_root_is_a_diagnostic_not_a_crash(tmp_path):
    root = make_site(tmp_path / "src", {"content/good.md": GOOD, "content/bad.md": briefing("B")})
    assert build_site(root).ok
    before = tree(root / "site")
    (root / "content" / "bad.md").write_text(briefing("B", aliases='["/"]'), encoding="utf-8")
    result = build_site(root)  # must not raise
    errors = [d for d in result.diagnostics if d.is_error]
    assert [(d.file, d.code in ("bad-alias", "duplicate-url")) for d in errors] == [
        ("bad.md", True)
    ]
    assert tree(root / "site") == before
    assert [n for n in os.listdir(root) if n.startswith(".site.")] == []


@pytest.mark.parametrize("alias", ["/topics/", "/archive/", "/authors/", "/topics/kazakhstan/"])
def test_issue_5_alias_may_not_replace_a_generated_page(tmp_path, alias):
    result = diagnose(
        tmp_path,
        {
            "content/good.md": briefing("Good", topics="[kazakhstan]"),
            "content/b.md": briefing("B", aliases=f'["{alias}"]'),
        },
    )
    diag = one(result.diagnostics, "duplicate-url")
    assert (diag.file, diag.severity) == ("b.md", Severity.ERROR)
    assert alias in diag.message
