"""The topic registry (topics.yaml): validation and lookup tables.

Owns: Topic records, name/alias resolution, hierarchy checks (unknown parents, cycles).
Must not: look at briefings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import Diagnostic, closest, error, warning
from briefgen.load.markdown import render_markdown
from briefgen.model import TOPIC_KINDS, Registry, Topic, TopicWords
from briefgen.slug import is_slug, slugify
from briefgen.yamltext import Parsed, line_of, parse_yaml

TOPIC_KEYS = ("id", "name", "kind", "parent", "aliases", "signals", "context", "description")


@dataclass(frozen=True, slots=True)
class RegistryMemo:
    """The last registry read, by its text: the dev server rereads topics.yaml on every
    rebuild, and an unchanged text gives the very same Registry (part of the build state)."""

    rel: str
    text: str
    registry: Registry
    diags: tuple[Diagnostic, ...]


def load_registry(path: Path, rel: str) -> tuple[Registry, list[Diagnostic]]:
    registry, diags, _ = read_registry(path, rel)
    return registry, diags


def read_registry(
    path: Path, rel: str, previous: RegistryMemo | None = None
) -> tuple[Registry, list[Diagnostic], RegistryMemo | None]:
    """The registry, its problems, and the memo for the next build (reused from
    `previous` when the file's text is the same)."""
    if not path.is_file():
        return (
            Registry(),
            [
                warning(
                    "no-registry",
                    f"no topic registry `{rel}`; topics are off",
                    rel,
                    0,
                    "create topics.yaml with a list of topics",
                )
            ],
            None,
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Registry(), [error("registry-read", f"cannot read the registry: {exc}", rel)], None
    memo = previous
    if memo is None or (memo.rel, memo.text) != (rel, text):
        registry, diags = _parse_registry(text, rel)
        memo = RegistryMemo(rel, text, registry, tuple(diags))
    return memo.registry, list(memo.diags), memo


def _parse_registry(text: str, rel: str) -> tuple[Registry, list[Diagnostic]]:
    parsed, diags = parse_yaml(text, rel)
    if parsed is None:
        return Registry(), diags
    if parsed.value is None:
        return Registry(), []
    if not isinstance(parsed.value, list):
        return Registry(), [
            error("registry-shape", "topics.yaml must be a list of topics (- id: ...)", rel, 1)
        ]
    topics, diags = _read_topics(parsed, rel)
    return build_registry(topics, rel, diags)


def _read_topics(parsed: Parsed, rel: str) -> tuple[list[Topic], list[Diagnostic]]:
    topics: list[Topic] = []
    diags: list[Diagnostic] = []
    seen: set[str] = set()
    for index, entry in enumerate(parsed.value):
        line = line_of(parsed, index)
        if not isinstance(entry, dict):
            diags.append(
                error("topic-shape", "each topic must be a mapping with id and name", rel, line)
            )
            continue
        topic, problems = _read_topic(entry, rel, line, parsed, index)
        diags += problems
        if topic is None:
            continue
        if topic.id in seen:
            diags.append(
                error(
                    "duplicate-topic",
                    f"topic id `{topic.id}` is defined twice",
                    rel,
                    line,
                    "give each topic its own id",
                )
            )
            continue
        seen.add(topic.id)
        topics.append(topic)
    return topics, diags


def _read_topic(
    entry: dict, rel: str, line: int, parsed: Parsed, index: int
) -> tuple[Topic | None, list[Diagnostic]]:
    diags = []
    for key in entry:
        if key not in TOPIC_KEYS:
            guess = closest(str(key), TOPIC_KEYS)
            diags.append(
                warning(
                    "topic-unknown-key",
                    f"unknown topic key `{key}`",
                    rel,
                    line_of(parsed, index, key),
                    f"did you mean `{guess}`?" if guess else "",
                )
            )
    entry, by_lang, problems = _split_languages(entry, rel, line)
    diags += problems
    topic_id = str(entry.get("id") or "").strip()
    name = str(entry.get("name") or "").strip()
    if not topic_id or not is_slug(topic_id):
        hint = f"use id: {slugify(topic_id or name)}" if (topic_id or name) else "add id: ..."
        return None, [
            *diags,
            error(
                "bad-topic-id",
                f"topic id `{topic_id}` must be lowercase letters, digits and hyphens",
                rel,
                line,
                hint,
            ),
        ]
    kind = str(entry.get("kind") or "theme")
    if kind not in TOPIC_KINDS:
        diags.append(
            error(
                "bad-topic-kind",
                f"unknown kind `{kind}` for topic `{topic_id}`",
                rel,
                line_of(parsed, index, "kind"),
                "use " + " | ".join(TOPIC_KINDS),
            )
        )
    lists = {}
    for key in ("aliases", "signals", "context"):
        value = entry.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            diags.append(
                error("topic-shape", f"`{key}` must be a list", rel, line_of(parsed, index, key))
            )
            value = []
        lists[key] = tuple(str(v).strip() for v in value if str(v).strip())
    description = str(entry.get("description") or "").strip()
    parent = str(entry["parent"]).strip() if entry.get("parent") else None
    return Topic(
        id=topic_id,
        name=name or topic_id,
        kind=kind,
        parent=parent,
        line=line,
        description=description,
        description_html=render_markdown(description).html if description else "",
        words=tuple(_words(code, values) for code, values in sorted(by_lang.items())),
        **lists,
    ), diags


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")


def _split_languages(
    entry: dict, rel: str, line: int
) -> tuple[dict, dict[str, dict], list[Diagnostic]]:
    """`name: {en: Kazakhstan, ru: Казахстан}` (and aliases, signals, description, context): the
    entry with each such value's English (else first) one, and the values by language."""
    out = dict(entry)
    by_lang: dict[str, dict] = {}
    diags: list[Diagnostic] = []
    for key in ("name", "aliases", "signals", "description", "context"):
        value = entry.get(key)
        if not isinstance(value, dict):
            continue
        if not value or not all(isinstance(k, str) and LANGUAGE_CODE.fullmatch(k) for k in value):
            continue  # not a mapping by language: the key's own checks report it
        values = {str(k).strip().lower(): v for k, v in value.items()}
        out[key] = values.get("en", next(iter(values.values())))
        for code, v in values.items():
            by_lang.setdefault(code, {})[key] = v
    return out, by_lang, diags


def _words(code: str, values: dict) -> TopicWords:
    def listed(key: str) -> tuple[str, ...] | None:
        if key not in values:
            return None
        v = values[key] or []
        return tuple(str(x).strip() for x in ([v] if isinstance(v, str) else v) if str(x).strip())

    description = str(values["description"]).strip() if "description" in values else None
    return TopicWords(
        code,
        str(values.get("name") or "").strip(),
        listed("aliases"),
        listed("signals"),
        description,
        render_markdown(description).html if description else description,
        listed("context"),
    )


def _all_names(topic: Topic) -> list[str]:
    """Every name front matter may use for the topic, in every language, each once."""
    names = [topic.id, topic.name, *topic.aliases]
    for w in topic.words:
        names += [w.name, *(w.aliases or ())]
    return list(dict.fromkeys(n for n in names if n))


def build_registry(
    topics: list[Topic], rel: str = "topics.yaml", diags: list[Diagnostic] | None = None
) -> tuple[Registry, list[Diagnostic]]:
    diags = list(diags or [])
    by_id = {t.id: t for t in sorted(topics, key=lambda t: t.id)}
    lookup: dict[str, str] = {}
    for topic in by_id.values():
        for name in _all_names(topic):
            key = name.casefold()
            owner = lookup.setdefault(key, topic.id)
            if owner != topic.id:
                diags.append(
                    error(
                        "duplicate-alias",
                        f"`{name}` names both `{owner}` and `{topic.id}`",
                        rel,
                        topic.line,
                        "an alias may belong to one topic only",
                    )
                )
    diags += _check_parents(by_id, rel)
    children: dict[str, list[str]] = {}
    for topic in by_id.values():
        if topic.parent in by_id:
            children.setdefault(topic.parent, []).append(topic.id)
    return Registry(
        topics=tuple(by_id.values()),
        by_id=by_id,
        lookup=lookup,
        children={k: tuple(sorted(v)) for k, v in sorted(children.items())},
    ), diags


def _check_parents(by_id: dict[str, Topic], rel: str) -> list[Diagnostic]:
    diags = []
    for topic in by_id.values():
        if topic.parent and topic.parent not in by_id:
            guess = closest(topic.parent, by_id)
            diags.append(
                error(
                    "unknown-parent",
                    f"topic `{topic.id}` has unknown parent `{topic.parent}`",
                    rel,
                    topic.line,
                    f"did you mean `{guess}`?" if guess else "add that topic first",
                )
            )
            continue
        seen = [topic.id]
        parent = topic.parent
        while parent and parent in by_id:
            if parent in seen:
                diags.append(
                    error(
                        "topic-cycle",
                        f"topic `{topic.id}` is its own ancestor ("
                        + " -> ".join([*seen, parent])
                        + ")",
                        rel,
                        topic.line,
                        "remove one `parent:` to break the cycle",
                    )
                )
                break
            seen.append(parent)
            parent = by_id[parent].parent
    return diags
