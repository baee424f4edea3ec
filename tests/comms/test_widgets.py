"""ipywidgets, interact and tqdm.notebook driven as JupyterLab's widget manager drives them (comm messages on
shell), against our kernel and a stock ipykernel: both must give the same results."""

from __future__ import annotations

from typing import Any

import pytest

from .frontend import Frontend

pytestmark = pytest.mark.timeout(120)
pytest.importorskip("ipywidgets")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _models(out: list[dict]) -> dict[str, dict[str, Any]]:
    """comm_id → initial state of the widget models opened in ``out``."""
    return {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in out if m["msg_type"] == "comm_open"}


def _views(out: list[dict]) -> list[str]:
    return [m["content"]["data"][WIDGET_VIEW]["model_id"] for m in out
            if m["msg_type"] in ("display_data", "execute_result") and WIDGET_VIEW in m["content"]["data"]]


def _update(fe: Frontend, comm_id: str, **state: Any) -> list[dict]:
    """What the widget manager sends when the user changes a control; the kernel's answer."""
    return fe.outputs(fe.comm_msg(comm_id, {"method": "update", "state": state, "buffer_paths": []}))


def _updates(out: list[dict]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m["content"]["comm_id"], m["content"]["data"]["method"], m["content"]["data"]["state"])
            for m in out if m["msg_type"] == "comm_msg"]


def test_slider_and_linked_label(any_kernel: Frontend) -> None:
    fe = any_kernel
    out = fe.execute(
        "import ipywidgets as w, traitlets\n"
        "s = w.IntSlider(value=3, min=0, max=10, description='x')\n"
        "l = w.Label()\n"
        "traitlets.dlink((s, 'value'), (l, 'value'), transform=lambda v: f'x = {v}')\n"
        "display(w.VBox([s, l]))"
    )
    models = _models(out)
    names = sorted(st["_model_name"] for st in models.values())
    assert names == ["IntSliderModel", "LabelModel", "LabelStyleModel", "LayoutModel", "LayoutModel", "LayoutModel",
                     "SliderStyleModel", "VBoxModel"]
    (box,) = _views(out)
    assert models[box]["_model_name"] == "VBoxModel"
    slider = next(c for c, st in models.items() if st["_model_name"] == "IntSliderModel")
    label = next(c for c, st in models.items() if st["_model_name"] == "LabelModel")
    assert models[slider]["value"] == 3
    # the link set the label after it was opened
    assert (label, "update", {"value": "x = 3"}) in _updates(out)

    out = _update(fe, slider, value=7)
    # ipywidgets 8 echoes the frontend's change back, then the link updates the label
    assert _updates(out) == [(slider, "echo_update", {"value": 7}), (label, "update", {"value": "x = 7"})]
    assert fe.value("(s.value, l.value)") == "(7, 'x = 7')"
    assert fe.comm_info("jupyter.widget")[slider] == {"target_name": "jupyter.widget"}


def test_interact_reruns_the_function(any_kernel: Frontend) -> None:
    fe = any_kernel
    out = fe.execute(
        "from ipywidgets import interact\n"
        "def f(x):\n    print('f got', x)\n"
        "ui = interact(f, x=(0, 10))"
    )
    models = _models(out)
    (view,) = _views(out)
    assert models[view]["_model_name"] == "VBoxModel"
    slider = next(c for c, st in models.items() if st["_model_name"] == "IntSliderModel")
    assert models[slider]["value"] == 5
    # the first call ran in the cell, its output captured by the Output widget
    msg_id = fe.comm_msg(slider, {"method": "update", "state": {"value": 8}, "buffer_paths": []})
    out = fe.outputs(msg_id)
    streams = [m["content"]["text"] for m in out if m["msg_type"] == "stream"]
    assert streams == ["f got 8\n"]
    # the Output widget was told to capture the messages of this comm_msg (that is how JupyterLab shows them)
    output_msg_ids = [st["msg_id"] for _, method, st in _updates(out) if method == "update" and "msg_id" in st]
    assert output_msg_ids[0] == msg_id and output_msg_ids[-1] == ""


