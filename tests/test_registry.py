"""The topic registry (topics.yaml): lookup tables, hierarchy and every registry diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SMALL_TOPICS, briefing, build_site, headline, make_site, one, page, tree

from briefgen.diagnostics import Severity
from briefgen.load.registry import load_registry


def registry_from(tmp_path: Path, text: str):
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    return load_registry(path, "topics.yaml")


def registry_diags(tmp_path: Path, text: str):
    return registry_from(tmp_path, text)[1]


def test_small_registry_loads_cleanly(tmp_path):
    registry, diags = registry_from(tmp_path, SMALL_TOPICS)
    assert diags == []
    assert [t.id for t in registry.topics] == sorted(t.id for t in registry.topics)
    assert registry.children == {"central-asia": ("kazakhstan", "uzbekistan")}
    assert registry.ancestors("kazakhstan") == ("central-asia",)
    assert registry.ancestors("central-asia") == ()
    kz = registry.by_id["kazakhstan"]
    assert (kz.name, kz.kind, kz.parent, kz.signals) == (
        "Kazakhstan",
        "country",
        "central-asia",
        ("Kazakh", "Astana"),
    )
    assert registry.by_id["georgia"].context == ("Tbilisi", "Caucasus", "Georgian")


@pytest.mark.parametrize(
    ("name", "topic_id"),
    [
        ("kazakhstan", "kazakhstan"),
        ("Kazakhstan", "kazakhstan"),
        ("KAZAKHSTAN", "kazakhstan"),
        ("  Kazakhstan  ", "kazakhstan"),
        ("central-asia", "central-asia"),
        ("central asia", "central-asia"),
        ("european union", "eu"),
        ("European Commission", "eu"),
        ("EU", "eu"),
        ("eu", "eu"),
        ("TITR", "middle-corridor"),
        ("trans-caspian route", "middle-corridor"),
        ("Caspian", "caspian-sea"),
        ("Atlantis", None),
        ("Kazakh", None),  # a signal is evidence in text, not a name
    ],
)
def test_resolve_by_id_name_or_alias_case_insensitively(tmp_path, name, topic_id):
    registry, _ = registry_from(tmp_path, SMALL_TOPICS)
    assert registry.resolve(name) == topic_id


def test_defaults_for_name_and_kind(tmp_path):
    registry, diags = registry_from(tmp_path, "- id: trade\n")
    assert diags == []
    assert (registry.by_id["trade"].name, registry.by_id["trade"].kind) == ("trade", "theme")


def test_description_is_rendered_as_markdown_on_the_topic_page(tmp_path):
    topics = "- id: trade\n  name: Trade\n  description: Goods and *services* <script>x</script>\n"
    root = make_site(tmp_path / "s", {"content/a.md": briefing("A")}, topics=topics)
    assert build_site(root).ok
    html = page(root, "topics/trade/index.html")
    assert "Goods and <em>services</em>" in html
    assert "<script>x</script>" not in html


def test_duplicate_topic(tmp_path):
    diags = registry_diags(tmp_path, "- id: a\n  name: A\n- id: a\n  name: Another A\n")
    diag = one(diags, "duplicate-topic")
    assert headline(diag) == "topics.yaml:3: error: topic id `a` is defined twice [duplicate-topic]"
    assert diag.hint == "give each topic its own id"


def test_duplicate_alias(tmp_path):
    text = "- id: a\n  name: Alpha\n- id: b\n  name: Beta\n  aliases: [ALPHA]\n"
    diag = one(registry_diags(tmp_path, text), "duplicate-alias")
    assert (
        headline(diag) == "topics.yaml:3: error: `ALPHA` names both `a` and `b` [duplicate-alias]"
    )
    assert "one topic only" in diag.hint


def test_alias_equal_to_another_topics_id_is_a_duplicate(tmp_path):
    text = "- id: eu\n  name: European Union\n- id: europe\n  name: Europe\n  aliases: [EU]\n"
    diag = one(registry_diags(tmp_path, text), "duplicate-alias")
    assert "`EU` names both `eu` and `europe`" in diag.message


def test_unknown_parent_names_the_closest_id(tmp_path):
    text = "- id: central-asia\n  name: Central Asia\n- id: kz\n  name: KZ\n  parent: centrl-asia\n"
    diag = one(registry_diags(tmp_path, text), "unknown-parent")
    assert headline(diag) == (
        "topics.yaml:3: error: topic `kz` has unknown parent `centrl-asia` [unknown-parent]"
    )
    assert diag.hint == "did you mean `central-asia`?"


def test_cycle(tmp_path):
    text = "- id: a\n  parent: c\n- id: b\n  parent: a\n- id: c\n  parent: b\n"
    diags = registry_diags(tmp_path, text)
    cycles = [d for d in diags if d.code == "topic-cycle"]
    assert cycles, diags
    assert headline(cycles[0]) == (
        "topics.yaml:1: error: topic `a` is its own ancestor (a -> c -> b -> a) [topic-cycle]"
    )
    assert all(d.is_error and d.hint == "remove one `parent:` to break the cycle" for d in cycles)


def test_own_parent_is_a_cycle(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: a\n  parent: a\n"), "topic-cycle")
    assert "(a -> a)" in diag.message


def test_bad_topic_id(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: ok\n- id: Central Asia\n"), "bad-topic-id")
    assert headline(diag) == (
        "topics.yaml:2: error: topic id `Central Asia` must be lowercase letters, digits and "
        "hyphens [bad-topic-id]"
    )
    assert diag.hint == "use id: central-asia"


def test_missing_topic_id_suggests_one_from_the_name(tmp_path):
    diag = one(registry_diags(tmp_path, "- name: Middle Corridor\n"), "bad-topic-id")
    assert (diag.line, diag.hint) == (1, "use id: middle-corridor")


def test_bad_topic_kind(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: x\n  name: X\n  kind: planet\n"), "bad-topic-kind")
    assert (
        headline(diag)
        == "topics.yaml:3: error: unknown kind `planet` for topic `x` [bad-topic-kind]"
    )
    assert "country" in diag.hint


def test_topic_unknown_key(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: x\n  nmae: X\n"), "topic-unknown-key")
    assert headline(diag) == "topics.yaml:2: warning: unknown topic key `nmae` [topic-unknown-key]"
    assert diag.hint == "did you mean `name`?"


def test_topic_that_is_not_a_mapping(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: x\n- just a string\n"), "topic-shape")
    assert headline(diag) == (
        "topics.yaml:2: error: each topic must be a mapping with id and name [topic-shape]"
    )


def test_topic_list_field_that_is_not_a_list(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: x\n  aliases: {a: b}\n"), "topic-shape")
    assert headline(diag) == "topics.yaml:2: error: `aliases` must be a list [topic-shape]"


def test_registry_shape(tmp_path):
    diag = one(registry_diags(tmp_path, "id: x\nname: X\n"), "registry-shape")
    assert headline(diag) == (
        "topics.yaml:1: error: topics.yaml must be a list of topics (- id: ...) [registry-shape]"
    )


def test_registry_yaml_syntax_error_names_the_line(tmp_path):
    diag = one(registry_diags(tmp_path, "- id: x\n  name: a: b\n"), "yaml-syntax")
    assert (diag.file, diag.line, diag.severity) == ("topics.yaml", 2, Severity.ERROR)


def test_registry_read_not_utf8(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_bytes(b"- id: x\n  name: Caf\xe9\n")
    diag = one(load_registry(path, "topics.yaml")[1], "registry-read")
    assert (diag.file, diag.severity) == ("topics.yaml", Severity.ERROR)


def test_empty_registry_is_fine(tmp_path):
    registry, diags = registry_from(tmp_path, "# no topics yet\n")
    assert (registry.topics, diags) == ((), [])


def test_no_registry_is_a_warning_and_the_site_still_builds(tmp_path):
    root = make_site(tmp_path / "s", {"content/a.md": briefing("A")}, topics=None)
    result = build_site(root)
    diag = one(result.diagnostics, "no-registry")
    assert headline(diag) == (
        "topics.yaml: warning: no topic registry `topics.yaml`; topics are off [no-registry]"
    )
    assert result.ok
    assert (root / "site" / "briefings" / "a" / "index.html").is_file()


def test_registry_errors_fail_the_build_and_keep_the_old_site(tmp_path):
    root = make_site(tmp_path / "s", {"content/a.md": briefing("A")})
    assert build_site(root).ok
    before = tree(root / "site")
    (root / "topics.yaml").write_text(SMALL_TOPICS + "- id: eu\n  name: Europe again\n")
    result = build_site(root)
    assert [d.code for d in result.diagnostics if d.is_error] == ["duplicate-topic"]
    assert tree(root / "site") == before


def test_all_registry_problems_are_reported_together(tmp_path):
    text = (
        "- id: a\n  name: A\n"
        "- id: a\n  name: A2\n"
        "- id: b\n  name: B\n  aliases: [A]\n"
        "- id: c\n  parent: nowhere\n"
        "- id: Bad Id\n"
        "- id: f\n  kind: planet\n"
    )
    codes = sorted(d.code for d in registry_diags(tmp_path, text))
    assert codes == [
        "bad-topic-id",
        "bad-topic-kind",
        "duplicate-alias",
        "duplicate-topic",
        "unknown-parent",
    ]
