"""Make parso's on-disk cache safe for processes that die, or run side by side.

jedi keeps every module it parses (the user's packages, typeshed's stubs) as a pickle in one cache directory per
user, shared by every jedi on the machine: ours, IPython's, the editor's language server. parso writes such a file
in place, and treats only a missing file as a miss. A kernel killed while its warm-up thread writes one (a restart,
a crash, an editor closing) leaves it cut short, and from then on every completion that needs that module fails
with ``EOFError`` in every process that reads it, until someone deletes the file by hand; a reader that opens a
file while another process writes it fails the same way, once.

Both functions are replaced: a save writes a file of its own and renames it over the old one (a rename is atomic,
so a reader sees the old file or the new one, and a writer that dies leaves only its own temporary file), and a
load that cannot unpickle what it read counts as a miss, removes the broken file and lets jedi parse the source
(whose save then repairs the cache for every process).
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from typing import Any

log = logging.getLogger("ipykernel_lite.introspect")

_installed: list[bool] = []


def install() -> None:
    """Once, after jedi is imported (parso looks these functions up by name on every call)."""
    if _installed:
        return
    from parso import cache

    original_load = getattr(cache, "_load_from_file_system", None)
    if original_load is None or not hasattr(cache, "_get_hashed_path"):
        # a parso whose private functions changed: completion keeps working, without the repair
        log.warning("parso.cache has no _load_from_file_system here: its disk cache is used unrepaired")
        _installed.append(True)
        return

    def load(hashed_grammar: str, path: str, p_time: float, cache_path: Any = None) -> Any:
        try:
            return original_load(hashed_grammar, path, p_time, cache_path=cache_path)
        except OSError:  # unreadable here (permissions, a vanished directory): parse the source instead
            return None
        except Exception as exc:  # whatever a damaged pickle raises: EOFError, UnpicklingError, ValueError, …
            broken = cache._get_hashed_path(hashed_grammar, path, cache_path=cache_path)
            log.warning("jedi's cache of %s was unreadable (%s: %s): removed, parsing the source", path,
                        type(exc).__name__, exc)
            try:
                os.remove(broken)
            except OSError:
                pass
            return None

    cache._load_from_file_system = load
    cache._save_to_file_system = _save
    _installed.append(True)


def _save(hashed_grammar: str, path: str, item: Any, cache_path: Any = None) -> None:
    from parso import cache

    target = cache._get_hashed_path(hashed_grammar, path, cache_path=cache_path)
    # unique per writer, in the same directory (a rename does not cross file systems); parso's clean-up of old
    # cache files removes one a killed writer left
    temporary = f"{target}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        with open(temporary, "wb") as f:
            pickle.dump(item, f, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise
