"""How a complete_reply becomes prompt_toolkit completions (the kernel round trip is in the prompt tests)."""

from __future__ import annotations

from typing import Any

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from ipykernel_lite.console.completer import Edit, KernelCompleter, edits_from_reply


def reply(matches: list[Any], start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": {}, **extra}


def apply(code: str, pos: int, e: Edit) -> str:
    """What prompt_toolkit does with a completion: replace ``back`` characters before the cursor."""
    return code[: pos - e.back] + e.text + code[pos:]


def test_range_before_the_cursor_is_replaced() -> None:
    (e,) = edits_from_reply(reply(["print"], 0, 3), "pri", 3)
    assert e == Edit("print", 3, "print")
    assert apply("pri", 3, e) == "print"


def test_range_past_the_cursor_is_not_doubled() -> None:
    code = "prnt(x)"
    # the kernel replaces the whole word around the cursor ("prnt", 0..4) with "print"; the cursor is after
    # "pr": prompt_toolkit keeps "nt" after the cursor, so only "pri" goes in
    (e,) = edits_from_reply(reply(["print"], 0, 4), code, 2)
    assert e == Edit("pri", 2, "print")
    assert apply(code, 2, e) == "print(x)"


def test_a_match_not_ending_like_the_text_after_the_cursor_is_inserted_whole() -> None:
    # prompt_toolkit cannot delete after the cursor: the text there stays (IPython's prompt does the same)
    (e,) = edits_from_reply(reply(["open"], 0, 4), "prnt(x)", 2)
    assert e == Edit("open", 2, "open")
    assert apply("prnt(x)", 2, e) == "opennt(x)"


def test_types_duplicates_and_garbage() -> None:
    r = reply(
        ["os", "os", 3, "open"],
        0,
        1,
        metadata={"_jupyter_types_experimental": [{"text": "os", "type": "module"}, {"text": "open"}, "junk"]},
    )
    assert edits_from_reply(r, "o", 1) == [Edit("os", 1, "os", "module"), Edit("open", 1, "open", "")]


def test_positions_out_of_range_are_clamped() -> None:
    (e,) = edits_from_reply(reply(["abc"], -5, 99), "ab", 2)
    assert apply("ab", 2, e) == "abc"
    (e,) = edits_from_reply({"status": "ok", "matches": ["abc"]}, "ab", 2)  # no range: insert at the cursor
    assert e.back == 0


def test_error_replies_give_nothing() -> None:
    assert edits_from_reply({"status": "error", "ename": "X"}, "a", 1) == []
    assert edits_from_reply({"status": "ok", "matches": None}, "a", 1) == []


def test_a_failing_kernel_gives_no_completions() -> None:
    def dead(code: str, pos: int) -> dict[str, Any]:
        raise TimeoutError("no answer")

    event = CompleteEvent(completion_requested=True)
    assert list(KernelCompleter(dead).get_completions(Document("a", 1), event)) == []
