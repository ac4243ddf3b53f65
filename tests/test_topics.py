"""Topics: declared topics resolve by id, name or alias; detected topics need real evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SMALL_TOPICS, briefing, build_site, make_site, page, read_json

from briefgen.enrich.matcher import NAME, Matcher
from briefgen.enrich.topics import thread_threshold
from briefgen.load.registry import load_registry

FILLER = (
    "Officials discussed customs procedures, port capacity and the timetable for new "
    "freight services at length."
)


def topics_of(
    tmp_path: Path,
    title: str = "A briefing",
    body: str = FILLER,
    *,
    registry: str = SMALL_TOPICS,
    **front: object,
):
    """{topic id: TopicMatch} for one briefing built in a real site."""
    files = {"content/x.md": briefing(title, body=body, **front)}
    root = make_site(tmp_path / "s", files, topics=registry)
    result = build_site(root, write=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {m.id: m for m in result.site.by_slug["x"].topics}


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


# --- declared topics -----------------------------------------------------------------------


def test_declared_topics_resolve_by_id_name_and_alias_in_any_case(tmp_path):
    found = topics_of(
        tmp_path,
        topics="[kazakhstan, KAZAKHSTAN, european commission, TITR, Central Asia]",
    )
    assert list(found) == ["kazakhstan", "eu", "middle-corridor", "central-asia"]
    assert all(m.declared for m in found.values())


def test_declared_topic_stays_without_any_mention(tmp_path):
    found = topics_of(tmp_path, body="Nothing about any place at all.", topics="[uzbekistan]")
    assert list(found) == ["uzbekistan"]
    assert found["uzbekistan"].declared
    assert found["uzbekistan"].reason == "declared"


def test_declared_topics_come_first_in_their_own_order(tmp_path):
    body = paragraphs(
        "Russia and Russia again dominate the talks in Moscow.",
        "Russia is mentioned a lot here, Russia.",
    )
    found = topics_of(tmp_path, "Russia in focus", body=body, topics="[uzbekistan, eu]")
    assert list(found)[:2] == ["uzbekistan", "eu"]
    assert "russia" in found and not found["russia"].declared


# --- detection -------------------------------------------------------------------------------


def test_acronym_is_detected_only_as_written(tmp_path):
    upper = paragraphs(
        "The EU agreed a new package of support. The EU will pay for it.",
        "Member states of the EU approved the plan.",
    )
    assert "eu" in topics_of(tmp_path / "upper", body=upper)
    lower = upper.replace("EU", "eu")
    assert "eu" not in topics_of(tmp_path / "lower", body=lower)


def test_full_name_is_detected_in_any_case(tmp_path):
    body = paragraphs(
        "The EUROPEAN UNION agreed a package. The european union will pay.",
        "Officials of the European Union approved it.",
    )
    assert "eu" in topics_of(tmp_path, body=body)


def test_caspian_inside_trans_caspian_is_not_the_caspian_sea(tmp_path):
    body = paragraphs(
        "The Trans-Caspian International Transport Route carried more cargo this year.",
        "Shippers on the Trans-Caspian route expect growth; Trans-Caspian tariffs fell.",
        "The Trans-Caspian route needs new ferries, and Trans-Caspian ports need cranes.",
    )
    found = topics_of(tmp_path, body=body)
    assert "middle-corridor" in found
    assert "caspian-sea" not in found


def test_the_caspian_on_its_own_is_the_caspian_sea(tmp_path):
    body = paragraphs(
        "Water levels in the Caspian fell again this year.",
        "Ports on the Caspian had to dredge their channels; Caspian ferries waited.",
    )
    assert "caspian-sea" in topics_of(tmp_path, body=body)


GEORGIA = paragraphs(
    "Georgia passed a new law on foreign agents. Georgia saw protests against it.",
    "The government of Georgia says the law is about transparency.",
)


def test_georgia_without_context_words_is_not_detected(tmp_path):
    assert "georgia" not in topics_of(tmp_path, body=GEORGIA)


def test_georgia_with_a_context_word_is_detected(tmp_path):
    found = topics_of(tmp_path, body=GEORGIA + "\n\nCrowds gathered in Tbilisi overnight.")
    assert "georgia" in found


def test_georgia_declared_stays_without_context(tmp_path):
    found = topics_of(tmp_path, body=GEORGIA, topics="[georgia]")
    assert found["georgia"].declared


def test_passing_mention_is_not_a_topic(tmp_path):
    body = paragraphs(
        FILLER,
        "Rail operators said the new timetable would start in the spring.",
        "One delegate noted that Russia had sent an observer to the meeting.",
        FILLER,
    )
    assert "russia" not in topics_of(tmp_path, body=body)


def test_mention_in_the_title_is_a_topic(tmp_path):
    found = topics_of(tmp_path, title="What Russia wants from the talks")
    assert "russia" in found
    assert not found["russia"].declared
    assert "title" in found["russia"].reason


def test_repeated_mentions_across_the_text_are_a_topic(tmp_path):
    body = paragraphs(
        "Uzbekistan opened a new rail terminal.",
        "Uzbekistan expects transit volumes to double.",
        "Traders in Tashkent welcomed the news; Uzbek exporters agreed.",
    )
    found = topics_of(tmp_path, body=body)
    assert "uzbekistan" in found
    assert found["uzbekistan"].reason.startswith("lead; ")


def test_topics_auto_false_opts_out_of_detection(tmp_path):
    found = topics_of(
        tmp_path,
        title="Russia and the EU",
        body=paragraphs("Russia, Russia and Russia.", "The EU and the EU."),
        topics="[uzbekistan]",
        topics_auto="false",
    )
    assert list(found) == ["uzbekistan"]


def test_topics_auto_false_and_no_declared_topics_means_no_topics(tmp_path):
    assert topics_of(tmp_path, title="Russia and the EU", topics_auto="false") == {}


def test_parent_is_implied_by_two_children(tmp_path):
    found = topics_of(tmp_path, title="Kazakhstan and Uzbekistan sign a water deal")
    assert {"kazakhstan", "uzbekistan", "central-asia"} <= set(found)
    parent = found["central-asia"]
    assert not parent.declared
    assert parent.reason == "covers kazakhstan, uzbekistan"


def test_parent_is_implied_by_a_declared_and_a_detected_child(tmp_path):
    found = topics_of(tmp_path, title="Uzbekistan's new dam", topics="[kazakhstan]")
    assert found["central-asia"].reason == "covers kazakhstan, uzbekistan"


def test_one_child_does_not_imply_the_parent(tmp_path):
    found = topics_of(tmp_path, title="Kazakhstan raises grain exports")
    assert "kazakhstan" in found
    assert "central-asia" not in found


def test_parent_is_not_implied_when_topics_auto_is_off(tmp_path):
    found = topics_of(tmp_path, topics="[kazakhstan, uzbekistan]", topics_auto="false")
    assert list(found) == ["kazakhstan", "uzbekistan"]


def test_every_topic_has_a_reason_and_it_is_published(tmp_path):
    body = paragraphs(
        "The EU and Kazakhstan signed a raw materials deal in Astana.",
        "The EU will fund a study; Kazakhstan will supply rare earths to the EU.",
    )
    root = make_site(
        tmp_path / "s",
        {"content/x.md": briefing("Kazakhstan and Uzbekistan", body=body, topics="[russia]")},
    )
    result = build_site(root)
    assert result.ok
    matches = result.site.by_slug["x"].topics
    assert {m.id for m in matches} == {"russia", "eu", "kazakhstan", "uzbekistan", "central-asia"}
    assert all(m.reason for m in matches)
    reasons = read_json(root, "api/briefings.json")["briefings"][0]["topic_reasons"]
    assert reasons == {m.id: m.reason for m in matches}
    html = page(root, "briefings/x/index.html")
    assert '<span class="why">(covers kazakhstan, uzbekistan)</span>' in html


def test_detected_topics_are_ordered_by_score_then_id(tmp_path):
    body = paragraphs(
        "Russia and the EU met. Russia spoke first, then Russia again.",
        "Russia closed the meeting; the EU said little.",
    )
    found = topics_of(tmp_path, "Russia and the EU", body=body)
    scores = [(-m.score, m.id) for m in found.values()]
    assert scores == sorted(scores)
    assert next(iter(found)) == "russia"


def test_topic_pages_list_detected_briefings(tmp_path):
    root = make_site(
        tmp_path / "s",
        {
            "content/a.md": briefing("Kazakhstan grain exports"),
            "content/b.md": briefing("Russia and oil", date="2024-04-01"),
        },
    )
    assert build_site(root).ok
    kz = page(root, "topics/kazakhstan/index.html")
    assert "Kazakhstan grain exports" in kz
    assert "Russia and oil" not in kz


# --- regressions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "topic"),
    [("anti-EU", "eu"), ("pro-Russia", "russia"), ("non-EU", "eu")],
)
def test_issue_9_prefixed_mentions_like_anti_eu_still_count(tmp_path, phrase, topic):
    # "Trans-Caspian" is a different place from the Caspian; "anti-EU" is still about the EU.
    body = paragraphs(
        f"The {phrase} camp won the vote. The {phrase} camp celebrated.",
        f"Analysts say the {phrase} camp will now set the agenda.",
    )
    assert topic in topics_of(tmp_path, body=body)


# --- issue 5: salience rules -----------------------------------------------------------------

TRADE_THEME = (
    SMALL_TOPICS
    + """\
