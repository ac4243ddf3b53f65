"""The build state: everything a later build may reuse, in one explicit value.

Owns: the BuildState record. Each stage keeps its own part, as a value the stage itself
makes and reads back (load: the registry text and parsed files by path and content digest;
enrich: the site, the related-index items and the index, on a multilingual site one per
edition, as the render memo is; render: pages by the digest of
their templates and config, plan, API, host-file and search memos; write: what the last
in-place write put in the output). Across runs, the persistent cache holds what a fresh
process may reuse (parsed and analysed files, rendered pages: render/pagecache.py, images,
PDFs), each by the digest of its inputs. `pipeline.build` is given a state and returns the next
one; nothing is kept anywhere else, so a build given an empty state is a clean build.
Memo entries are keyed by slug, path or content digest and hold the very objects they were
made from; a hit is proven by `is` or `==` against those, never by `id()`.
Must not: do any work itself, or be shared between two builds running at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from briefgen.diagnostics import Diagnostic
from briefgen.editions import EditionMemo
from briefgen.enrich.enricher import EnrichMemo
from briefgen.load.loader import Memo
from briefgen.load.registry import RegistryMemo
from briefgen.model import OutputFile
from briefgen.render.renderer import RenderMemo
from briefgen.write.manifest import WriteMemo


@dataclass(frozen=True, slots=True)
class BuildState:
    registry: RegistryMemo | None = None
    sources: Memo = field(default_factory=Memo)
    parse_key: str = ""  # deps.parse_key of the config and registry `sources` were parsed with
    enrich: EnrichMemo | None = None
    render: RenderMemo | None = None
    # a multilingual site: each edition's enrich and render memos, by language code
    editions: Mapping[str, EditionMemo] = field(default_factory=dict)
    written: WriteMemo | None = None  # what the last in-place write left
    images: Mapping[str, bytes] = field(default_factory=dict)  # encoded images by content key
    output: tuple[OutputFile, ...] | None = None  # the last build's files (links re-checked
    diagnostics: tuple[Diagnostic, ...] = ()  # only in changed ones) and its diagnostics
    pdfs: Mapping[str, bytes] = field(default_factory=dict)  # briefings' PDFs by content key
