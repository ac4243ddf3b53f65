"""Properties of the parsers, for any input Hypothesis can think of.

Front-matter splitting, text clean-up, slugs, dates, sentence splitting, summaries and topic
detection. Settings stay modest (deadline off, 150 examples) so CI stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from functools import cache
from pathlib import Path

from conftest import SMALL_TOPICS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.enrich.matcher import Matcher
from briefgen.enrich.sentences import split_sentences
from briefgen.enrich.summary import summarize
from briefgen.enrich.topics import detect_topics
from briefgen.load.briefing import read_briefing
from briefgen.load.dates import parse_date
from briefgen.load.frontmatter import INVISIBLE, normalise, split_front_matter, strip_invisible
from briefgen.load.markdown import safe_link
from briefgen.load.registry import load_registry
from briefgen.model import Registry
from briefgen.slug import MAX_LENGTH, WINDOWS_RESERVED, is_slug, slugify
from briefgen.write import safe_path

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def registry() -> Registry:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "topics.yaml"
        path.write_text(SMALL_TOPICS, encoding="utf-8")
        reg, diags = load_registry(path, "topics.yaml")
    assert not diags
    return reg


REGISTRY = registry()
MATCHER = Matcher(REGISTRY)

# Text that looks like briefings: words, names from the registry, punctuation, odd characters.
WORDS = st.sampled_from(
    [
        "the",
        "ministers",
        "met",
        "in",
        "Astana",
        "Kazakhstan",
        "EU",
        "Brussels",
        "Georgia",
        "Trans-Caspian",
        "route",
        "Dr.",
        "U.S.",
        "e.g.",
        "No.",
        "3.5",
        "per",
        "cent",
        "“quoted”",
        "(aside)",
        "it",
        "This",
        "However",
        "—",
        "Caspian",
        "TITR",
        "Moscow",
        "Uzbek",
        "Tashkent",
        "Қазақстан",
        "café",
    ]
)
ENDS = st.sampled_from([".", "!", "?", "…", ".”", "?)", ":", ""])
SENTENCE = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(WORDS, min_size=1, max_size=14),
    ENDS,
)
PROSE = st.builds(" ".join, st.lists(SENTENCE, min_size=0, max_size=8))
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


# --- front matter ------------------------------------------------------------------------


FRONT_LINE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=40
).filter(lambda line: line.rstrip() not in ("---", "..."))


@PROPERTY
@given(st.lists(FRONT_LINE, max_size=8), ANY_TEXT)
def test_front_matter_splits_back_into_its_parts(lines, body):
    front = "".join(line + "\n" for line in lines)
    split, diags = split_front_matter(f"---\n{front}---\n{body}", "x.md")
    assert diags == []
    assert (split.front, split.body, split.body_line) == (front, body, len(lines) + 3)


@PROPERTY
@given(ANY_TEXT)
def test_split_never_raises_and_always_explains_itself(text):
    split, diags = split_front_matter(text, "x.md")
    assert (split is None) == bool(diags)
    assert all(d.is_error and d.file == "x.md" and d.line == 1 for d in diags)


@PROPERTY
@given(ANY_TEXT)
def test_clean_text_is_idempotent_and_removes_only_invisible_characters(text):
    normal = normalise(text)
    assert "\r" not in normal and not normal.startswith("\ufeff")
    assert normalise(normal) == normal
    clean, removed = strip_invisible(normal)
    assert not INVISIBLE.search(clean)
    assert strip_invisible(clean) == (clean, [])
    assert len(clean) + len(removed) == len(normal)
    assert [c for c in normal if not INVISIBLE.match(c)] == list(clean)


# --- slugs ---------------------------------------------------------------------------------


@PROPERTY
@given(ANY_TEXT)
def test_slugs_are_url_safe_idempotent_never_empty_and_never_escape(text):
    slug = slugify(text)
    assert SLUG.fullmatch(slug)
    assert slugify(slug) == slug and is_slug(slug)
    assert len(slug) <= MAX_LENGTH + 2
    assert slug not in WINDOWS_RESERVED and slug not in (".", "..")
    root = Path("/srv/site")
    assert safe_path(root, f"briefings/{slug}/index.html").parent.parent == root / "briefings"


@PROPERTY
@given(st.sampled_from(sorted(WINDOWS_RESERVED)), st.sampled_from(["", " ", "."]))
def test_device_names_never_become_slugs(name, tail):
    assert slugify(name.upper() + tail) == f"{name}-1"


# --- dates ---------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(ANY_TEXT, st.integers(), st.floats(), st.none(), st.booleans()))
def test_dates_parse_or_explain(value):
    date, problem = parse_date(value)
    assert (date is None) == bool(problem)
    if date is not None:
        assert date.utcoffset().total_seconds() == 0
    assert "\n" not in problem


ZONES = st.one_of(
    st.none(),
    st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
)


@PROPERTY
@given(st.datetimes(timezones=ZONES), st.sampled_from(["T", " "]))
def test_iso_dates_round_trip(value, separator):
    date, problem = parse_date(value.isoformat(separator))
    if problem:  # only the first and last hours of the calendar, once moved to UTC
        assert "outside years 1-9999" in problem
    else:
        assert date == (value if value.tzinfo else value.replace(tzinfo=dt.UTC))


# --- links -------------------------------------------------------------------------------


@PROPERTY
@given(
    st.sampled_from(["javascript", "JavaScript", "data", "vbscript", "file", "jav\tascript"]),
    st.sampled_from(["", " ", "\x00", "\n"]),
    ANY_TEXT,
)
def test_unsafe_link_schemes_are_refused_however_spelled(scheme, padding, rest):
    assert not safe_link(padding + scheme + ":" + rest)


# --- sentences -----------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(PROSE, ANY_TEXT))
def test_sentences_keep_every_character_and_are_never_empty(text):
    sentences = split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)
    assert "".join("".join(sentences).split()) == "".join(text.split())


# --- summaries and topics of real briefings --------------------------------------------------


def briefing_text(title: str, paragraphs: list[str], topics: list[str]) -> bytes:
    front = f'---\ntitle: "{title}"\ndate: 2024-05-01\ntopics: {topics!r}\n---\n\n'
    return (front + "\n\n".join(paragraphs) + "\n").encode("utf-8")


TITLE = st.builds(" ".join, st.lists(WORDS, min_size=1, max_size=8))
TOPICS = st.lists(
    st.one_of(WORDS, st.sampled_from(["eu", "georgia", "Middle Corridor"])), max_size=5
)


def whole_sentences(text: str, sentences: list[str]) -> bool:
    """`text` is some of `sentences`, in order, joined by single spaces."""

    @cache
    def match(pos: int, index: int) -> bool:
        if pos == len(text):
            return True
        return any(
            text.startswith(s, pos)
            and (pos + len(s) == len(text) or text[pos + len(s)] == " ")
            and match(pos + len(s) + (pos + len(s) < len(text)), i + 1)
            for i, s in enumerate(sentences[index:], start=index)
        )

    return match(0, 0)


@PROPERTY
@given(TITLE, st.lists(PROSE, max_size=6), TOPICS)
def test_summaries_are_whole_sentences_of_the_body(title, paragraphs, topics):
    b, diags = read_briefing("x.md", briefing_text(title, paragraphs, topics), REGISTRY)
    assert b is not None, [d.format() for d in diags]
    summary, source, points = summarize(b)
    assert source == "auto"
    prose = [s for block in b.doc.blocks if block.kind == "p" for s in split_sentences(block.text)]
    assert whole_sentences(summary, prose), (summary, prose)
    assert all(point in prose for point in points)


@PROPERTY
@given(TITLE, st.lists(st.one_of(PROSE, ANY_TEXT), max_size=6), TOPICS, st.booleans())
def test_detected_topics_are_always_in_the_registry(title, paragraphs, topics, auto):
    raw = briefing_text(title, paragraphs, topics)
    raw = raw.replace(b"date:", b"topics_auto: " + str(auto).lower().encode() + b"\ndate:")
    b, diags = read_briefing("x.md", raw, REGISTRY)
    if b is None:  # arbitrary text can break the YAML title; that is the loader's business
        assert any(d.is_error for d in diags)
        return
    found = detect_topics(b, REGISTRY, MATCHER)
    assert {m.id for m in found} <= set(REGISTRY.by_id)
    assert len({m.id for m in found}) == len(found)
    assert [m.id for m in found if m.declared] == list(b.topics)
