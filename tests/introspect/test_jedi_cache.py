"""parso's on-disk cache (shared by every jedi on the machine) must survive a writer killed mid-write: a broken
file is a miss that gets repaired, and our writes never leave one."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.client import start_kernel
from ipykernel_lite.introspect.completion import complete


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    import jedi
    import parso.cache

    before = jedi.settings.cache_directory
    jedi.settings.cache_directory = str(tmp_path)
    # stubs parsed earlier in this process are served from memory: forget them, so jedi reads and writes disk
    parso.cache.parser_cache.clear()
    try:
        yield tmp_path
    finally:
        jedi.settings.cache_directory = before
        parso.cache.parser_cache.clear()


def _loads(p: Path) -> bool:
    try:
        pickle.loads(p.read_bytes())
        return True
    except Exception:
        return False


def test_a_cut_short_cache_file_is_a_miss_and_is_rewritten_whole(cache_dir: Path) -> None:
    import parso.cache

    code = "'abc'.up"  # only jedi (typeshed's str stub) answers this
    assert complete(code, len(code), [{}], budget=30)["matches"] == ["upper"]
    files = sorted(cache_dir.rglob("*.pkl"))
    assert files, "jedi wrote no cache here"
    for p in files:  # what a writer killed mid-write leaves behind
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    parso.cache.parser_cache.clear()
    assert complete(code, len(code), [{}], budget=30)["matches"] == ["upper"]
    assert all(_loads(p) for p in files), "a broken cache file was left broken"
    assert not list(cache_dir.rglob("*.tmp"))


_KILLED_WRITER = """
import os, signal, sys
import parso.cache
from ipykernel_lite.introspect import parso_cache
if sys.argv[2] == "ours":
    parso_cache.install()

class Killed:
    def __reduce__(self):  # pickled after the megabyte before it: the writer dies with part of the file written
        os.kill(os.getpid(), signal.SIGKILL)

parso.cache._save_to_file_system("grammar", sys.argv[1], [b"x" * 1_000_000, Killed()], cache_path=None)
"""


@pytest.mark.parametrize("writer", ["parso", "ours"])
def test_a_writer_killed_mid_write_leaves_the_old_file(tmp_path: Path, writer: str) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    script = textwrap.dedent(_KILLED_WRITER)
    source = tmp_path / "module.py"
    source.write_text("x = 1\n")
    # the target file, written whole first: what a reader found before the writer started
    probe = "import parso.cache, sys; print(parso.cache._get_hashed_path('grammar', sys.argv[1]))"
    target = Path(subprocess.run([sys.executable, "-c", probe, str(source)], env=env, check=True,
                                 capture_output=True, text=True, timeout=60).stdout.strip())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pickle.dumps("the old item"))
    proc = subprocess.run([sys.executable, "-c", script, str(source), writer], env=env, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    if writer == "parso":  # parso alone writes in place: the file is cut short (what broke completion in CI)
        assert not _loads(target)
    else:
        assert pickle.loads(target.read_bytes()) == "the old item"


def test_a_kernel_completes_through_a_damaged_cache_and_repairs_it(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    code = "os.getcwd().upp"  # jedi infers the call's type from typeshed's stubs, read through the cache

    def upper_from_a_kernel() -> None:
        km, kc = start_kernel(env=env)
        try:
            assert kc.execute("import os", timeout=30).ok
            # a fresh kernel answers from its fallback until its jedi warm-up is done: wait on replies
            for _ in range(200):
                if "upper" in kc.complete(code, timeout=30)["matches"]:
                    return
            pytest.fail("the kernel never completed os.getcwd().upp with jedi")
        finally:
            kc.close()
            km.shutdown(timeout=5.0)

    upper_from_a_kernel()
    files = sorted((tmp_path / "jedi").rglob("*.pkl"))
    assert files, "the kernel's jedi wrote no cache"
    for p in files:
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    upper_from_a_kernel()
    # the stubs that completion read were rewritten whole (the warm-up may not have reached every other file
    # before the kernel stopped; the in-process test above checks them all)
    assert any(_loads(p) for p in files)
