"""The dev server: the same build with another sink, plus live reload (`briefgen serve`).

  changes.py  which source paths matter, sorted into kinds (config, templates, content...)
  watcher.py  watchdog -> debounced, coalesced batches of changes
  rebuild.py  the cheapest correct pipeline.build per batch; build counter; readers wait
  handler.py  HTTP: files inside the output folder only, pretty URLs, 404, long poll
  reload.py   the browser script (reload, stylesheet swap, scroll) and its injection
  overlay.py  build errors drawn over the last good page
  server.py   DevServer: the parts together, start()/stop()
  command.py  the `serve` subcommand

Dependencies point one way: command -> server -> handler/watcher/rebuild -> pipeline.
The reload script is added to HTTP responses only; files on disk never contain it.
"""

from briefgen.serve.command import register
from briefgen.serve.server import DevServer

__all__ = ["DevServer", "register"]
