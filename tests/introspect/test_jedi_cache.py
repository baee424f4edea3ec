"""A cut-short file in parso's shared on-disk cache must not break completion for the rest of the kernel's life."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipykernel_lite.introspect import jedi_complete
from ipykernel_lite.introspect.completion import complete


@pytest.fixture
def shared_cache(tmp_path: Path) -> Iterator[Path]:
    import jedi
    import parso.cache

    before = jedi.settings.cache_directory
    jedi.settings.cache_directory = str(tmp_path)
    # stubs parsed earlier in this process are served from memory: forget them, so jedi reads and writes disk
    parso.cache.parser_cache.clear()
    saved = list(jedi_complete._private_cache)
    jedi_complete._private_cache.clear()
    try:
        yield tmp_path
    finally:
        jedi.settings.cache_directory = before
        jedi_complete._private_cache[:] = saved
        parso.cache.parser_cache.clear()


def test_a_truncated_cache_file_falls_back_to_a_private_cache(shared_cache: Path) -> None:
    import parso.cache

    code = "'abc'.up"  # only jedi (typeshed's str stub) answers this
    assert complete(code, len(code), [{}], budget=30)["matches"] == ["upper"]
    files = [p for p in shared_cache.rglob("*.pkl")]
    assert files, "jedi wrote no cache here"
    for p in files:  # what a concurrent writer leaves behind
        p.write_bytes(p.read_bytes()[:10])
    parso.cache.parser_cache.clear()
    assert complete(code, len(code), [{}], budget=30)["matches"] == ["upper"]
    assert jedi_complete._private_cache and jedi_complete._private_cache[0] != str(shared_cache)
