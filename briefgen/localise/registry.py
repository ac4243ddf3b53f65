"""The topic registry as one language sees it.

Owns: picking each topic's name, aliases, signals and description in a language from a
multilingual registry (values that are mappings by language code: load/registry.py keeps
them as Topic.words). Ids, kinds, parents and so URLs stay the same in every language.
Must not: read files or look at briefings.
"""

from __future__ import annotations

from dataclasses import replace

from briefgen.model import Registry, Topic


def localise_registry(registry: Registry, code: str, default: str) -> Registry:
    """The registry with every topic's words in language `code` (a word a language does not
    give is the topic's own). The lookup keeps every language's names, so front matter may
    name a topic in any of them."""
    if not any(t.words for t in registry.topics):
        return registry
    topics = tuple(localise_topic(t, code) for t in registry.topics)
    return replace(registry, topics=topics, by_id={t.id: t for t in topics})


def localise_topic(topic: Topic, code: str) -> Topic:
    words = next((w for w in topic.words if w.lang == code), None)
    if words is None:
        return topic
    return replace(
        topic,
        name=words.name or topic.name,
        aliases=topic.aliases if words.aliases is None else words.aliases,
        signals=topic.signals if words.signals is None else words.signals,
        context=topic.context if words.context is None else words.context,
        description=topic.description if words.description is None else words.description,
        description_html=(
            topic.description_html if words.description_html is None else words.description_html
        ),
    )
