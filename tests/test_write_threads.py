"""The write stage's concurrent file-system calls (briefgen/write/threads.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.write.threads import each, io_pool, make_folders


def test_make_folders_creates_each_folder_and_its_parents_once(tmp_path: Path):
    root = tmp_path / "staging"
    root.mkdir()
    wanted = [root / "a" / "b" / "c", root / "a" / "b", root / "x", root]
    with io_pool() as pool:
        made = make_folders(pool, root, wanted)
    assert made == 4  # a, a/b, a/b/c, x: the root exists already
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "a",
        "a/b",
        "a/b/c",
        "x",
    ]


def test_make_folders_never_follows_a_link_planted_in_the_way(tmp_path: Path):
    root, elsewhere = tmp_path / "staging", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "a")
    with io_pool() as pool, pytest.raises(FileExistsError):
        make_folders(pool, root, [root / "a" / "b"])
    assert list(elsewhere.iterdir()) == []


def test_make_folders_refuses_a_folder_outside_the_root(tmp_path: Path):
    root = tmp_path / "staging"
    root.mkdir()
    with io_pool() as pool, pytest.raises(ValueError):
        make_folders(pool, root, [tmp_path / "other"])
    assert not (tmp_path / "other").exists()


def test_each_keeps_the_order_and_raises_the_first_error():
    with io_pool() as pool:
        assert each(pool, lambda x: x * 2, range(50)) == [x * 2 for x in range(50)]
    with io_pool() as pool, pytest.raises(ZeroDivisionError):
        each(pool, lambda x: 1 // (x - 7), range(20))
