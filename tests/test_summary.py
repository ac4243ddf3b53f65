"""Summaries and key points: the author's own win; extracted ones are whole body sentences."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import briefing, build_site, make_site, page, read_json
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.enrich.dangling import dangles
from briefgen.enrich.sentences import ABBREVIATIONS, split_sentences

DANGLING = re.compile(r"^[\"“‘']?(This|That|These|Those|It|He|She|They|His|Her|Their|But)\b")


def build_one(tmp_path: Path, text: str, **config: object):
    root = make_site(tmp_path / "s", {"content/x.md": text})
    result = build_site(root, **config)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root, result.site.by_slug["x"]


def body_sentences(enriched) -> set[str]:
    """Every sentence of every plain paragraph of the briefing."""
    return {
        s for b in enriched.briefing.doc.blocks if b.kind == "p" for s in split_sentences(b.text)
    }


def visible_text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- sentence splitting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "The U.S. Treasury acted. Then it stopped.",
            ["The U.S. Treasury acted.", "Then it stopped."],
        ),
        (
            "The E.U. agreed on Monday. Talks resume in May.",
            ["The E.U. agreed on Monday.", "Talks resume in May."],
        ),
        ("Dr. Smith arrived. She spoke.", ["Dr. Smith arrived.", "She spoke."]),
        ("Reactor No. 5 closed. Another opened.", ["Reactor No. 5 closed.", "Another opened."]),
        (
            "Growth was 3.5 per cent. Inflation fell.",
            ["Growth was 3.5 per cent.", "Inflation fell."],
        ),
        ("It cost $1.2bn in 2023. That was high.", ["It cost $1.2bn in 2023.", "That was high."]),
        ("Prices rose by 2.5%. Wages rose.", ["Prices rose by 2.5%.", "Wages rose."]),
        (
            '"We will sign," he said. "Not now." The talks ended.',
            ['"We will sign," he said.', '"Not now."', "The talks ended."],
        ),
        (
            "“We will sign,” he said. “Not now.” The talks ended.",
            ["“We will sign,” he said.", "“Not now.”", "The talks ended."],
        ),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("(See the annex.) Next comes the data.", ["(See the annex.)", "Next comes the data."]),
        ("Is it real? Yes! It is.", ["Is it real?", "Yes!", "It is."]),
        (
            "Mr. J. R. Smith met Gen. Jones on Jan. 5. Then they had lunch.",
            ["Mr. J. R. Smith met Gen. Jones on Jan. 5.", "Then they had lunch."],
        ),
        ("He left at 5 p.m. and drove home.", ["He left at 5 p.m. and drove home."]),
        ("See pp. 4-6 and fig. 2 for details.", ["See pp. 4-6 and fig. 2 for details."]),
        ("Borrell (E.U.) spoke. Lavrov did not.", ["Borrell (E.U.) spoke.", "Lavrov did not."]),
        ("Ends with an ellipsis… Next sentence.", ["Ends with an ellipsis…", "Next sentence."]),
        ("One.  \n   Two.", ["One.", "Two."]),
        ("No boundary at all", ["No boundary at all"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9).filter(
    lambda w: w not in ABBREVIATIONS
)
_SENTENCE = st.builds(
    lambda words, end: " ".join([words[0].capitalize(), *words[1:]]) + end,
    st.lists(_WORD, min_size=1, max_size=8),
    st.sampled_from([".", "!", "?", ".”", '?"']),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_SENTENCE, min_size=1, max_size=6))
def test_split_sentences_recovers_joined_sentences(sentences):
    assert split_sentences(" ".join(sentences)) == sentences


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_split_sentences_keeps_every_word(text):
    assert " ".join(split_sentences(text)).split() == text.split()


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_split_sentences_separates_words_by_single_spaces(text):
    # the summariser counts a sentence's words by its spaces
    assert all(s == " ".join(s.split()) for s in split_sentences(text))


# --- author summaries ----------------------------------------------------------------------


def test_author_summary_and_key_points_win(tmp_path):
    text = briefing(
        "Grain exports",
        body="Kazakhstan exported a record volume of wheat to China and Iran last year.",
        summary='"Our own summary, written by the desk."',
        key_points='["First point.", "Second point."]',
    )
    root, e = build_one(tmp_path, text)
    assert (e.summary, e.summary_source, e.key_points) == (
        "Our own summary, written by the desk.",
        "author",
        ("First point.", "Second point."),
    )
    row = read_json(root, "api/briefings.json")["briefings"][0]
    assert (row["summary"], row["summary_source"], row["key_points"]) == (
        "Our own summary, written by the desk.",
        "author",
        ["First point.", "Second point."],
    )
    html = page(root, "briefings/x/index.html")
    assert '<p class="summary">Our own summary, written by the desk.</p>' in html
    assert "<li>First point.</li><li>Second point.</li>" in html
    assert '<meta name="description" content="Our own summary, written by the desk.">' in html


def test_author_key_points_alone_keep_an_auto_summary(tmp_path):
    text = briefing(
        "Grain exports",
        body="Kazakhstan exported a record volume of wheat to China and Iran last year.",
        key_points='["Only point."]',
    )
    _, e = build_one(tmp_path, text)
    assert e.summary_source == "auto"
    assert e.summary == "Kazakhstan exported a record volume of wheat to China and Iran last year."
    assert e.key_points == ("Only point.",)


# --- extracted summaries -------------------------------------------------------------------

TEMPTING = """
## Grain exports from Kazakhstan reached a record high this year

