"""The renderer on its own: what each IOPub message becomes on the screen."""

from __future__ import annotations

import base64

import pytest

from ipykernel_lite.console.placeholders import image_placeholder, image_size
from ipykernel_lite.console.render import Renderer
from ipykernel_lite.protocol import Message

from .images import b64, gif_header, jpeg_header, png
from .screen import Screen


def msg(msg_type: str, **content: object) -> Message:
    return Message({"msg_type": msg_type, "msg_id": "m"}, dict(content))


def test_streams_results_and_errors_in_arrival_order() -> None:
    out, err = Screen(), Screen()
    r = Renderer(out, err)
    r.handle(msg("stream", name="stdout", text="one\n"))
    r.handle(msg("stream", name="stderr", text="two\n"))
    r.handle(msg("execute_result", execution_count=3, data={"text/plain": "42"}, metadata={}))
    r.handle(msg("error", ename="ValueError", evalue="bad", traceback=["Traceback:", "\x1b[31mValueError\x1b[0m: bad"]))
    assert out.text == "one\nOut[3]: 42\n"
    # tracebacks go out with their colours, as the kernel sent them
    assert err.text == "two\nTraceback:\n\x1b[31mValueError\x1b[0m: bad\n"


def test_status_and_echoes_are_not_output() -> None:
    out = Screen()
    r = Renderer(out)
    r.handle(msg("status", execution_state="busy"))
    r.handle(msg("execute_input", code="1", execution_count=1))
    r.handle(msg("comm_open", comm_id="c", target_name="t", data={}))
    assert out.text == ""


def test_multiline_result_starts_on_its_own_line() -> None:
    out = Screen()
    Renderer(out).execute_result(7, {"text/plain": "a\nb"}, {})
    assert out.text == "Out[7]: \na\nb\n"


def test_output_without_newline_is_ended_before_the_result() -> None:
    out = Screen()
    r = Renderer(out)
    r.stream("stdout", "partial")
    r.execute_result(1, {"text/plain": "1"}, {})
    assert out.text == "partial\nOut[1]: 1\n"


def test_error_without_traceback_shows_name_and_value() -> None:
    out = Screen()
    Renderer(out).error({"ename": "KeyError", "evalue": "'k'", "traceback": []})
    assert out.text == "KeyError: 'k'\n"


def test_display_prefers_image_placeholders_then_plain_text_then_types() -> None:
    out = Screen()
    r = Renderer(out)
    r.display({"image/png": b64(png(640, 480)), "text/plain": "<Figure size 640x480>"}, {})
    r.display({"text/plain": "just text", "text/html": "<b>x</b>"}, {})
    r.display({"text/html": "<b>x</b>", "application/json": {}}, {})
    assert out.text == "[image/png 640x480]\njust text\n[text/html] [application/json]\n"


@pytest.mark.parametrize(
    ("mime", "payload", "size"),
    [
        ("image/png", b64(png(31, 17)), (31, 17)),
        ("image/jpeg", b64(jpeg_header(800, 600)), (800, 600)),
        ("image/gif", b64(gif_header(5, 9)), (5, 9)),
        ("image/svg+xml", '<?xml version="1.0"?>\n<svg xmlns="x" width="120.4" height="80pt">', (120, 80)),
        ("image/png", "not base64 at all!", None),
        ("image/png", b64(b"GIF89a..........."), None),
        ("image/webp", b64(b"RIFF...."), None),
    ],
)
def test_image_sizes_come_from_the_image_header(mime: str, payload: str, size: tuple[int, int] | None) -> None:
    assert image_size(mime, payload) == size


def test_wrapped_base64_is_read_too() -> None:
    text = base64.encodebytes(png(300, 200)).decode()  # 76-column lines
    assert "\n" in text[:80]
    assert image_placeholder("image/png", text) == "[image/png 300x200]"


def test_metadata_size_wins_and_unknown_size_is_left_out() -> None:
    meta = {"image/png": {"width": 320, "height": 240}}
    assert image_placeholder("image/png", b64(png(640, 480)), meta) == "[image/png 320x240]"
    assert image_placeholder("image/png", "????") == "[image/png]"


def test_clear_output_erases_the_cells_lines_on_a_terminal() -> None:
    out = Screen()
    r = Renderer(out, ansi=True)
    r.begin_cell()
    r.stream("stdout", "10%\n20%\n")
    r.clear_output(wait=False)
    r.stream("stdout", "30%\n")
    # back to column 0, up the two lines written, erase to the end of the screen, then the new text
    assert out.text == "10%\n20%\n\r\x1b[2K\x1b[2F\x1b[J30%\n"


def test_clear_output_wait_clears_only_when_the_next_output_comes() -> None:
    out = Screen()
    r = Renderer(out, ansi=True)
    r.begin_cell()
    r.stream("stdout", "a\n")
    r.clear_output(wait=True)
    assert out.text == "a\n"
    r.stream("stdout", "b\n")
    assert out.text == "a\n\r\x1b[2K\x1b[1F\x1b[Jb\n"


def test_clear_output_writes_no_escapes_to_a_pipe() -> None:
    out = Screen()
    r = Renderer(out)
    r.stream("stdout", "a\n")
    r.clear_output(wait=False)
    r.stream("stdout", "b\n")
    assert out.text == "a\nb\n"


def test_partial_line_goes_to_the_input_prompt() -> None:
    out = Screen()
    r = Renderer(out, ansi=True)
    r.stream("stdout", "done.\nName: ")
    assert r.take_partial_line() == "Name: "
    assert out.text.endswith("Name: \r")  # the prompt redraws the line from column 0
    r.finish_line()
    assert out.text.endswith("\r")  # nothing left unfinished: no extra newline


def test_carriage_return_restarts_the_line() -> None:
    out = Screen()
    r = Renderer(out)
    r.stream("stdout", "50%\r100%")
    assert r.take_partial_line() == "100%"


def test_terminal_echo_of_ctrl_c_ends_the_line_before_the_traceback() -> None:
    out = Screen()
    r = Renderer(out, ansi=True)
    r.echoed("^C")
    r.error({"ename": "KeyboardInterrupt", "evalue": "", "traceback": ["KeyboardInterrupt"]})
    assert out.text == "\nKeyboardInterrupt\n"


def test_text_the_terminal_cannot_encode_is_replaced_not_lost() -> None:
    class Ascii(Screen):
        def write(self, s: str) -> int:
            s.encode("ascii")
            return super().write(s)

    out = Ascii()
    out.encoding = "ascii"
    Renderer(out).notice("kernel died — restarted")
    assert out.text == "kernel died ? restarted\n"
