"""IPython's display functions publish through our kernel while no IPython shell runs."""

from __future__ import annotations

import pytest

from .frontend import Frontend

pytestmark = pytest.mark.timeout(60)
pytest.importorskip("IPython")


def test_ipython_display_clear_output_and_display_handles(lite: Frontend) -> None:
    out = lite.execute(
        "from IPython.display import display, clear_output, HTML, update_display\n"
        "display(HTML('<b>hi</b>'))\n"
        "h = display({'text/plain': 'one'}, raw=True, display_id='d1')\n"
        "update_display({'text/plain': 'two'}, raw=True, display_id='d1')\n"
        "clear_output(wait=True)\n"
        "display('after', clear=True)"
    )
    out = [m for m in out if m["msg_type"] != "execute_input"]
    kinds = [(m["msg_type"], m["content"].get("data", {}).get("text/plain"), m["content"].get("wait"))
             for m in out]
    assert kinds == [
        ("display_data", "<IPython.core.display.HTML object>", None),
        ("display_data", "one", None),
        ("update_display_data", "two", None),
        ("clear_output", None, True),
        ("clear_output", None, True),
        ("display_data", "'after'", None),
    ]
    assert out[0]["content"]["data"]["text/html"] == "<b>hi</b>"
    assert out[1]["content"]["transient"] == {"display_id": "d1"}
    assert lite.value("type(h).__name__") == "'DisplayHandle'"
