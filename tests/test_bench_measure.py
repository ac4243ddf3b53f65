"""benchmarks/measure.py: peak memory counts the child processes a build starts."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.measure import machine, run

# A parent that starts a child holding 150 MB for a while; the parent itself stays small.
CHILD = "import time; block = b'x' * (150 * 2**20); time.sleep(1.0)"
PARENT = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {CHILD!r}], check=True)"


def test_peak_memory_includes_children(tmp_path: Path):
    measured = run([sys.executable, "-c", PARENT], tmp_path)
    assert measured.peak_mb >= 150
    assert measured.largest_mb >= 150


def test_a_failing_command_is_reported(tmp_path: Path):
    try:
        run([sys.executable, "-c", "import sys; sys.exit('boom')"], tmp_path)
    except RuntimeError as exc:
        assert "boom" in str(exc)
    else:
        raise AssertionError("no error")


def test_machine_line_names_cores_and_python():
    line = machine()
    assert "cores" in line and "Python" in line
