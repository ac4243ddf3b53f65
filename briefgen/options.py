"""Build options: what kind of build this is, given to `pipeline.build` explicitly.

Owns: BuildOptions and the presets the commands use. The config says what the site is
(briefgen.yaml); the options say what this build is for: publishing (fingerprinted assets,
the search index, staged swap) or the dev server (plain asset names, no index, in-place
writes, drafts shown). Must not: read files or hold state between builds.
The live-reload script is not a build option: the dev server's handler adds it to the
pages it serves, so what is written is the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool | None = None  # None: as briefgen.yaml's `drafts:` says
    fingerprint: bool = True  # style.css -> style.<digest>.css, so hosts cache it a year
    search: bool = True  # the search index (when briefgen.yaml's `search:` is on too)
    write: bool = True  # False: build and check only (`briefgen check`)
    in_place: bool = False  # write only what changed, no staging swap (the dev server)
    cache: bool = True  # read and fill the persistent cache in .briefgen-cache/
    strict: bool = False  # every warning is an error (--strict, for CI)
    release: bool = False  # placeholder text left by `briefgen new` is an error (publish)
    future: bool = False  # briefings scheduled later are built, marked (--future)
    expired: bool = False  # briefings past `expires:` are built, marked (--expired)
    pdf: bool = True  # briefings' PDFs, when briefgen.yaml says `pdf: true` (issue 19)

    def shows_drafts(self, configured: bool) -> bool:
        return configured if self.drafts is None else self.drafts

    def preview(self, configured_drafts: bool) -> tuple[str, ...]:
        """What makes this build a preview that must never be published: drafts,
        scheduled or expired briefings shown, or the dev server's kind of build (plain
        asset names, no search index; writing in place alone gives the same bytes). The
        write stage records it in the manifest; `publish --no-build` refuses it."""
        flags = (
            ("drafts", self.shows_drafts(configured_drafts)),
            ("future", self.future),
            ("expired", self.expired),
            ("serve", not self.fingerprint or not self.search),
        )
        return tuple(name for name, on in flags if on)


PUBLISH = BuildOptions()  # `briefgen build`
# `briefgen check`: every file is read and checked, drafts too, but the briefings built
# (and counted) are those `briefgen build` would build (issue 15)
CHECK = BuildOptions(write=False)


def serve_options(
    *, drafts: bool = True, future: bool = True, expired: bool = True
) -> BuildOptions:
    """The dev server's builds: fast to rebuild, written in place; drafts, scheduled and
    expired briefings shown (marked) unless turned off."""
    return BuildOptions(
        drafts=drafts,
        fingerprint=False,
        search=False,
        in_place=True,
        future=future,
        expired=expired,
        pdf=False,
    )