Kazakhstan exported a record volume of grain to China and Iran this season, the ministry said.

This grain export record from Kazakhstan came after a bumper harvest of grain in the north.

- Grain exports from Kazakhstan reached a record high in the list item.
- Another list item about record grain exports from Kazakhstan this year.

![Grain silo](silo.png)

*Grain exports from Kazakhstan reached a record high, says the caption.*

> Grain exports from Kazakhstan reached a record high, a trader was quoted saying.

| Grain exports from Kazakhstan reached a record high in this table cell |
|---|
| Another table cell about grain exports from Kazakhstan and their record |

He said grain exports from Kazakhstan would rise again next year as grain prices climb.

Rail capacity through the corridor remains the main constraint on grain exports from the north.[^1]

Traders expect freight rates for grain wagons to rise before the spring sowing season begins.

[^1]: Grain exports from Kazakhstan reached a record high according to this footnote text.
"""


def test_auto_summary_is_one_to_three_whole_sentences_of_the_body(tmp_path):
    root, e = build_one(tmp_path, briefing("Grain exports from Kazakhstan", body=TEMPTING))
    assert e.summary_source == "auto"
    parts = split_sentences(e.summary)
    assert 1 <= len(parts) <= 3
    sentences = body_sentences(e)
    assert set(parts) <= sentences
    assert set(e.key_points) <= sentences
    assert not set(parts) & set(e.key_points)
    assert e.summary in visible_text(page(root, "briefings/x/index.html"))
    body = visible_text(e.html)
    assert all(p in body for p in parts)


def test_auto_summary_never_uses_headings_lists_captions_quotes_tables_or_footnotes(tmp_path):
    _, e = build_one(tmp_path, briefing("Grain exports from Kazakhstan", body=TEMPTING))
    chosen = " ".join([e.summary, *e.key_points])
    for fragment in (
        "in the list item",
        "list item about record",
        "says the caption",
        "a trader was quoted",
        "in this table cell",
        "Another table cell",
        "according to this footnote",
        "reached a record high this year",  # the heading
    ):
        assert fragment not in chosen


def test_auto_summary_never_opens_with_a_dangling_reference(tmp_path):
    _, e = build_one(tmp_path, briefing("Grain exports from Kazakhstan", body=TEMPTING))
    for sentence in [*split_sentences(e.summary), *e.key_points]:
        assert not DANGLING.match(sentence), sentence
    chosen = " ".join([e.summary, *e.key_points])
    assert "This grain export record" not in chosen
    assert "He said grain exports" not in chosen


@pytest.mark.parametrize(
    "sentence",
    [
        "This grain export record came after a bumper harvest.",  # a reference first
        "He said grain exports would rise again next year.",
        '"It will not happen," the minister said.',
        "However, rail capacity remains the main constraint.",  # a connective first
        "As a result, freight rates doubled within a year.",
        "And the glaciers of the Tien Shan feed the rivers.",
        "Speaking at the summit, he argued that the EU must act.",  # after an opening phrase
        "For Brussels, it is one of the first concrete results.",
        "Last year, they shipped twice as much grain.",
        "In practice, however, the route remains slow.",
        "In his speech, the minister praised the corridor.",  # inside an opening phrase
        "After that, talks resumed in Astana.",
        "Despite this, exports to China rose by a fifth.",
        "Since then, Chinese lenders have built roads and power plants.",
        "According to him, the deal is off.",
        "New links to Europe, he argued, would sit alongside the old ones.",  # ", he said"
        "“We will sign,” she said after the meeting.",
        "The real aim, she claimed, was to reduce states to satellites.",
    ],
)
def test_dangles_leans_on_an_earlier_sentence(sentence):
    assert dangles(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kazakhstan exported a record volume of grain to China and Iran last year.",
        "In 2023, Kazakhstan exported a record volume of wheat.",
        "Earlier this year, the EU signed a raw-materials pact with Kazakhstan.",
        "Large projects, such as the Middle Corridor, need years of work.",
        "Borrell said the EU would help, and he promised funds.",
        "Borrell met Tokayev on Friday, his second visit this year.",
        "Kazakhstan and its neighbours, however reluctantly, joined the scheme.",
        "The former Estonian prime minister replaces Josep Borrell.",
        "Trade grew, but it grew slowly.",
    ],
)
def test_dangles_passes_sentences_that_stand_alone(sentence):
    assert not dangles(sentence)


LEANING = """
Speaking at the summit in Samarkand on Friday, he argued that grain exports from Kazakhstan
would double within five years.

