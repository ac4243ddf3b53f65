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
    name a topic in any of them. A description left in the default language is marked
    with it (`description_lang`), so the page can say `lang="en"` on it."""
    if code == default and not any(t.words for t in registry.topics):
        return registry
    topics = tuple(localise_topic(t, code, default) for t in registry.topics)
    return replace(registry, topics=topics, by_id={t.id: t for t in topics})


def localise_topic(topic: Topic, code: str, default: str = "") -> Topic:
    words = next((w for w in topic.words if w.lang == code), None)
    borrowed = bool(default) and code != default and bool(topic.description_html)
    if words is None:
        return replace(topic, description_lang=default) if borrowed else topic
    borrowed = borrowed and words.description_html is None
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
        description_lang=default if borrowed else "",
    )
