"""`briefgen check --external`: are the site's external links still alive?

Owns: fetching each distinct http(s) URL of the output once, a bounded number at a time,
each with a timeout; HEAD first, GET when the server refuses HEAD; a `dead-link` warning for
every place a URL that answers 4xx/5xx (or never answers) is written. Must not: run during
a normal build (it needs the network and time), follow links further, or send anything but
those requests.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from briefgen import __version__
from briefgen.diagnostics import Diagnostic, warning
from briefgen.render.linkcheck import Link

WORKERS = 8
TIMEOUT = 10.0  # seconds per request
_RETRY_WITH_GET = {403, 405, 501}  # servers that refuse HEAD but answer GET


def external_links(links: Iterable[Link], base_url: str) -> dict[str, list[Link]]:
    """http(s) URLs that are not the site itself -> where each is written."""
    found: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        url = link.url.strip().split("#", 1)[0]
        if url.startswith(("http://", "https://")) and not url.startswith(base_url):
            found[url].append(link)
    return dict(sorted(found.items()))


def check_external(
    links: Iterable[Link], base_url: str, *, workers: int = WORKERS, timeout: float | None = None
) -> list[Diagnostic]:
    timeout = TIMEOUT if timeout is None else timeout
    places = external_links(links, base_url)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = dict(zip(places, pool.map(lambda u: probe(u, timeout), places), strict=True))
    diags: list[Diagnostic] = []
    for url, problem in results.items():
        if problem is None:
            continue
        seen: dict[tuple[str, int], list[str]] = defaultdict(list)
        for link in places[url]:
            seen[(link.file, link.line)].append(link.page)
        for (file, line), pages in sorted(seen.items()):
            where = "" if file else f" (on {len(set(pages))} page{'s' * (len(set(pages)) > 1)})"
            diags.append(
                warning(
                    "dead-link",
                    f"external link to {url} {problem}{where}",
                    file,
                    line,
                    "update or remove the link, or point it to an archived copy",
                )
            )
    return diags


def probe(url: str, timeout: float) -> str | None:
    """None when `url` answers with success (after redirects), else what went wrong."""
    problem = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": f"briefgen/{__version__} link check"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read(0)
            return None
        except urllib.error.HTTPError as exc:
            problem = f"answers {exc.code} {exc.reason}"
            if exc.code not in _RETRY_WITH_GET:
                return problem
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            text = "timed out" if isinstance(reason, TimeoutError) else str(reason)
            return f"does not answer ({text})"
    return problem