In his speech, the minister promised new grain terminals on the Caspian coast for exports.

Kazakhstan exported a record volume of grain to China and Iran this season, officials said.

After that, they agreed to build more grain terminals for exports from Kazakhstan.

Grain exports from Kazakhstan, he noted, depend on rail capacity through the corridor.

Rail capacity through the corridor remains the main constraint on grain exports.
"""


def test_auto_summary_skips_references_around_an_opening_phrase(tmp_path):
    _, e = build_one(tmp_path, briefing("Grain exports from Kazakhstan", body=LEANING))
    assert e.summary.startswith("Kazakhstan exported a record volume of grain")
    for sentence in [*split_sentences(e.summary), *e.key_points]:
        assert not dangles(sentence), sentence


def test_auto_summary_prefers_the_lead(tmp_path):
    _, e = build_one(tmp_path, briefing("Grain exports from Kazakhstan", body=TEMPTING))
    assert e.summary.startswith("Kazakhstan exported a record volume of grain")


def test_summary_reaches_cards_feeds_and_json(tmp_path):
    root, e = build_one(tmp_path, briefing("Grain exports from Kazakhstan", body=TEMPTING))
    assert f'<p class="card-summary">{htmllib.escape(e.summary, quote=False)}</p>' in page(
        root, "index.html"
    )
    assert f'<summary type="text">{e.summary}</summary>' in page(root, "feed.xml")
    assert read_json(root, "api/briefings.json")["briefings"][0]["summary"] == e.summary


# --- reading time --------------------------------------------------------------------------


def words(n: int) -> str:
    sentence = "Officials discussed the new freight timetable with rail operators today. "
    count = len(sentence.split())
    return (sentence * (n // count)).strip()


@pytest.mark.parametrize(("n", "minutes"), [(5, 1), (220, 1), (230, 2), (660, 3)])
def test_reading_time(tmp_path, n, minutes):
    root, e = build_one(tmp_path, briefing("T", body=words(n)))
    assert e.reading_minutes == minutes
    assert f"{minutes} min read" in page(root, "briefings/x/index.html")
    assert read_json(root, "api/briefings.json")["briefings"][0]["reading_minutes"] == minutes


def test_reading_time_follows_words_per_minute(tmp_path):
    _, e = build_one(tmp_path, briefing("T", body=words(660)), words_per_minute=100)
    assert e.reading_minutes == 7


# --- regressions -----------------------------------------------------------------------------


def test_issue_8_a_body_of_short_sentences_still_gets_a_summary(tmp_path):
    root, e = build_one(
        tmp_path, briefing("Talks", body="Kazakhstan joined the talks. Officials agreed.")
    )
    assert e.summary, "empty summary: empty meta description, card and feed summary"
    assert set(split_sentences(e.summary)) <= body_sentences(e)
    assert '<meta name="description" content="">' not in page(root, "briefings/x/index.html")


# --- issue 17: key points that stand alone, datelines, explanations ----------------------------

REPORT = """
Kazakhstan raised its grain export quota by a fifth after a record harvest in the north.
The ministry in Astana announced the new quota for wheat and barley on Tuesday.

