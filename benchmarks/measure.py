"""Timing one command and the peak memory of its whole process tree.

Owns: running a command to completion with its output discarded, its wall-clock time, and
its memory: the largest sum, over the command and every process it started (pool workers,
Pagefind), of each process's proportional set size (PSS: a page shared by a parent and its
forked workers counts once in total, not once per process), sampled while it runs. The
single largest process's peak RSS (from the kernel, exact) is kept too: a sampled sum can
miss a spike between two samples, so the peak reported is never below it.
Also: what machine this is and how busy it is, for the benchmarks' headers.
Must not: be imported by briefgen, or run in tests (figures are never asserted).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.2  # seconds between memory samples of the known processes
RESCAN_EVERY = 5  # samples between scans of /proc for new descendants (a scan costs ~25 ms)


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_mb: float  # the whole tree, PSS, sampled; at least the largest process's RSS
    largest_mb: float  # the largest single process's peak RSS
    cpu: float = 0.0  # user + system seconds of the whole tree: less noisy than wall time
    stderr: str = ""  # what the command printed there (briefgen -v: its stage timings)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` in `cwd`; raise with its stderr if it fails."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr[-2000:]!r}")
    # RUSAGE_CHILDREN is the largest of all children ever waited for (here: so far), so it
    # is exact only when this run made a new maximum; the sampler covers the other case.
    # Children's CPU counts every descendant that was waited for: pool workers and Pagefind.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    largest = max(after if after > before else 0, sampler.largest_kb) / 1024
    text = stderr.decode("utf-8", "replace")
    return Run(seconds, max(sampler.peak_kb / 1024, largest), largest, cpu, text)


class _TreeSampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.pids = {root}
        self.peak_kb = 0
        self.largest_kb = 0
        self.done = threading.Event()

    def stop(self) -> None:
        self.done.set()
        self.join()

    def run(self) -> None:
        tick = 0
        while not self.done.is_set():
            if tick % RESCAN_EVERY == 0:
                self.pids |= _descendants(self.root)
            tick += 1
            total = 0
            for pid in list(self.pids):
                pss, rss = _memory_kb(pid)
                if rss is None:
                    self.pids.discard(pid)
                    continue
                total += pss
                self.largest_kb = max(self.largest_kb, rss)
            self.peak_kb = max(self.peak_kb, total)
            self.done.wait(SAMPLE_EVERY)


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_bytes()
            except OSError:
                continue
            # the command name is in parentheses and may hold spaces: parse after it
            parents[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    found, frontier = set(), {root}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def _memory_kb(pid: int) -> tuple[int, int | None]:
    """(PSS, RSS) of a live process in kB; RSS None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, None
    fields = dict(line.split(":", 1) for line in text.splitlines()[1:] if ":" in line)
    rss = int(fields.get("Rss", "0 kB").split()[0])
    pss = int(fields.get("Pss", fields.get("Rss", "0 kB")).split()[0])
    return pss, rss


def machine() -> str:
    """One line: CPU, cores, memory, OS, Python and the date."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "? GiB"
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{now}; {platform.machine()} {model}, {os.cpu_count()} cores, {memory}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def load() -> str:
    """The 1/5/15-minute load averages: how busy the (shared) machine was."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load ?"
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f}"
