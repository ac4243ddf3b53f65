"""Live reload in the browser: the script injected into served HTML, and the injection.

Owns: the reload protocol's browser side. The page is told the build it was served from;
it long-polls `EVENTS?since=N` and then reloads (keeping its scroll position through
sessionStorage), swaps stylesheets with a cache-busting query (CSS-only change) or only
updates the error overlay. Hidden tabs stop polling and catch up when shown again, so
background tabs do not hold the browser's few connections per host.
Must not: write anything to disk; the script exists only in HTTP responses of the dev server.
"""

from __future__ import annotations

import json
from typing import Any

from briefgen.serve.overlay import OVERLAY_JS

EVENTS = "/__briefgen/events"
MARKER = "data-briefgen-reload"

RELOAD_JS = r"""
const state = window.__briefgen = __STATE__;
const scrollKey = "briefgen-scroll:" + location.pathname;
const saved = sessionStorage.getItem(scrollKey);
if (saved !== null) {
  sessionStorage.removeItem(scrollKey);
  const restore = () => window.scrollTo(0, Number(saved));
  restore();
  if (document.readyState !== "complete") addEventListener("load", restore, {once: true});
}
const reload = () => {
  sessionStorage.setItem(scrollKey, String(window.scrollY));
  location.reload();
};
const swapStylesheets = (build) => {
  for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) continue;
    url.searchParams.set("briefgen", String(build));
    const next = link.cloneNode();
    next.href = url.href;
    // Keep the old sheet until the new one has loaded: no flash of unstyled page.
    next.addEventListener("load", () => link.remove(), {once: true});
    next.addEventListener("error", () => link.remove(), {once: true});
    link.after(next);
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const shown = () => new Promise((resolve) => {
  if (!document.hidden) return resolve();
  document.addEventListener("visibilitychange", () => resolve(), {once: true});
});
let since = state.build;
let pending = null;
document.addEventListener("visibilitychange", () => {
  if (document.hidden && pending) pending.abort();
});
renderOverlay(state.errors, state.warnings);
(async () => {
  let delay = 250;
  for (;;) {
    await shown();
    let event;
    try {
      pending = new AbortController();
      const response = await fetch(__EVENTS__ + "?since=" + since,
                                   {cache: "no-store", signal: pending.signal});
      if (!response.ok) throw new Error("HTTP " + response.status);
      event = await response.json();
      delay = 250;
    } catch (err) {
      if (!document.hidden) {  // server stopped or restarting: try again, slower each time
        await sleep(delay);
        delay = Math.min(delay * 2, 4000);
      }
      continue;
    } finally {
      pending = null;
    }
    if (event.session !== state.session) return reload();  // a new server process
    if (event.build <= since) continue;  // the long poll timed out
    since = event.build;
    if (event.kind === "reload") return reload();
    if (event.kind === "css") swapStylesheets(event.build);
    renderOverlay(event.errors, event.warnings);
  }
})();
"""


def client_script(state: dict[str, Any]) -> bytes:
    """The <script> element for a page served at `state["build"]`.

    `state`: {"build": int, "session": str, "errors": [...], "warnings": [...]}.
    """
    data = json.dumps(state, sort_keys=True, ensure_ascii=False)
    # Nothing in the data may close the script element or open an HTML comment.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    code = RELOAD_JS.replace("__EVENTS__", json.dumps(EVENTS)).replace("__STATE__", data)
    body = OVERLAY_JS + code
    return f"<script {MARKER}>\n(() => {{\n{body}\n}})();\n</script>\n".encode()


def inject(html: bytes, script: bytes) -> bytes:
    """Put `script` just before the last </body>, or at the end when there is none."""
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + script
    return html[:at] + script + html[at:]