- id: trade
  name: Trade
  kind: theme
  aliases: [trade]
"""
)


def test_issue_5_a_member_list_is_one_weak_mention_each(tmp_path):
    members = "Ministers from Kazakhstan, Uzbekistan and Russia met again."
    body = paragraphs(FILLER, FILLER, *[members] * 4)
    found = topics_of(tmp_path, body=body, topics="[kazakhstan]")
    assert "uzbekistan" not in found and "russia" not in found
    assert found["kazakhstan"].reason == "declared; 4 mentions in 4 blocks (4 in lists)"


def test_issue_5_a_paragraph_listing_members_twice_is_not_about_each(tmp_path):
    body = paragraphs(
        FILLER,
        FILLER,
        "Kazakhstan, Uzbekistan and Russia signed; Kazakhstan, Uzbekistan and Russia will pay.",
    )
    found = topics_of(tmp_path, body=body)
    assert not {"kazakhstan", "uzbekistan", "russia"} & set(found)


def test_issue_5_a_list_in_the_lead_counts_in_full(tmp_path):
    body = paragraphs(
        "Kazakhstan, Uzbekistan and Russia signed a transit pact in Astana.",
        "Kazakhstan will host the secretariat.",
        "Officials in Astana expect the first trains in spring.",
    )
    found = topics_of(tmp_path, body=body)
    assert found["kazakhstan"].reason == "lead; 4 mentions in 3 blocks"


def test_issue_5_one_paragraph_about_a_topic_is_enough(tmp_path):
    body = paragraphs(
        FILLER,
        FILLER,
        "Russia objected. Moscow says the route bypasses Russia on purpose.",
        FILLER,
    )
    found = topics_of(tmp_path, body=body)
    assert found["russia"].reason == "3 mentions in 1 block; a paragraph about it"


def test_issue_5_two_mentions_beside_a_stronger_topic_are_not_a_paragraph(tmp_path):
    body = paragraphs(
        FILLER,
        FILLER,
        "The EU will pay; the EU has the money; Russia and the EU talk; Russia objects.",
    )
    found = topics_of(tmp_path, body=body)
    assert found["eu"].reason == "3 mentions in 1 block; a paragraph about it"
    assert "russia" not in found


def test_issue_5_a_theme_named_in_one_paragraph_is_not_a_topic(tmp_path):
    body = paragraphs(FILLER, FILLER, "Trade grew; trade rules changed; trade fell again.")
    assert "trade" not in topics_of(tmp_path, body=body, registry=TRADE_THEME)


def test_issue_5_a_section_heading_names_its_topic(tmp_path):
    body = paragraphs(FILLER, FILLER, "## Uzbekistan", "Officials in Tashkent welcomed it.")
    found = topics_of(tmp_path, body=body)
    assert found["uzbekistan"].reason == "2 mentions in 2 blocks; heads a section"


def test_issue_5_a_list_in_a_heading_does_not_head_a_section(tmp_path):
    body = paragraphs(
        FILLER, FILLER, "## Kazakhstan, Uzbekistan and Russia", "Officials in Tashkent agreed."
    )
    assert "uzbekistan" not in topics_of(tmp_path, body=body)


US_STATE = paragraphs(
    "A ban on imported fuel took effect, and utilities are looking for new suppliers.",
    "## Why Georgia matters",
    "Nowhere is it more pressing than in Georgia, where two new reactors opened. Georgia "
    "Power buys fuel years ahead.",
    "## Routes",
    "Some fuel now travels by rail across the Caucasus and by sea.",
)


def test_issue_5_ambiguous_name_needs_context_in_its_own_section(tmp_path):
    # b16: the US state in the title and its own section; "Caucasus" only in another section
    found = topics_of(tmp_path, "Georgia's new reactors", body=US_STATE)
    assert "georgia" not in found


def test_issue_5_ambiguous_name_with_context_in_its_section_is_detected(tmp_path):
    body = US_STATE.replace("two new reactors opened", "protests filled Tbilisi")
    found = topics_of(tmp_path, "Georgia's new reactors", body=body)
    # the title goes with the lead, where nothing says which Georgia: only its section counts
    assert found["georgia"].reason == "lead; 3 mentions in 2 blocks"


def test_issue_5_a_thread_needs_more_weight_in_a_longer_text_most_for_themes():
    assert thread_threshold("country", 500) < thread_threshold("country", 3000)
    assert thread_threshold("country", 3000) < thread_threshold("theme", 3000)


def test_issue_5_an_alias_beats_the_plural_of_a_signal_on_the_same_words(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text(
        "- id: crm\n  name: Critical raw materials\n  kind: theme\n"
        "  aliases: [rare earths]\n  signals: [rare earth]\n",
        encoding="utf-8",
    )
    matcher = Matcher(load_registry(path, "topics.yaml")[0])
    assert [(h.topic, h.strength) for h in matcher.find("It buys rare earths.")] == [("crm", NAME)]
