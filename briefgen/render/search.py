"""The full-text search index: Pagefind over the rendered briefing pages, in memory.

Owns: which pages are searchable (briefing pages; the theme marks what to index, filter and
show with data-pagefind-* attributes), driving the Pagefind binary from the `pagefind-bin`
package over pipes (`pagefind --service`), and making its output byte-stable.
Must not: write to disk, or fail the build: any problem becomes a warning and no index, and
the rest of the site is built as usual.

Why not the `pagefind` Python package: its client polls the pipe every 0.1 s per message
(10,000 pages would take 17 minutes) and stalls on answers over 2 MiB; the wire protocol is
small (base64 JSON, comma-terminated), so it is spoken here directly.

Why the output is rewritten: Pagefind 1.5 keeps filter values in hash maps with a random seed,
so filter files, and the metadata file naming them, differ from run to run. `stable_files`
decodes those (gzip + CBOR), sorts them, re-encodes and renames them by content. Fragments
and word indexes are already stable and are passed through untouched.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Diagnostic, warning
from briefgen.model import OutputFile, Registry, Site

OUTPUT_DIR = "pagefind/"
SIGNATURE = b"pagefind_dcd"
# Pagefind's own ready-made search UIs: the theme has its own (static/search.js).
UNUSED = re.compile(r"^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$")
TIMEOUT_BASE, TIMEOUT_PER_PAGE = 120.0, 0.05  # seconds; generous, only stops a hung binary

# The last index built, by a key of all its inputs (the binary too), kept in the build
# state: the dev server rebuilds often, mostly without a change to any briefing page.
SearchMemo = tuple[str, tuple[OutputFile, ...], tuple[Diagnostic, ...]]


class SearchIndexError(Exception):
    """The index could not be built; reported as a warning."""


def search_files(
    site: Site, rendered: Iterable[OutputFile]
) -> tuple[list[OutputFile], list[Diagnostic]]:
    """The index files under pagefind/, or none and a warning if they cannot be built."""
    files, diags, _ = search_index(site, rendered)
    return files, diags


def search_index(
    site: Site, rendered: Iterable[OutputFile], previous: SearchMemo | None = None
) -> tuple[list[OutputFile], list[Diagnostic], SearchMemo | None]:
    """`search_files`, reusing `previous` when every input is the same; and the memo."""
    pages = searchable_pages(site, rendered)
    if not pages:
        return [], [], None
    language = index_language(site.config.language)
    key = _input_key(language, pages)
    if previous is not None and previous[0] == key:
        return list(previous[1]), list(previous[2]), previous
    files, diags = _index(pages, language)
    return files, diags, (key, tuple(files), tuple(diags))


def _index(
    pages: list[tuple[str, str]], language: str
) -> tuple[list[OutputFile], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    try:
        raw = run_pagefind(pages, language)
    except Exception as exc:  # an external program: whatever it does, the build goes on
        return [], [
            warning(
                "search-index",
                f"search index not built: {exc}",
                hint="install the `pagefind-bin` package (or set PAGEFIND_BINARY_PATH); "
                "the site works without search",
            )
        ]
    try:
        files = stable_files(raw)
    except (ValueError, KeyError, IndexError, TypeError, OSError, EOFError) as exc:
        files = raw
        problems.append(
            warning(
                "search-unstable",
                f"search index is not byte-stable: unexpected Pagefind output ({exc})",
                hint="use the pagefind-bin version pinned in pyproject.toml",
            )
        )
    out = tuple(
        OutputFile(OUTPUT_DIR + path, data)
        for path, data in sorted(files.items())
        if not UNUSED.match(path)
    )
    return list(out), problems


def search_terms(
    registry: Registry, topic_ids: Sequence[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, aliases) of a briefing's topics, for its page to carry as hidden searchable text.

    This is what makes a search for "Middle Corridor" find a briefing that only says
    "Trans-Caspian route" (topic detection tagged it), and the other way round. An alias is
    kept only if it adds a word, so the block stays short and excerpts prefer the text.
    """
    out = []
    for topic_id in topic_ids:
        topic = registry.by_id.get(topic_id)
        if topic is None:
            continue
        seen = set(topic.name.casefold().split())
        kept = []
        for alias in topic.aliases:
            words = set(alias.casefold().split())
            if not words <= seen:
                kept.append(alias)
                seen |= words
        out.append((topic.name, tuple(kept)))
    return tuple(out)