Rail capacity to China remains the main bottleneck for grain exports from Kazakhstan.

Each came with a figure for wagons, ports and storage that exporters had asked for.

The answer so far is: not enough wagons for grain exports from Kazakhstan this autumn.

Speaking at the grain exchange, he said grain exports from Kazakhstan would double.

Traders expect most of the extra grain to go to buyers in Iran and Afghanistan by rail.

Kazakhstan raised its grain export quota by a fifth after a record harvest, traders said.

Storage at the Caspian port of Aktau is full, so exporters are turning to Chinese buyers.
"""


def test_issue_17_key_points_stand_alone_and_skip_the_opening_paragraph(tmp_path):
    _, e = build_one(tmp_path, briefing("Kazakhstan raises its grain export quota", body=REPORT))
    opening = set(split_sentences(e.briefing.doc.blocks[0].text))
    assert e.key_points, "a briefing of nine paragraphs has key points"
    for point in e.key_points:
        assert point not in opening  # the opening paragraph is shown right below the box
        assert not dangles(point), point
    chosen = " ".join(e.key_points)
    for leaning in ("Each came with a figure", "The answer so far is", "Speaking at the grain"):
        assert leaning not in chosen
    # the near-copy of the summary's first sentence repeats it
    assert "traders said" not in chosen
    sentences = [s for b in e.briefing.doc.blocks if b.kind == "p" for s in split_sentences(b.text)]
    assert list(e.key_points) == sorted(e.key_points, key=sentences.index)  # text order


def test_issue_17_author_summary_key_points_come_from_the_rest_of_the_body(tmp_path):
    summary = '"Kazakhstan raised its grain export quota by a fifth after a record harvest."'
    _, e = build_one(
        tmp_path, briefing("Kazakhstan raises its quota", body=REPORT, summary=summary)
    )
    assert e.summary_source == "author"
    opening = set(split_sentences(e.briefing.doc.blocks[0].text))
    assert e.key_points and not opening & set(e.key_points)
    assert not any(p.startswith("Kazakhstan raised its grain export quota") for p in e.key_points)


@pytest.mark.parametrize(
    "sentence",
    [
        "The answer so far is: not enough wagons.",
        "Each came with a figure for wagons and ports.",
        "Both agreed to meet again in Astana.",
        "The other route runs through Iran.",
        "The short answer is no.",
    ],
)
def test_issue_17_dangles_beyond_the_first_word(sentence):
    assert dangles(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Both Kazakhstan and Uzbekistan signed the pact.",
        "Each of the five states signed a transit deal.",
    ],
)
def test_issue_17_a_named_list_still_stands_alone(sentence):
    assert not dangles(sentence)


@pytest.mark.parametrize(
    ("opening", "kept"),
    [
        ("ASTANA, Kazakhstan (Reuters) -- Kazakhstan raised", "Kazakhstan raised"),
        ("Astana (CNN)Kazakhstan raised", "Kazakhstan raised"),
        ("BRUSSELS — Kazakhstan raised", "Kazakhstan raised"),
        ("NATO — Kazakhstan raised", "NATO — Kazakhstan raised"),  # an acronym, not a place
    ],
)
def test_issue_17_summary_drops_a_news_dateline(tmp_path, opening, kept):
    body = REPORT.replace("Kazakhstan raised", opening, 1)
    _, e = build_one(tmp_path, briefing("Kazakhstan raises its grain export quota", body=body))
    assert e.summary.startswith(kept + " its grain export quota")


def test_issue_17_check_explain_says_why_each_sentence(tmp_path):
    root = make_site(tmp_path / "s", {"content/x.md": briefing("Kazakhstan grain", body=REPORT)})
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefgen",
            "check",
            "--source",
            str(root),
            "--explain",
            "content/x.md",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert re.search(
        r"^  why: \d of the first \d+ usable sentences, \d+ words: the best expected overlap",
        out,
        re.M,
    ), out
    assert re.search(
        r"^  why: sentence 1 \(paragraph 1\), \d+ words; likely summary words: ", out, re.M
    )
    assert "grain" in out.split("key points:")[0]
    points = out.split("key points:")[1].split("related:")[0]
    assert re.search(r"^    why: sentence \d+ \(paragraph \d+\), \d+ words; adds: ", points, re.M)


def test_issue_17_check_explain_names_the_author_as_the_reason(tmp_path):
    text = briefing(
        "Kazakhstan grain",
        body=REPORT,
        summary='"Our own summary."',
        key_points='["First point."]',
    )
    root = make_site(tmp_path / "s", {"content/x.md": text})
    run = subprocess.run(
        [sys.executable, "-m", "briefgen", "check", "--source", str(root), "--explain", "x.md"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "summary (author): Our own summary.\n  why: written by the author" in run.stdout
    assert "  - First point.\n    why: written by the author (front matter `key_points`)" in (
        run.stdout
    )


# An analysis that opens on a scene: twelve sentences of colour before the thesis, whose
# words the rest of the piece comes back to.
SCENE = (
    " ".join(
        [
            "The bazaar opens before dawn on a cold morning in early spring.",
            "Traders stack melons under faded awnings beside the old mosque.",
            "A boy pushes a cart of bread through the narrow lanes.",
            "Somewhere a radio plays a song from another decade entirely.",
            "Tea steams in chipped cups on every wooden counter nearby.",
            "A woman haggles loudly over the price of dried apricots.",
            "Pigeons scatter when a delivery van reverses into the square.",
            "The smell of fresh samsa drifts from a clay oven nearby.",
            "Old men play backgammon on a bench near the fountain.",
            "By seven the crowd has doubled and the noise has grown.",
            "A policeman waves at a friend across the busy street.",
            "Nobody here talks about anything beyond the weather today.",
        ]
    )
    + "\n\nUzbekistan's cotton reform ended forced labour in the fields and raised farm wages."
    + " The cotton reform also let farmers sell cotton to private clusters at market prices."
    + "\n\nForced labour had defined cotton farming in Uzbekistan for decades."
    + " Farm wages in the cotton clusters rose by a third after the reform."
    + "\n\nCritics say the clusters still set cotton prices too low for farmers."
    + " The reform's next stage opens land leases to private farmers."
    + "\n\nBuyers abroad lifted their boycott of Uzbek cotton once forced labour ended."
    + " Forced labour monitors found no systemic forced labour in the cotton harvest."
    + "\n\nThe cotton reform is now a model for farm wages and labour rights in the region."
    + " Farm wages and cotton prices will decide whether the reform lasts."
)


def test_issue_17_summary_reaches_a_thesis_stated_after_a_long_scene(tmp_path):
    _, e = build_one(tmp_path, briefing("Uzbekistan's cotton reform", body=SCENE))
    assert "cotton reform ended forced labour" in e.summary, e.summary
