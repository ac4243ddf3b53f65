"""The error overlay: diagnostics as the browser receives them, and the code that shows them.

Owns: the JSON form of a Diagnostic (file, line, message, the offending line, hint) and the
browser function `renderOverlay(errors, warnings)`. Errors cover the last good page with a
panel; warnings alone get a small corner badge that opens to the list. Everything is drawn
with textContent inside a shadow root: diagnostic text is never parsed as HTML, and the
site's CSS cannot restyle the overlay. Must not: decide when to show it (see reload.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic


def describe(d: Diagnostic, config: SiteConfig) -> dict[str, Any]:
    path = display_path(d.file, config)
    return {
        "severity": d.severity.value,
        "code": d.code,
        "file": path,
        "line": d.line,
        "where": f"{path}:{d.line}" if d.line else path,
        "message": d.message,
        "hint": d.hint,
        "source_line": d.source_line.rstrip(),
        "text": d.format(),
    }


def display_path(file: str, config: SiteConfig) -> str:
    """The path an editor can open from the site folder: briefings are named relative to
    content/, templates by absolute path; both are shown relative to the site."""
    if not file:
        return "<site>"
    path = Path(file)
    if path.is_absolute():
        try:
            return path.relative_to(config.root.absolute()).as_posix()
        except ValueError:
            return file
    if file.endswith(".md"):
        return f"{config.content_dir.rstrip('/')}/{file}"
    return file


OVERLAY_JS = r"""
let overlayHost = null;
function renderOverlay(errors, warnings) {
  if (overlayHost) { overlayHost.remove(); overlayHost = null; }
  if (!errors.length && !warnings.length) return;
  const host = document.createElement("briefgen-overlay");
  host.id = "briefgen-overlay";
  host.dataset.errors = String(errors.length);
  host.dataset.warnings = String(warnings.length);
  const root = host.attachShadow({mode: "open"});
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const style = el("style");
  style.textContent = `
    :host { all: initial; }
    .panel { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;
      background: rgba(20, 20, 24, .92); color: #f4f4f4; padding: 2rem;
      font: 15px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .badge { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483647; max-width: 44rem;
      max-height: 60vh; overflow: auto; background: #2b2410; color: #ffe7a3;
      border: 1px solid #8a6d1a; border-radius: 6px; padding: .4rem .8rem;
      font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    h1 { font-size: 1.1rem; margin: 0 0 1rem; padding-right: 3rem; color: #ff8a80; }
    .item { margin: 0 0 1.2rem; border-left: 3px solid #ff8a80; padding-left: .8rem; }
    .warning { border-color: #ffd54f; }
    .where { color: #90caf9; font-weight: bold; }
    .code { color: #aaa; }
    pre { margin: .3rem 0; padding: .3rem .6rem; background: #000; color: #fff;
      white-space: pre-wrap; }
    .hint { color: #c5e1a5; }
    button { position: absolute; top: 1rem; right: 1rem; font: inherit; cursor: pointer; }
    summary { cursor: pointer; }`;
  root.append(style);
  const item = (d) => {
    const box = el("div", "item " + d.severity);
    box.append(el("div", "where", d.where));
    const msg = el("div", "message", d.severity + ": " + d.message + " ");
    msg.append(el("span", "code", "[" + d.code + "]"));
    box.append(msg);
    if (d.source_line) box.append(el("pre", "source", d.line + " | " + d.source_line));
    if (d.hint) box.append(el("div", "hint", "hint: " + d.hint));
    return box;
  };
  if (errors.length) {
    const panel = el("div", "panel");
    panel.setAttribute("role", "alert");
    const n = errors.length;
    panel.append(el("h1", "", n + " error" + (n === 1 ? "" : "s") +
      ": the page below is the last good build. Fix the file and save; this clears itself."));
    const close = el("button", "close", "×");
    close.title = "hide until the next build";
    close.addEventListener("click", () => host.remove());
    panel.append(close);
    for (const d of errors.concat(warnings)) panel.append(item(d));
    root.append(panel);
  } else {
    const badge = el("details", "badge");
    const n = warnings.length;
    badge.append(el("summary", "", n + " warning" + (n === 1 ? "" : "s")));
    for (const d of warnings) badge.append(item(d));
    root.append(badge);
  }
  document.documentElement.append(host);
  overlayHost = host;
}
"""
