"""Seeded synthetic corpus generator for briefgen benchmarks.

    python -m benchmarks.generate OUTDIR --count N [--seed 1]

writes a complete site to OUTDIR: `briefgen.yaml`, a 42-topic registry `topics.yaml` (Central
Asia, the South Caucasus and their partners) and N briefings `content/<year>/<slug>.md` of
6-8 KB each. Front matter: a unique title, a date in 2015-2025 (unique days while there are
enough), 1-3 authors, 1-4 registry topics (the fixed topic `sanctions` on 30% of briefings),
a type and, on about 10%, a summary. Bodies are assembled from sentence templates and word
pools: `##` sections, bullet lists, a blockquote, an inline link, a table on about 20% and
footnotes on about 30%. They name the briefing's own topics (by name, alias and signal)
several times and two or three other topics in passing; generic word pools avoid every
registry term so that topic detection only sees the intended mentions.

The same seed and count give byte-identical files. `generate_site()` is the library entry
point; `edit_briefing()` rewrites one paragraph of a body in place (rebuild-after-edit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import string
import time
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SITE_CONFIG = "title: Synthetic Briefings\nbase_url: https://example.org/\n"
FIXED_TOPIC = "sanctions"
FIXED_SHARE = 0.3
SUMMARY_SHARE = 0.1
TABLE_SHARE = 0.2
FOOTNOTE_SHARE = 0.3
MIN_BYTES, MAX_BYTES = 6144, 8000  # every briefing is 6 KiB .. 8 kB, whichever unit you use
TARGET_BYTES = (6400, 7600)
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
TYPES = ("brief", "analysis", "report", "commentary")
TYPE_WEIGHTS = (4, 3, 1, 2)


# --- Topic registry ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    """A registry entry. Names and aliases are written as used mid-sentence ("the EU")."""

    id: str
    name: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...]
    signals: tuple[str, ...]  # countries: the demonym first
    places: tuple[str, ...]  # cities and ports, also signals
    description: str

    @property
    def display(self) -> str:
        return capitalise(bare(self.name))


def bare(text: str) -> str:
    return text[4:] if text.startswith("the ") else text


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _t(
    id_: str,
    name: str,
    kind: str,
    parent: str | None,
    aliases: str,
    signals: str,
    places: str,
    description: str,
) -> Topic:
    def split(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(";") if part.strip())

    return Topic(
        id_, name, kind, parent, split(aliases), split(signals), split(places), description
    )


# fmt: off
TOPICS: tuple[Topic, ...] = (
    _t("central-asia", "Central Asia", "region", None, "the Central Asian republics",
       "Central Asian", "", "The five post-Soviet republics between the Caspian Sea and China."),
    _t("south-caucasus", "the South Caucasus", "region", None, "Transcaucasia", "", "",
       "Armenia, Azerbaijan and Georgia, the land bridge between the Caspian and Black Seas."),
    _t("caspian-sea", "the Caspian Sea", "region", None, "the Caspian basin", "Caspian",
       "Aktau; Turkmenbashi", "The enclosed sea shared by five littoral states."),
    _t("kazakhstan", "Kazakhstan", "country", "central-asia", "the Republic of Kazakhstan",
       "Kazakh", "Astana; Almaty", "Central Asia's largest economy and biggest oil exporter."),
    _t("uzbekistan", "Uzbekistan", "country", "central-asia", "the Republic of Uzbekistan",
       "Uzbek", "Tashkent; Samarkand", "Central Asia's most populous country."),
    _t("kyrgyzstan", "Kyrgyzstan", "country", "central-asia", "the Kyrgyz Republic", "Kyrgyz",
       "Bishkek; Osh", "A mountainous republic on the border with China."),
    _t("tajikistan", "Tajikistan", "country", "central-asia", "the Republic of Tajikistan",
       "Tajik", "Dushanbe; Khujand", "The poorest Central Asian republic, bordering Afghanistan."),
    _t("turkmenistan", "Turkmenistan", "country", "central-asia", "the Republic of Turkmenistan",
       "Turkmen", "Ashgabat", "A closed, gas-rich state on the eastern Caspian shore."),
    _t("azerbaijan", "Azerbaijan", "country", "south-caucasus", "the Republic of Azerbaijan",
       "Azerbaijani", "Baku", "The Caspian oil and gas producer at the corridor's western end."),
    _t("georgia", "Georgia", "country", "south-caucasus", "Sakartvelo", "Georgian",
       "Tbilisi; Batumi", "The Black Sea gateway of the routes between Europe and Asia."),
    _t("armenia", "Armenia", "country", "south-caucasus", "the Republic of Armenia", "Armenian",
       "Yerevan; Gyumri", "A landlocked republic rethinking its alliance with Russia."),
    _t("russia", "Russia", "country", None, "the Russian Federation", "Russian; Kremlin",
       "Moscow", "The former imperial power and still the region's main security actor."),
    _t("china", "China", "country", None, "the People's Republic of China; the PRC", "Chinese",
       "Beijing; Xinjiang", "The region's largest trading partner and lender."),
    _t("turkey", "Turkey", "country", None, "Türkiye; the Republic of Türkiye", "Turkish",
       "Ankara", "A Turkic-speaking partner building ties across Central Asia."),
    _t("iran", "Iran", "country", None, "the Islamic Republic of Iran", "Iranian", "Tehran",
       "The southern neighbour offering a route to the Gulf."),
    _t("afghanistan", "Afghanistan", "country", None, "", "Afghan; Taliban", "Kabul",
       "The southern neighbour whose stability shapes regional security."),
    _t("ukraine", "Ukraine", "country", None, "", "Ukrainian", "Kyiv",
       "The country whose invasion in 2022 reshaped the region's choices."),
    _t("eu", "the European Union", "organisation", None, "the EU; the European Commission", "",
       "Brussels; Strasbourg", "The bloc of 27 states and the region's largest investor."),
    _t("eib", "the European Investment Bank", "organisation", "eu", "the EIB", "", "",
       "The EU's lending arm, financing infrastructure beyond the Union."),
    _t("ebrd", "the European Bank for Reconstruction and Development", "organisation", None,
       "the EBRD", "", "", "A multilateral lender active in every Central Asian republic."),
    _t("eaeu", "the Eurasian Economic Union", "organisation", None, "the EAEU; the EEU",
       "Eurasian Economic Commission", "", "The Russian-led customs union of five states."),
    _t("sco", "the Shanghai Cooperation Organisation", "organisation", None, "the SCO", "", "",
       "A security and economic forum led by China and Russia."),
    _t("csto", "the Collective Security Treaty Organization", "organisation", None, "the CSTO",
       "", "", "The Russian-led military alliance of six post-Soviet states."),
    _t("osce", "the Organization for Security and Co-operation in Europe", "organisation", None,
       "the OSCE", "", "Vienna", "The pan-European security body with offices in the region."),
    _t("nato", "NATO", "organisation", None, "the North Atlantic Treaty Organization", "", "",
       "The transatlantic alliance, with partnership programmes in the region."),
    _t("ots", "the Organization of Turkic States", "organisation", "turkey", "the OTS",
       "Turkic; Turkic Council", "", "A forum of Turkic-speaking states led by Ankara."),
    _t("middle-corridor", "the Middle Corridor", "corridor", None,
       "TITR; the Trans-Caspian route; the Trans-Caspian International Transport Route", "",
       "Kuryk; Alat", "The rail, ferry and road route from China to Europe across the Caspian."),
    _t("northern-corridor", "the Northern Corridor", "corridor", "russia", "the Northern Route",
       "Trans-Siberian", "", "The rail route from China to Europe through Russia."),
    _t("north-south-corridor", "the North-South Corridor", "corridor", None,
       "INSTC; the International North-South Transport Corridor", "", "Bandar Abbas; Rasht",
       "The route linking Russia to the Gulf and India through Iran."),
    _t("belt-and-road", "the Belt and Road Initiative", "corridor", "china",
       "BRI; One Belt, One Road", "Silk Road Fund", "", "China's infrastructure lending scheme."),
    _t("cku-railway", "the China-Kyrgyzstan-Uzbekistan railway", "corridor", "belt-and-road",
       "the CKU railway", "", "Kashgar; Jalal-Abad", "A planned line from Xinjiang to Uzbekistan."),
    _t("sanctions", "sanctions", "theme", None, "restrictive measures",
       "export controls; circumvention; price cap", "", "Western restrictions on Russia and their "
       "effect on the region's trade."),
    _t("energy", "energy", "theme", None, "energy security",
       "oil exports; gas supplies; hydropower", "",
       "Oil, gas, power and the region's place in Europe's supply."),
    _t("critical-raw-materials", "critical raw materials", "theme", None,
       "critical minerals; CRM", "rare earths; tungsten; lithium", "",
       "The minerals Europe needs for its industrial and green transition."),
    _t("water-security", "water security", "theme", None, "water management",
       "Amu Darya; Syr Darya; Rogun", "", "Sharing shrinking rivers between upstream and "
       "downstream states."),
    _t("labour-migration", "labour migration", "theme", None, "migrant workers", "remittances",
       "", "The workers who leave the region and the money they send home."),
    _t("climate-change", "climate change", "theme", None, "climate adaptation",
       "Aral Sea; glacier melt; drought", "", "Heat, water stress and emissions in the region."),
    _t("human-rights", "human rights", "theme", None, "civil liberties",
       "press freedom; political prisoners", "", "Rights, freedoms and the rule of law."),
    _t("trade-policy", "trade policy", "theme", None, "trade rules", "WTO; tariff", "",
       "Customs unions, tariffs and accession to the World Trade Organization."),
    _t("kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "person", "kazakhstan",
       "President Tokayev", "Akorda", "", "The President of Kazakhstan since 2019."),
    _t("shavkat-mirziyoyev", "Shavkat Mirziyoyev", "person", "uzbekistan",
       "President Mirziyoyev", "", "", "The President of Uzbekistan since 2016."),
    _t("ilham-aliyev", "Ilham Aliyev", "person", "azerbaijan", "President Aliyev", "", "",
       "The President of Azerbaijan since 2003."),
)
# fmt: on
BY_ID = {topic.id: topic for topic in TOPICS}
KIND_WEIGHT = {"country": 5, "region": 2, "organisation": 2, "corridor": 2, "theme": 2, "person": 1}


def topics_yaml() -> str:
    """The registry as YAML text (flow lists of JSON-quoted strings are valid YAML)."""
    out = ["# Synthetic topic registry written by benchmarks/generate.py.\n"]
    for topic in TOPICS:
        out.append(f"\n- id: {topic.id}\n  name: {q(topic.display)}\n  kind: {topic.kind}\n")
        if topic.parent:
            out.append(f"  parent: {topic.parent}\n")
        out.append(f"  aliases: {q([bare(a) for a in topic.aliases])}\n")
        out.append(f"  signals: {q([*topic.signals, *topic.places])}\n")
        out.append(f"  description: {q(topic.description)}\n")
    return "".join(out)


def q(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- Word pools (none contains a registry name, alias or signal) ---------------------------

# fmt: off
ACTORS = (
    "officials", "the finance ministry", "regional governments", "Western diplomats",
    "state lenders", "foreign investors", "customs services", "railway operators",
    "the central bank", "parliamentarians", "development banks", "exporters", "logistics firms",
    "utility companies", "local economists", "the presidential administration",
    "foreign ministers", "donor agencies", "business associations", "provincial authorities",
    "port operators", "the economy ministry",
)
VERBS = (
    "pushed for", "welcomed", "questioned", "expanded", "delayed", "backed", "criticised",
    "announced", "endorsed", "postponed", "revived", "scaled back", "fast-tracked", "downplayed",
    "reopened talks on", "set aside funds for", "signed up to", "watered down",
)
OBJECTS = (
    "a new customs agreement", "the modernisation of border crossings",
    "a single-window customs system", "a feasibility study for a new rail link",
    "investment guarantees", "a joint inspection regime", "visa facilitation",
    "a solar and wind programme", "debt restructuring talks", "the expansion of port capacity",
    "a digital logistics platform", "grid interconnection",
    "new credit lines for small businesses", "a framework on investment protection",
    "the liberalisation of the currency market", "a privatisation programme",
    "the reform of state-owned enterprises", "a regional electricity market",
    "new rules for public procurement", "a bilateral investment treaty",
    "an anti-corruption agency", "the harmonisation of technical standards",
    "a ferry fleet renewal plan", "a green bond issue", "a vocational training scheme",
    "a cross-border industrial zone", "new dry ports", "a common rail tariff schedule",
)
ISSUES = (
    "transit capacity", "currency volatility", "rising freight costs", "labour shortages",
    "debt sustainability", "border delays", "the investment climate", "governance reform",
    "food security", "the cost of compliance", "inflation", "weak institutions",
    "state ownership", "corruption risks", "skills shortages", "ageing infrastructure",
    "regulatory uncertainty", "youth unemployment", "power shortages",
    "exchange-rate pressure", "the lack of bankable projects", "customs bottlenecks",
    "fiscal pressure", "land rights", "urban air pollution",
)
ADJECTIVES = (
    "modest", "uneven", "significant", "gradual", "fragile", "steady", "unexpected",
    "limited", "substantial", "halting", "rapid", "patchy",
)
REMARKS = (
    "We are not choosing between partners; we are adding partners",
    "The route is only as fast as its slowest border crossing",
    "Nobody builds a port on the strength of a memorandum",
    "Money follows predictability, and predictability is what we are trying to sell",
    "Our neighbours matter more to us than any summit communiqué",
    "The paperwork now takes longer than the journey",
    "We have heard many promises; we would like to see a few invoices",
    "Every delay at the border is a tax nobody voted for",
    "This is a marathon, and we are still in the first kilometres",
    "The numbers are encouraging, but they start from a very low base",
    "Investors want to know the rules will be the same in five years",
    "We need partners who bring engineers, not just delegations",
    "There is no shortage of plans; there is a shortage of finished projects",
    "It is easier to sign a declaration than to harmonise a timetable",
    "The region has learned to keep several doors open at once",
    "Reform is popular in speeches and painful in budgets",
    "Our young people will judge us by jobs, not by agreements",
    "The question is not whether to cooperate, but on whose terms",
    "A railway is a political promise made of steel",
    "We cannot plan for twenty years with a one-year budget",
)
SPEAKERS = (
    "a senior European diplomat", "a deputy minister", "a banker who finances projects there",
    "a logistics executive", "one Western ambassador", "a former negotiator",
    "an official involved in the talks", "a researcher at a regional think tank",
    "a senior adviser to the government", "the head of a freight forwarding company",
    "an economist at a development bank", "a member of parliament",
)
PEOPLE = ("officials", "diplomats", "business leaders", "economists", "negotiators")
NEUTRAL_CITIES = ("Geneva", "London", "Paris", "Berlin", "Warsaw", "Dubai", "Singapore",
                  "Tokyo", "Seoul", "Rome", "Madrid", "Prague")
COMMODITIES = ("grain", "copper", "uranium", "cotton", "fertiliser", "steel", "wheat", "zinc",
               "aluminium", "fruit and vegetables")
UNITS = ("containers", "tonnes of cargo", "wagons", "trucks", "passengers", "ferry crossings")
SMALL_ADJECTIVES = ("modest", "limited", "gradual", "halting", "partial", "tentative")
SLOW = ("slow", "patchy", "halting", "uneven", "erratic")
SUDDEN = ("sudden", "sharp", "lasting", "small", "sustained")
TONES = ("cautious", "lukewarm", "swift", "muted", "enthusiastic", "guarded")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
LINKS = (
    ("the bank's country strategy", "https://www.ebrd.com/what-we-do/strategies-and-policies.html"),
    ("official statistics", "https://data.worldbank.org/"),
    ("a recent study", "https://www.oecd.org/eurasia/"),
    ("the published roadmap", "https://ec.europa.eu/commission/presscorner/home/en"),
    ("the IMF's latest assessment", "https://www.imf.org/en/Countries"),
    ("the World Bank's review", "https://www.worldbank.org/en/region/eca"),
    ("the UNECE transport figures", "https://unece.org/transport"),
    ("the lender's project list", "https://www.adb.org/projects"),
)
AUTHORS = (
    "Aigerim Nurlanova", "Giorgi Beridze", "Nodira Karimova", "Timur Akhmetov", "Elena Marchetti",
    "Jonas Lindqvist", "Aruzhan Sadykova", "Farrukh Tashpulatov", "Leyla Mammadova",
    "Anna Kowalska", "Pierre Lefebvre", "Dilnoza Yusupova", "Mariam Grigoryan", "Erlan Bekov",
    "Sophie Richter", "Rustam Nazarov", "Nino Kapanadze", "Daniel Okafor", "Zarina Kholova",
    "Oliver Bennett", "Madina Abdullaeva", "Kerem Yilmaz", "Ilona Varga", "Bakyt Osmonov",
    "Clara Jimenez", "Arman Sargsyan", "Hannah Vogel", "Sanjar Ergashev", "Lucia Novak",
    "Mehmet Aydin",
)
TITLE_PHRASES = (
    "the limits of engagement", "a test for reform", "between ambition and delivery",
    "the cost of hedging", "new money, old problems", "the long road to diversification",
    "a partnership under strain", "what the numbers show", "a quiet recalibration",
    "the politics of transit", "risks and openings", "reading the fine print",
    "promises and bottlenecks", "the next five years", "a window that may close",
    "who pays, who benefits", "beyond the summit declarations", "old habits, new pressures",
    "small steps, large stakes", "the case for patience",
)
EVENTS = (
    "the summit", "the new customs code", "the latest package of measures",
    "the border agreement", "the election", "the investment forum", "the currency reform",
    "the rail deal", "the leaders' meeting", "the budget review", "the new visa regime",
    "the port expansion",
)
TITLES = (
    "{Tn}: {phrase}", "{Phrase} in {T}", "What {event} means for {T}",
    "{Tn} and {T2}: {phrase}", "{Tn} after {event}", "Why {event} matters for {T}",
    "{Tn} between {issue} and {issue2}",
    "{Tn} and {issue}: {phrase}",
    "{Phrase}: {T} and {issue}",
    "How {issue} is reshaping {T}",
)
HEADINGS = (
    "What changed", "The view from {city}", "Why it matters for {T}", "The numbers",
    "Where things stand", "{T} and {issue}", "Risks ahead", "The politics behind the plans",
    "Money and its conditions", "A question of capacity", "Lessons from {year}",
    "Who gains, who loses", "The regional angle", "Beyond the headlines",
    "Implementation gaps", "What partners want", "The cost of delay",
    "Options for policymakers", "Background", "The record on {T}",
)
CLOSINGS = ("Outlook", "What to watch next", "Conclusion", "The road ahead", "Looking to {year2}")
BULLET_LEADS = (
    "Financing", "Regulation", "Logistics", "Governance", "Security", "Skills", "Standards",
    "Timing", "Politics", "Infrastructure", "Markets", "Institutions", "Partners", "Data",
)
INDICATORS = (
    ("Freight volume (million tonnes)", 1, 30, 1), ("Foreign direct investment (USD bn)", 1, 12, 1),
    ("Border crossing time (hours)", 6, 60, 0), ("Projects announced", 3, 40, 0),
    ("Public debt (% of GDP)", 15, 60, 1), ("Inflation (%)", 3, 20, 1),
    ("Container trains per month", 10, 200, 0), ("Disbursed loans (EUR m)", 50, 900, 0),
    ("GDP growth (%)", 1, 9, 1),
)
SENTENCES = (
    "{actor} {verb} {obj}, citing {issue}.",
    "In {month} {year}, {actor} {verb} {obj}.",
    "For {T}, the question is less about {issue} than about {issue2}.",
    "The debate over {T} has moved from {issue} to {issue2}.",
    "Official figures suggest that links between {T} and {O} grew by {pct} in {year}.",
    "{actor} {verb} {obj} after talks with counterparts from {O}.",
    "Few observers expect a change of course on {T} before {year2}.",
    '"{remark}," {speaker} said in {city}.',
    "Estimates put the cost of {obj} at {money}, of which less than {pct} has been committed.",
    "That leaves the agenda on {T} exposed to {issue}, a risk few in {city} had anticipated.",
    "Progress on {obj} has been {adj}, and {actor} {verb} the timetable agreed in {year}.",
    "Much depends on {O}, whose position on {issue} remains ambiguous.",
    "The latest figures show {count} {unit} handled in {year}, up from {count2} a year earlier.",
    "Seen from {city}, the file on {T} looks less like an opportunity than an obligation.",
    "None of this is new for {T}, but the scale is.",
    "At least {small} projects linked to {T} were announced between {year} and {year2}.",
    "The {adj} pace of change reflects {issue} as much as political will.",
    "Observers in {city} point to {issue} as the main constraint on {T}.",
    "Exports of {commodity} rose by {pct} in {year}, a trend closely tied to {T}.",
    "A {sudden} shift in {issue} could alter that calculation quickly.",
    "Critics argue that {obj} will do little to address {issue}.",
    "Supporters counter that {obj} would be a first step rather than a final settlement.",
    "The {ordinal} round of talks on {obj} ended without a joint statement.",
    "Delegations working on {T} met in {city} on {day} {month} to discuss {issue}.",
    "Without {obj}, {issue} will continue to weigh on {T}.",
    "{people} have been careful not to overstate what {obj} can deliver.",
    "{people} say they worry more about {issue} than about headline announcements.",
    "The record of the past decade on {T} is mixed.",
    "Much of the commentary on {T} overlooks {issue}.",
    "Since {year}, the agenda on {T} has been shaped by {issue} and, increasingly, by {issue2}.",
    "Financing remains the sticking point: {money} has been pledged, but disbursement has been "
    "{slow}.",
    "The {tone} response from {O} surprised some participants.",
    "One diplomat described the mood on {T} as cautiously optimistic.",
    "Business groups in {city} have asked for {obj} to be given priority.",
    "If plans for {obj} go ahead, it would be the largest commitment of its kind since {year}.",
    "The gap between announcements and delivery on {T} remains wide.",
    "Local economists put the drag on annual growth from {issue} at {points}.",
    "The arrangement covers {count} {unit}, a fraction of what planners had hoped for.",
    "Several partners, {O} among them, have signalled interest in {obj}.",
    "It is too early to judge whether {obj} will survive {issue}.",
    "For now, {T} remains a story of {small_adj} gains and persistent bottlenecks.",
    "The {month} meeting in {city} produced a communiqué on {T} but few firm commitments.",
    "Questions about {issue} are likely to dominate the next review of {T} in {year2}.",
    "There is a broad consensus that {T} cannot be separated from {issue}.",
    "Anyone dealing with {T} faces a familiar dilemma: move fast and risk mistakes, or move "
    "slowly and lose momentum.",
    "Taken together, these steps amount to a {small_adj} but real change in how {T} is handled.",
    "The file on {T} has gone from a marginal item in {year} to a standing one on the agenda.",
    "{actor} {verb} {obj} in {month}, a move widely read as a signal to {O}.",
    "In {city}, the mood is more sceptical.",
    "Data for {year} are incomplete, and revisions of {points} are common.",
    "The {ordinal} review of {obj} is due in {year2}.",
    "Talks on {obj} resumed in {month} after a pause of several months.",
    "{actor} committed {money} to projects connected with {T} in {year}.",
    "Behind the official optimism about {T} lies a more sober assessment of {issue}.",
    "The most credible plans for {T} are also the least ambitious.",
    "A working group on {T} was set up in {year}; it has met {small} times since.",
    "What has changed is the willingness of {actor} to discuss {issue} openly.",
    "The benchmark to watch is {obj}, not the number of agreements signed.",
    "In private, {people} concede that {issue} will take years to resolve.",
    "Public opinion on {T} is harder to read than official statements suggest.",
    "The timetable for {obj} has already slipped twice.",
    "Some {small} companies have registered interest, according to people close to the process.",
    "Much of the money for {obj} is expected to come from {actor}.",
    "The sums involved are modest by global standards but large for the economies concerned.",
    "A compromise on {issue} could unlock {money} in stalled projects.",
    "{people} point out that {obj} was first proposed in {year}.",
)
LINK_SENTENCES = (
    "According to [{link}]({url}), the binding constraint for {T} is still {issue}.",
    "Details are set out in [{link}]({url}), published in {month} {year}.",
    "The figures in [{link}]({url}) suggest that progress on {T} has been {adj}.",
)
LEADS = (
    "The agenda on {T} is busier than it has been for years.",
    "{event} has put {T} back in the spotlight.",
    "The past year has brought {adj} change to {T}.",
    "Few files have moved as quickly as {T} since {year}.",
    "The conversation about {T} has changed in tone, if not yet in substance.",
    "Outside the region, little attention is paid to {T}; it deserves more.",
)
TABLE_INTROS = (
    "The table summarises the main indicators for {T}.",
    "The figures below show how the picture for {T} has changed.",
)
NOTES = (
    "Figures from national statistics agencies, compiled by the author.",
    "Author's interview with an official in {city}, {month} {year}.",
    "Estimates are rounded and exclude re-exports.",
    "Reported by regional media in {month} {year}; not independently confirmed.",
    "Based on the text of the agreement as published in {year}.",
    "Converted at the average exchange rate for {year}.",
    "Figures for {year} are preliminary and may be revised.",
)
SUMMARIES = (
    "How {T} is changing, and why {issue} matters more than the headlines suggest.",
    "An assessment of {T}: {issue}, {obj} and what comes next.",
    "What {event} means for {T}, and where the risks lie.",
)

# fmt: on


def _fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


Template = tuple[str, tuple[str, ...]]


def _compile(templates: Sequence[str]) -> tuple[Template, ...]:
    return tuple((text, _fields(text)) for text in templates)


C_SENTENCES, C_LINKS, C_NOTES = _compile(SENTENCES), _compile(LINK_SENTENCES), _compile(NOTES)
C_HEADINGS, C_CLOSINGS, C_TITLES = _compile(HEADINGS), _compile(CLOSINGS), _compile(TITLES)
C_SUMMARIES, C_INTROS, C_LEADS = _compile(SUMMARIES), _compile(TABLE_INTROS), _compile(LEADS)


# --- Sentences, paragraphs and blocks for one briefing -------------------------------------


class Writer:
    """Fills templates for one briefing: its own topics in turn, a few others in passing."""

    def __init__(self, rng: random.Random, own: Sequence[Topic], year: int) -> None:
        self.rng, self.own, self.year = rng, list(own), year
        self.turn = rng.randrange(len(self.own))
        passing = [t for t in TOPICS if t not in self.own and t.kind in PASSING_KINDS]
        self.others = rng.sample(passing, 2)
        self.others_left = rng.randint(2, 3)
        self.cities = [place for topic in self.own for place in topic.places]
        self.demonyms = [t.signals[0] for t in self.own if t.kind == "country"]
        self.pending_link = False
        self.pending_notes: list[int] = []
        self.last: dict[str, str] = {}
        self.deck: list[Template] = []
        self.fill: dict[str, Callable[[], str]] = self._fillers()

    def _fillers(self) -> dict[str, Callable[[], str]]:
        pick = self._pick
        return {
            "T": self.own_topic,
            "T2": self.own_topic,
            "O": self.other_topic,
            "actor": pick(ACTORS),
            "verb": pick(VERBS),
            "obj": pick(OBJECTS),
            "issue": self.issue,
            "issue2": self.issue,
            "adj": pick(ADJECTIVES),
            "small_adj": pick(SMALL_ADJECTIVES),
            "slow": pick(SLOW),
            "sudden": pick(SUDDEN),
            "tone": pick(TONES),
            "remark": pick(REMARKS),
            "speaker": pick(SPEAKERS),
            "city": self.city,
            "people": self.people,
            "month": pick(MONTHS),
            "day": lambda: str(self.rng.randint(1, 28)),
            "year": self.past_year,
            "year2": lambda: str(self.year + self.rng.randint(1, 5)),
            "money": self.money,
            "pct": lambda: f"{self.rng.randint(2, 45)} per cent",
            "points": self.points,
            "count": self.count,
            "count2": self.count2,
            "small": lambda: str(self.rng.randint(3, 40)),
            "commodity": pick(COMMODITIES),
            "unit": pick(UNITS),
            "ordinal": pick(ORDINALS),
            "link": self.link,
            "url": lambda: self.last["url"],
            "event": pick(EVENTS),
        }

    def _pick(self, pool: Sequence[str]) -> Callable[[], str]:
        return lambda: self.rng.choice(pool)

    def mention(self, topic: Topic) -> str:
        if topic.aliases and self.rng.random() < 0.35:
            return self.rng.choice(topic.aliases)
        return topic.name

    def own_topic(self) -> str:
        self.turn += 1
        return self.mention(self.own[self.turn % len(self.own)])

    def other_topic(self) -> str:
        if self.others_left > 0:
            self.others_left -= 1
            return self.mention(self.others[self.others_left % 2])
        named = [t for t in self.own if t.kind in PASSING_KINDS]
        return self.mention(self.rng.choice(named)) if named else "neighbouring governments"

    def issue(self) -> str:
        choice = self.rng.choice(ISSUES)
        while choice == self.last.get("issue"):
            choice = self.rng.choice(ISSUES)
        self.last["issue"] = choice
        return choice

    def city(self) -> str:
        if self.cities and self.rng.random() < 0.6:
            return self.rng.choice(self.cities)
        return self.rng.choice(NEUTRAL_CITIES)

    def people(self) -> str:
        group = self.rng.choice(PEOPLE)
        if self.demonyms and self.rng.random() < 0.7:
            return f"{self.rng.choice(self.demonyms)} {group}"
        return group

    def past_year(self) -> str:
        return str(max(2008, self.year - self.rng.randint(0, 4)))

    def money(self) -> str:
        currency = self.rng.choice(("$", "€"))
        if self.rng.random() < 0.5:
            return f"{currency}{self.rng.randint(20, 950)} million"
        return f"{currency}{self.rng.randint(11, 95) / 10:.1f} billion"

    def points(self) -> str:
        return f"{self.rng.randint(1, 9) / 10:.1f} percentage points"

    def count(self) -> str:
        value = self.rng.randint(20, 4000) * 100
        self.last["count"] = str(value)
        return f"{value:,}"

    def count2(self) -> str:
        value = int(int(self.last.get("count", "10000")) * self.rng.uniform(0.4, 0.9))
        return f"{value // 100 * 100:,}"

    def link(self) -> str:
        text, self.last["url"] = self.rng.choice(LINKS)
        return text

    def render(self, template: Template) -> str:
        text, names = template
        return capitalise(text.format_map({name: self.fill[name]() for name in names}))

    def sentence(self) -> str:
        """The next template from a shuffled deck: no repeats until the deck runs out."""
        while True:
            if not self.deck:
                self.deck = list(C_SENTENCES)
                self.rng.shuffle(self.deck)
            template = self.deck.pop()
            if self.others_left > 0 or "O" not in template[1]:
                return self.render(template)

    def paragraph(self, low: int = 3, high: int = 5) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        self._decorate(sentences)
        return " ".join(sentences)

    def _decorate(self, sentences: list[str]) -> None:
        """Place the pending inline link and footnote references, now or in a later paragraph."""
        rng = self.rng
        if self.pending_link and rng.random() < 0.3:
            link = self.render(rng.choice(C_LINKS))
            sentences.insert(rng.randrange(1, len(sentences) + 1), link)
            self.pending_link = False
        if self.pending_notes and rng.random() < 0.35:
            at = rng.randrange(len(sentences))
            sentences[at] += f"[^{self.pending_notes.pop(0)}]"

    def heading(self, pool: Sequence[Template], used: set[str]) -> str:
        for _ in range(8):
            template = self.rng.choice(pool)
            if template[0] not in used:
                break
        used.add(template[0])
        return f"## {self.render(template)}"

    def lead(self) -> str:
        sentences = [self.render(self.rng.choice(C_LEADS))]
        sentences += [self.sentence() for _ in range(self.rng.randint(2, 4))]
        return " ".join(sentences)

    def bullets(self) -> str:
        rng = self.rng
        count = rng.randint(3, 5)
        if rng.random() < 0.6:
            items = [f"- **{lead}.** {self.sentence()}" for lead in rng.sample(BULLET_LEADS, count)]
        else:
            items = [f"- {self.sentence()}" for _ in range(count)]
        return rng.choice(LIST_INTROS) + "\n\n" + "\n".join(items)

    def quote(self) -> str:
        speaker = capitalise(self.rng.choice(SPEAKERS))
        return f"> {self.rng.choice(REMARKS)}.\n>\n> — {speaker}"

    def table(self) -> str:
        rng = self.rng
        years = [self.year - 3 + i for i in range(3)]
        lines = ["| Indicator | " + " | ".join(map(str, years)) + " |", "|---|---:|---:|---:|"]
        for label, low, high, decimals in rng.sample(INDICATORS, rng.randint(3, 5)):
            value, cells = rng.uniform(low, high), []
            for _ in years:
                cells.append(f"{value:,.{decimals}f}")
                value *= rng.uniform(0.85, 1.3)
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        return self.render(rng.choice(C_INTROS)) + "\n\n" + "\n".join(lines)

    def footnotes(self, count: int) -> str:
        notes = self.rng.sample(C_NOTES, count)
        return "\n".join(f"[^{i}]: {self.render(note)}" for i, note in enumerate(notes, 1))

    def section(self, extra: Callable[[], str] | None, used: set[str]) -> list[str]:
        blocks = [self.heading(C_HEADINGS, used), self.paragraph()]
        if extra is not None:
            blocks.append(extra())
        if extra is None or self.rng.random() < 0.5:
            blocks.append(self.paragraph())
        return blocks

    def closing(self, budget: int) -> list[str]:
        """The last paragraphs: anything still pending, then sentences until budget bytes."""
        sentences = []
        if self.pending_link:
            sentences.append(self.render(self.rng.choice(C_LINKS)))
            self.pending_link = False
        while self.pending_notes:
            sentences.append(f"{self.sentence()}[^{self.pending_notes.pop(0)}]")
        paragraphs: list[str] = []
        size, length = sum(len(s.encode()) + 1 for s in sentences), self.rng.randint(3, 5)
        while not sentences or size < budget:
            if len(sentences) >= length:
                paragraphs.append(" ".join(sentences))
                sentences, length, size = [], self.rng.randint(3, 5), size + 2
            sentences.append(self.sentence())
            size += len(sentences[-1].encode()) + 1
        return [*paragraphs, " ".join(sentences)]

    def body(self, budget: int, table: bool, notes: int) -> str:
        """About `budget` bytes of Markdown: lead, sections with the extras, closing, notes."""
        self.pending_link, self.pending_notes = True, list(range(1, notes + 1))
        extras = [self.bullets, self.quote, *([self.table] if table else [])]
        self.rng.shuffle(extras)
        used: set[str] = set()
        tail = [self.footnotes(notes)] if notes else []
        blocks = [self.lead()]
        size = _size(blocks) + _size(tail)
        while extras or size < budget - 1200:
            section = self.section(extras.pop() if extras else None, used)
            blocks += section
            size += _size(section)
        blocks.append(self.heading(C_CLOSINGS, used))
        blocks += self.closing(budget - size - _size(blocks[-1:]) - 2)
        return "\n\n".join(blocks + tail) + "\n"


PASSING_KINDS = ("country", "organisation")
LIST_INTROS = (
    "Several points stand out:",
    "The main elements are these:",
    "In practice this means:",
    "The key questions are:",
    "Three things matter most:",
)


def _size(blocks: Sequence[str]) -> int:
    return sum(len(block.encode()) + 2 for block in blocks)


# --- The site plan: dates, topics, titles, slugs -------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    index: int
    date: dt.date
    topics: tuple[str, ...]
    title: str
    slug: str
    authors: tuple[str, ...]
    kind: str
    summary: bool


NON_FIXED = tuple(t.id for t in TOPICS if t.id != FIXED_TOPIC)
NON_FIXED_WEIGHTS = tuple(KIND_WEIGHT[BY_ID[i].kind] for i in NON_FIXED)


def spread_dates(rng: random.Random, count: int) -> list[dt.date]:
    """Dates in 2015-2025; no day repeats until every day has been used once."""
    span = (LAST_DAY - FIRST_DAY).days + 1
    offsets: list[int] = []
    while len(offsets) < count:
        offsets += rng.sample(range(span), min(span, count - len(offsets)))
    return [FIRST_DAY + dt.timedelta(days=offset) for offset in offsets]


def pick_topics(rng: random.Random, fixed: bool) -> tuple[str, ...]:
    """1-4 topic ids, the main one first; its parent is often the second."""
    wanted = rng.choices((1, 2, 3, 4), (3, 4, 3, 2))[0]
    chosen = [rng.choices(NON_FIXED, NON_FIXED_WEIGHTS)[0]]
    parent = BY_ID[chosen[0]].parent
    if parent and wanted > 1 and rng.random() < 0.4:
        chosen.append(parent)
    while len(chosen) < wanted:
        candidate = rng.choices(NON_FIXED, NON_FIXED_WEIGHTS)[0]
        if candidate not in chosen:
            chosen.append(candidate)
    if fixed:
        chosen = chosen[:3]
        chosen.insert(0 if rng.random() < 0.3 else 1, FIXED_TOPIC)
    return tuple(chosen)


def make_title(rng: random.Random, topics: Sequence[str]) -> str:
    own = [BY_ID[t] for t in topics]
    phrase = rng.choice(TITLE_PHRASES)
    issue, issue2 = rng.sample(ISSUES, 2)
    values = {
        "Tn": own[0].display,
        "T": own[0].name,
        "T2": own[-1].name,
        "phrase": phrase,
        "Phrase": capitalise(phrase),
        "event": rng.choice(EVENTS),
        "issue": issue,
        "issue2": issue2,
    }
    text, names = rng.choice(C_TITLES)
    while ("T2" in names and len(own) == 1) or (" in {T}" in text and own[0].kind == "person"):
        text, names = rng.choice(C_TITLES)
    return capitalise(text.format_map(values))


def unique_title(title: str, day: dt.date, seen: set[str]) -> str:
    candidate, part = title, 1
    while candidate in seen:
        part += 1
        suffix = f", part {part}" if part > 2 else ""
        candidate = f"{title} ({MONTHS[day.month - 1]} {day.year}{suffix})"
    seen.add(candidate)
    return candidate


def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rsplit("-", 1)[0] if len(slug) > limit else slug


def unique_slug(title: str, seen: set[str]) -> str:
    base = slugify(title) or "briefing"
    slug, number = base, 1
    while slug in seen:
        number += 1
        slug = f"{base}-{number}"
    seen.add(slug)
    return slug


def plan_site(count: int, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    dates = spread_dates(rng, count)
    fixed = set(rng.sample(range(count), round(count * FIXED_SHARE)))
    titles: set[str] = set()
    slugs: set[str] = set()
    plans = []
    for index, day in enumerate(dates):
        topics = pick_topics(rng, index in fixed)
        title = unique_title(make_title(rng, topics), day, titles)
        authors = tuple(rng.sample(AUTHORS, rng.choices((1, 2, 3), (14, 5, 1))[0]))
        kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        plans.append(
            Plan(
                index,
                day,
                topics,
                title,
                unique_slug(title, slugs),
                authors,
                kind,
                rng.random() < SUMMARY_SHARE,
            )
        )
    return plans


# --- Files ---------------------------------------------------------------------------------


def front_matter(plan: Plan, summary: str | None) -> str:
    lines = [
        "---",
        f"title: {q(plan.title)}",
        f"date: {plan.date.isoformat()}",
        f"authors: {q(list(plan.authors))}",
        f"topics: [{', '.join(plan.topics)}]",
        f"type: {plan.kind}",
    ]
    if summary:
        lines.append(f"summary: {q(summary)}")
    return "\n".join(lines) + "\n---\n\n"


def briefing_text(plan: Plan, seed: int) -> str:
    """One briefing, from its own random stream: independent of every other briefing."""
    rng = random.Random(f"{seed}:{plan.index}")
    writer = Writer(rng, [BY_ID[t] for t in plan.topics], plan.date.year)
    summary = writer.render(rng.choice(C_SUMMARIES)) if plan.summary else None
    front = front_matter(plan, summary)
    table = rng.random() < TABLE_SHARE
    notes = rng.randint(1, 3) if rng.random() < FOOTNOTE_SHARE else 0
    for _ in range(100):
        budget = rng.randint(*TARGET_BYTES) - len(front.encode())
        text = front + writer.body(budget, table, notes)
        if MIN_BYTES <= len(text.encode()) <= MAX_BYTES:
            return text
    raise RuntimeError(f"briefing {plan.index}: could not hit {MIN_BYTES}-{MAX_BYTES} bytes")


def prepare(outdir: Path) -> Path:
    """OUTDIR/content, emptied if it holds an earlier generated corpus (and only then)."""
    content = outdir / "content"
    config = outdir / "briefgen.yaml"
    if content.is_dir() and any(content.iterdir()):
        if not (config.is_file() and config.read_text(encoding="utf-8") == SITE_CONFIG):
            raise FileExistsError(f"{content} is not empty and is not a generated corpus")
        shutil.rmtree(content)
    content.mkdir(parents=True, exist_ok=True)
    return content


def generate_site(outdir: Path, count: int, seed: int = 1) -> list[Path]:
    """Write config, registry and `count` briefings to outdir; the briefing paths, sorted."""
    outdir = Path(outdir)
    content = prepare(outdir)
    (outdir / "briefgen.yaml").write_bytes(SITE_CONFIG.encode())
    (outdir / "topics.yaml").write_bytes(topics_yaml().encode())
    paths = []
    for plan in plan_site(count, seed):
        folder = content / str(plan.date.year)
        folder.mkdir(exist_ok=True)
        path = folder / f"{plan.slug}.md"
        path.write_bytes(briefing_text(plan, seed).encode())
        paths.append(path)
    return sorted(paths)


# --- Edits ---------------------------------------------------------------------------------


def edit_briefing(path: Path, n: int) -> None:
    """Rewrite one plain paragraph of the body (the n-th, cyclically); front matter untouched."""
    text = Path(path).read_text(encoding="utf-8")
    end = text.index("\n---\n", 3) + 5
    end += len(text[end:]) - len(text[end:].lstrip("\n"))
    front, body = text[:end], text[end:].rstrip("\n")
    trailer = text[end + len(body) :]
    blocks = body.split("\n\n")
    rng = random.Random(f"{Path(path).name}:{n}:{zlib.crc32(body.encode())}")
    writer = Writer(rng, _front_topics(front), _front_year(front))
    plain = [i for i, block in enumerate(blocks) if _is_plain(block)]
    new = writer.paragraph()
    if plain:
        at = plain[n % len(plain)]
        while new == blocks[at]:
            new = writer.paragraph()
        blocks[at] = new
    else:
        notes = [i for i, block in enumerate(blocks) if block.startswith("[^")]
        blocks.insert(notes[0] if notes else len(blocks), new)
    Path(path).write_bytes((front + "\n\n".join(blocks) + (trailer or "\n")).encode())


def _front_topics(front: str) -> list[Topic]:
    found = re.search(r"^topics: \[(.*)\]$", front, re.MULTILINE)
    ids = [part.strip() for part in found.group(1).split(",")] if found else []
    return [BY_ID[i] for i in ids if i in BY_ID] or [BY_ID["central-asia"]]


def _front_year(front: str) -> int:
    found = re.search(r"^date: (\d{4})", front, re.MULTILINE)
    return int(found.group(1)) if found else LAST_DAY.year


def _is_plain(block: str) -> bool:
    """A one-line paragraph without link, footnote or list introduction."""
    return (
        (block[:1].isalpha() or block.startswith('"'))
        and "\n" not in block
        and "[^" not in block
        and "](" not in block
        and not block.endswith(":")
    )


# --- Command line --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="the site folder to write")
    parser.add_argument("--count", type=int, required=True, help="number of briefings")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    started = time.perf_counter()
    paths = generate_site(args.outdir, args.count, args.seed)
    seconds = time.perf_counter() - started
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    print(f"wrote {len(paths)} briefings ({megabytes:.1f} MB) to {args.outdir} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
