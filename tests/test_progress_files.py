"""The progress file under trouble: a read-only file still exports, an export is whole or not written,
a damaged file's readable rows are salvaged, a held lock is waited out and writing returns to disk."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from il2edu import progress

CLI = [sys.executable, "-m", "il2edu.cli", "progress"]


def filled(home, n=5):
    store = progress.Store(home)
    for i in range(n):
        store.record("02-receptor", f"02-q{i}", "quiz", f"answer {i}", i % 2 == 0, 1, 1)
    store.close()


def run(home, *args, **kw):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, env={**os.environ, "IL2EDU_HOME": str(home)},
                          **kw)


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is needed for a read-only mount")
def test_a_read_only_progress_file_can_still_be_exported(tmp_path):
    home = tmp_path / "home"
    filled(home)
    out = tmp_path / "out"
    out.mkdir()
    # a read-only mount: even root cannot write it (chmod would not stop root)
    user = [] if os.geteuid() == 0 else ["--unshare-user"]
    done = subprocess.run(["bwrap", "--dev-bind", "/", "/", *user, "--ro-bind", str(home), str(home), *CLI,
                           "--export", str(out / "mine.csv")], capture_output=True, text=True,
                          env={**os.environ, "IL2EDU_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert "Wrote 5 attempt(s)" in done.stdout
    assert (out / "mine.csv").read_text().count("\n") == 6


def test_an_export_that_cannot_be_finished_leaves_the_earlier_one_whole(tmp_path):
    home = tmp_path / "home"
    filled(home, 400)
    good = tmp_path / "mine.csv"
    assert run(home, "--export", str(good)).returncode == 0
    before = good.read_bytes()
    filled(home, 400)  # more rows: the new export is larger than the file-size limit below

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 100, len(before) + 100))

    done = run(home, "--export", str(good), preexec_fn=small_files)
    assert done.returncode == 1 and "cannot write" in done.stderr
    assert good.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_readable_rows_of_a_damaged_file_are_salvaged(tmp_path):
    home = tmp_path / "home"
    filled(home, 600)
    path = home / progress.FILENAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    # a leaf page of the table in the middle of it (dbstat lists pages; page numbers start at 1)
    leaves = [n for n, in conn.execute("SELECT pageno FROM dbstat WHERE name = 'attempts' AND pagetype = 'leaf' "
                                       "ORDER BY pageno")]
    conn.close()
    victim = leaves[len(leaves) // 2]
    data = bytearray(path.read_bytes())
    data[page * (victim - 1): page * victim] = b"\xff" * page
    path.write_bytes(bytes(data))
    store = progress.Store(home)  # moves the damaged file aside, starts a new one
    assert store.count() == 0 and list(home.glob("progress.sqlite3.corrupt-*"))
    store.close()
    done = run(home, "--salvage")
    assert done.returncode == 0, done.stderr
    recovered = int(done.stdout.strip().splitlines()[-1].split()[1])
    assert 0 < recovered < 600
    out = tmp_path / "mine.csv"
    assert run(home, "--export", str(out)).returncode == 0
    assert out.read_text().count("\n") == recovered + 1
    again = run(home, "--salvage")  # a second salvage adds nothing twice
    assert again.stdout.strip().splitlines()[-1] == f"Recovered 0 attempt(s) into {path}."


def test_a_held_lock_is_waited_out_then_writing_returns_to_disk(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    filled(home, 1)
    monkeypatch.setattr(progress, "BUSY_SECONDS", 0.5)
    monkeypatch.setattr(progress, "RETRY_SECONDS", 0.0)
    other = sqlite3.connect(home / progress.FILENAME, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, other.rollback).start()  # a short hold: waited out
    store = progress.Store(home)
    store.record("02-receptor", "02-a", "quiz", "x", True, 1, 1)
    assert not store.in_memory
    other.execute("BEGIN EXCLUSIVE")  # a hold past the wait: memory, then the disk again
    store.record("02-receptor", "02-b", "quiz", "y", True, 1, 1)
    assert store.in_memory
    other.rollback()
    time.sleep(0.1)
    store.record("02-receptor", "02-c", "quiz", "z", True, 1, 1)
    assert not store.in_memory
    store.close()
    other.close()
    rows = progress.Store(home).rows()
    assert [r["item_id"] for r in rows] == ["02-q0", "02-a", "02-b", "02-c"]
    assert "saved to" in capsys.readouterr().err