def test_tqdm_notebook_draws_a_finished_bar(any_kernel: Frontend) -> None:
    pytest.importorskip("tqdm")
    fe = any_kernel
    out = fe.execute("from tqdm.notebook import tqdm\nfor i in tqdm(range(20), desc='work'):\n    pass")
    models = _models(out)
    (view,) = _views(out)
    assert models[view]["_model_name"] == "HBoxModel"
    bar = next(c for c, st in models.items() if st["_model_name"] == "FloatProgressModel")
    assert models[bar]["max"] == 20
    final: dict[str, Any] = {}
    for comm_id, _, state in _updates(out):
        if comm_id == bar:
            final.update(state)
    assert final["value"] == 20 and final["bar_style"] == "success"
    texts = [st.get("value") for c, _, st in _updates(out) if models.get(c, {}).get("_model_name") == "HTMLModel"]
    assert any(t and "20/20" in t for t in texts)


def test_nbclient_stores_the_widget_state(any_kernel: Frontend, tmp_path: Any) -> None:
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    name = any_kernel.km.kernel_name
    any_kernel.close()  # nbclient starts its own kernel of the same kind
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.IntSlider(value=4, description='n')")]
    NotebookClient(nb, kernel_name=name, timeout=60, store_widget_state=True).execute()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    sliders = [m["state"] for m in state.values() if m["model_name"] == "IntSliderModel"]
    assert [(s["value"], s["description"]) for s in sliders] == [(4, "n")]
    (output,) = nb.cells[0].outputs
    assert output["data"][WIDGET_VIEW]["model_id"] in state


def test_matplotlib_widget_backend_shows_an_ipympl_canvas(any_kernel: Frontend) -> None:
    pytest.importorskip("ipympl")
    fe = any_kernel
    fe.execute("import os; os.environ['MPLCONFIGDIR'] = os.getcwd()")
    out = fe.execute(
        "%matplotlib widget\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 3, 2]);"
    )
    models = _models(out)
    (view,) = _views(out)
    assert models[view]["_model_name"] == "MPLCanvasModel"
    # the frontend's first request: ipympl answers with the drawn image, as on ipykernel
    out = fe.outputs(fe.comm_msg(view, {"method": "custom", "content": {"type": "initialized"}}))
    assert any(m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == view for m in out)


def test_widget_control_comm_from_the_frontend(any_kernel: Frontend) -> None:
    """JupyterLab opens ``jupyter.widget.control`` to restore widget state after a reload."""
    fe = any_kernel
    fe.execute("import ipywidgets as w\ns = w.IntSlider(value=2, description='kept')")
    # the widget manager names its control protocol version in the metadata, as JupyterLab does
    out = fe.outputs(fe.comm_open("ctl", "jupyter.widget.control", metadata={"version": "1.0.0"}))
    assert [m for m in out if m["msg_type"] == "comm_close"] == []
    out = fe.outputs(fe.comm_msg("ctl", {"method": "request_states"}))
    (reply,) = [m for m in out if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == "ctl"]
    assert reply["content"]["data"]["method"] == "update_states"
    states = reply["content"]["data"]["states"]
    assert [(st["state"]["value"], st["state"]["description"]) for st in states.values()
            if st["model_name"] == "IntSliderModel"] == [(2, "kept")]
    assert fe.comm_info("jupyter.widget.control") == {"ctl": {"target_name": "jupyter.widget.control"}}


def test_button_click_output_widget_captures_print_and_error(any_kernel: Frontend) -> None:
    fe = any_kernel
    out = fe.execute(
        "import ipywidgets as w\n"
        "log = w.Output()\n"
        "b = w.Button(description='go')\n"
        "def on_click(_):\n"
        "    with log:\n"
        "        print('clicked')\n"
        "        1 / 0\n"
        "b.on_click(on_click)\n"
        "display(b, log)"
    )
    models = _models(out)
    button = next(c for c, st in models.items() if st["_model_name"] == "ButtonModel")
    output = next(c for c, st in models.items() if st["_model_name"] == "OutputModel")
    msg_id = fe.comm_msg(button, {"method": "custom", "content": {"event": "click"}})
    out = fe.outputs(msg_id)
    assert [m["content"]["text"] for m in out if m["msg_type"] == "stream"] == ["clicked\n"]
    assert [m["content"]["ename"] for m in out if m["msg_type"] == "error"] == ["ZeroDivisionError"]
    # the Output widget captured this comm message's outputs, then let go
    captured = [st["msg_id"] for c, _, st in _updates(out) if c == output and "msg_id" in st]
    assert captured == [msg_id, ""]
    assert fe.value("1 + 1") == "2"
