// briefgen search page: runs Pagefind (built by `briefgen build` into /pagefind/) in the browser.
// No dependencies, no build step. The form works as a plain GET form too: ?q=...&topic=...
// is read on load, and the address is kept in step with the form so results can be linked.

const PAGE_SIZE = 10;
const FILTERS = ["topic", "type", "author", "year"];

const root = document.querySelector(".search-page");
const form = root.querySelector(".search-form");
const input = form.querySelector("#search-q");
const fieldset = form.querySelector(".search-filters");
const sortSelect = form.querySelector("#search-sort");
const status = root.querySelector("#search-status");
const list = root.querySelector("#search-results");
const more = root.querySelector("#search-more");

// The status words in the page's language: the search page of a non-English edition carries
// the catalogue's translations in data-messages (templates/search.html); each count has a
// form per plural category, picked with Intl.PluralRules. English uses the words below.
const MESSAGES = root.dataset.messages ? JSON.parse(root.dataset.messages) : null;
const PLURALS = new Intl.PluralRules(document.documentElement.lang || "en");

function say(key, english, values = {}) {
  let text = english;
  if (MESSAGES && MESSAGES[key]) {
    const forms = MESSAGES[key];
    text = typeof forms === "string" ? forms : forms[PLURALS.select(values.n)] || forms.other;
  }
  const lang = document.documentElement.lang || undefined;
  const n = MESSAGES ? Number(values.n).toLocaleString(lang) : String(values.n);
  // functions, not strings: a "$&" typed into the search box stays as typed
  return text.replace("{n}", () => n).replace("{term}", () => values.term || "");
}

let pagefind = null;
let results = [];
let shown = 0;
let generation = 0; // a newer search makes older answers stale
let timer = 0;

function setStatus(text) {
  status.textContent = text;
}

function selects() {
  return FILTERS.map((name) => form.querySelector(`[data-filter="${name}"]`));
}

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const select of selects()) select.dataset.wanted = params.get(select.name) || "";
  sortSelect.value = ["newest", "oldest"].includes(params.get("sort")) ? params.get("sort") : "";
}

function writeAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const select of selects()) if (select.value) params.set(select.name, select.value);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  const query = params.toString();
  const url = window.location.pathname + (query ? `?${query}` : "");
  window.history.replaceState(null, "", url);
}

function fillFilters(available) {
  for (const select of selects()) {
    const counts = available[select.name] || {};
    let values = Object.keys(counts);
    values.sort((a, b) => a.localeCompare(b, document.documentElement.lang || undefined));
    if (select.name === "year") values.reverse();
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = `${value} (${counts[value]})`;
      select.append(option);
    }
    if (values.includes(select.dataset.wanted)) select.value = select.dataset.wanted;
  }
  fieldset.disabled = false;
}

function chosenFilters() {
  const filters = {};
  for (const select of selects()) if (select.value) filters[select.name] = select.value;
  return filters;
}

async function runSearch() {
  const mine = ++generation;
  writeAddress();
  const term = input.value.trim();
  const filters = chosenFilters();
  if (!term && Object.keys(filters).length === 0) {
    results = [];
    list.replaceChildren();
    more.hidden = true;
    setStatus(say("prompt", "Type some words, or choose a topic, type, author or year."));
    return;
  }
  const options = { filters };
  if (sortSelect.value) options.sort = { date: sortSelect.value === "oldest" ? "asc" : "desc" };
  const found = await pagefind.search(term || null, options);
  if (mine !== generation || !found) return;
  results = found.results;
  shown = 0;
  list.replaceChildren();
  await showMore(false);
  if (mine !== generation) return;
  const n = results.length;
  const what = term ? " for “{term}”" : "";
  const english = n ? `{n} briefing${n === 1 ? "" : "s"} found${what}.` : `No briefings found${what}.`;
  setStatus(say(`${n ? "found" : "none"}${term ? "_term" : ""}`, english, { n, term }));
}

async function showMore(moveFocus) {
  const mine = generation;
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  const items = data.map(renderResult);
  list.append(...items);
  shown += batch.length;
  more.hidden = shown >= results.length;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

function renderResult(data) {
  const meta = data.meta || {};
  const li = document.createElement("li");
  li.className = "card search-result";
  const heading = document.createElement("h2");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = meta.title || data.url;
  heading.append(link);
  const line = document.createElement("p");
  line.className = "meta";
  if (meta.type) {
    const type = document.createElement("span");
    type.className = `type type-${meta.type.toLowerCase()}`;
    type.textContent = meta.type;
    line.append(type, " ");
  }
  line.append([meta.date, meta.authors].filter(Boolean).join(" · "));
  const excerpt = document.createElement("p");
  excerpt.className = "card-summary search-excerpt";
  appendExcerpt(excerpt, data.excerpt || "");
  li.append(heading, line, excerpt);
  const topics = parseTopics(meta.topics);
  if (topics.length) {
    const chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", say("topics", "Topics"));
    for (const [name, url] of topics) {
      const item = document.createElement("li");
      const chip = document.createElement("a");
      chip.className = "chip";
      chip.href = url;
      chip.textContent = name;
      item.append(chip);
      chips.append(item);
    }
    li.append(chips);
  }
  return li;
}

// Pagefind's excerpt is text with <mark> around the matches. Only those marks become markup;
// everything else is inserted as text, so nothing in an excerpt can run as HTML.
function appendExcerpt(element, excerpt) {
  const decoder = document.createElement("textarea");
  let marked = false;
  for (const part of excerpt.split(/(<\/?mark>)/)) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      decoder.innerHTML = part; // a <textarea> only decodes entities; it never builds elements
      const text = document.createTextNode(decoder.value);
      if (marked) {
        const mark = document.createElement("mark");
        mark.append(text);
        element.append(mark);
      } else element.append(text);
    }
  }
}

function parseTopics(raw) {
  try {
    const topics = JSON.parse(raw || "[]");
    return Array.isArray(topics) ? topics.filter((t) => Array.isArray(t) && t.length === 2) : [];
  } catch {
    return [];
  }
}

function schedule() {
  window.clearTimeout(timer);
  timer = window.setTimeout(runSearch, 200);
}

async function start() {
  readAddress();
  setStatus(say("loading", "Loading search…"));
  try {
    pagefind = await import(root.dataset.pagefind);
    await pagefind.options({ excerptLength: 24 });
    await pagefind.init();
    fillFilters(await pagefind.filters());
  } catch (err) {
    setStatus(
      say("unavailable", "Search is not available on this copy of the site: its index was not built."),
    );
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    runSearch();
  });
  input.addEventListener("input", schedule);
  for (const select of [...selects(), sortSelect]) select.addEventListener("change", runSearch);
  more.addEventListener("click", () => showMore(true));
  await runSearch();
}

start();