def searchable_pages(site: Site, rendered: Iterable[OutputFile]) -> list[tuple[str, str]]:
    """(url, html) of every briefing page, in the site's order (newest first)."""
    by_path = {f.path: f.data for f in rendered}
    pages = []
    for e in site.briefings:
        data = by_path.get(f"briefings/{e.briefing.slug}/index.html")
        if data is not None:
            pages.append((e.briefing.url, data.decode("utf-8", "replace")))
    return pages


def index_language(language: str) -> str:
    """Pagefind wants an ISO 639-1 code: "en-GB" -> "en"."""
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else "en"


def _input_key(language: str, pages: Sequence[tuple[str, str]]) -> str:
    exe = pagefind_executable()
    digest = hashlib.sha256(f"{pagefind_version()}|{exe}|{language}".encode())
    for url, html in pages:
        digest.update(b"\0" + url.encode() + b"\0" + html.encode())
    return digest.hexdigest()


# --- the Pagefind binary -------------------------------------------------------------------


def pagefind_executable() -> Path | None:
    """PAGEFIND_BINARY_PATH if set, else the binary shipped by `pagefind-bin`, else PATH."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
    if env:
        return Path(env)
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found]
    except ImportError:
        found = shutil.which("pagefind")
        return Path(found) if found else None
    return Path(get_executable())


def pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind-bin")
    except Exception:
        return "unknown"


def run_pagefind(pages: Sequence[tuple[str, str]], language: str) -> dict[str, bytes]:
    """Index `pages` with `pagefind --service`; its output files by relative path."""
    exe = pagefind_executable()
    if exe is None:
        raise SearchIndexError("the Pagefind binary was not found")
    with _Service(exe, TIMEOUT_BASE + TIMEOUT_PER_PAGE * len(pages)) as service:
        (index,) = service.send([{"type": "NewIndex", "config": {"force_language": language}}])
        index_id = index["index_id"]
        service.send(
            [
                {
                    "type": "AddFile",
                    "index_id": index_id,
                    "url": url,
                    "file_path": None,
                    "file_contents": html,
                }
                for url, html in pages
            ]
        )
        (listing,) = service.send([{"type": "GetFiles", "index_id": index_id}])
    return {f["path"]: base64.b64decode(f["content"]) for f in listing["files"]}


class _Service:
    """One `pagefind --service` process: base64 JSON requests and answers, each ending in ','.

    A batch of requests is written by a thread while this one reads the answers, so neither
    pipe can fill up while the other side waits (and Pagefind parses while we send). A timer
    kills a hung process; a dead process ends the read with an error.
    """

    def __init__(self, exe: Path, timeout: float) -> None:
        self.exe = exe
        self.timeout = timeout
        self.next_id = 0
        self.buffer = bytearray()

    def __enter__(self) -> _Service:
        try:
            self.proc = subprocess.Popen(
                [str(self.exe), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise SearchIndexError(f"cannot run {self.exe}: {exc}") from exc
        self.timer = threading.Timer(self.timeout, self.proc.kill)
        self.timer.daemon = True
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        if self.proc.stdin:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()

    def send(self, payloads: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send requests and return their answers, in the order of the requests."""
        first = self.next_id + 1
        self.next_id += len(payloads)
        messages = [
            base64.b64encode(json.dumps({"message_id": first + i, "payload": p}).encode()) + b","
            for i, p in enumerate(payloads)
        ]
        writer = threading.Thread(target=self._write, args=(messages,), daemon=True)
        writer.start()
        answers: dict[int, dict[str, Any]] = {}
        try:
            for _ in messages:
                answer = self._read()
                reply = answer.get("payload") or {}
                if reply.get("type") == "Error":
                    raise SearchIndexError(f"Pagefind: {reply.get('message', 'error')}")
                answers[answer.get("message_id", 0)] = reply
        except BaseException:
            self.proc.kill()  # else the writer could wait forever on a full pipe
            raise
        finally:
            writer.join()
        if sorted(answers) != list(range(first, first + len(messages))):
            raise SearchIndexError("Pagefind's answers do not match the requests")
        return [answers[first + i] for i in range(len(messages))]

    def _write(self, messages: list[bytes]) -> None:
        assert self.proc.stdin is not None
        # A broken pipe means the process died: the reader sees the end of its output.
        with contextlib.suppress(OSError, ValueError):
            for message in messages:
                self.proc.stdin.write(message)
            self.proc.stdin.flush()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        while b"," not in self.buffer:
            chunk = self.proc.stdout.read1(1 << 20)
            if not chunk:
                raise SearchIndexError(f"Pagefind stopped ({self._ended()})")
            self.buffer += chunk
        end = self.buffer.index(b",")
        raw, self.buffer = bytes(self.buffer[:end]), self.buffer[end + 1 :]
        try:
            return json.loads(base64.b64decode(raw, validate=True))
        except ValueError as exc:
            raise SearchIndexError("Pagefind answered something unreadable") from exc

    def _ended(self) -> str:
        code = self.proc.poll()
        if code is None:
            return "no answer"
        return "timed out" if code < 0 and not self.timer.is_alive() else f"exit code {code}"


# --- byte-stable output --------------------------------------------------------------------


def stable_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files with filter values and filters in sorted order, named by content."""
    out = dict(files)
    renamed: dict[str, str] = {}  # old filter hash ("en_1a2b3c4") -> new
    for path in sorted(p for p in files if p.startswith("filter/")):
        lang, old = _hash_of(path, "filter/", ".pf_filter")
        name, values = _unpack(files[path])
        values = sorted(([v, sorted(pages)] for v, pages in values), key=lambda v: v[0])
        data = _encode([name, values])
        new = _unique(f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}", renamed.values())
        renamed[old] = new
        del out[path]
        out[f"filter/{new}.pf_filter"] = _pack(data)
    entry = json.loads(files["pagefind-entry.json"])
    for path in sorted(p for p in files if p.startswith("pagefind.") and p.endswith(".pf_meta")):
        lang, old = _hash_of(path, "pagefind.", ".pf_meta")
        meta = _unpack(files[path])
        meta[3] = sorted([name, renamed[h]] for name, h in meta[3])  # filters
        if len(meta) > 4:
            meta[4] = sorted(meta[4], key=lambda s: s[0])  # sort orders, by name
        data = _encode(meta)
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        del out[path]
        out[f"pagefind.{new}.pf_meta"] = _pack(data)
        for info in entry["languages"].values():
            if info["hash"] == old:
                info["hash"] = new
    out["pagefind-entry.json"] = json.dumps(
        entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return out


def _hash_of(path: str, prefix: str, suffix: str) -> tuple[str, str]:
    old = path[len(prefix) : -len(suffix)]
    return old.split("_", 1)[0], old


def _unique(name: str, taken: Iterable[str]) -> str:
    used = set(taken)
    while name in used:
        name += "0"
    return name


def _unpack(data: bytes) -> Any:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise ValueError("missing Pagefind signature")
    body = plain[len(SIGNATURE) :]
    value, end = _decode(body, 0)
    if end != len(body) or _encode(value) != body:
        raise ValueError("CBOR does not round-trip")
    return value


def _pack(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    """The CBOR subset minicbor writes here: ints, strings, bytes, arrays, maps, simple."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise ValueError(f"unsupported CBOR item {data[i - 1]:#x}")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = data[i : i + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = {}
        for _ in range(arg):
            k, i = _decode(data, i)
            pairs[k], i = _decode(data, i)
        return pairs, i
    if major == 7 and arg in (20, 21, 22):
        return {20: False, 21: True, 22: None}[arg], i
    raise ValueError(f"unsupported CBOR item {data[i - 1]:#x}")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise ValueError("integer too large")
