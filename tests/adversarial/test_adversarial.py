"""Every adversarial scenario on both kernels: ours must survive whatever ipykernel survives, answer whatever
ipykernel answers, and never leave a client hanging where ipykernel does not.

All scenarios run once per session in parallel batches (``runner``), the first test waits for them; each test
then checks one scenario. ``python -m tests.adversarial.table`` prints the same outcomes as a table.
"""

from __future__ import annotations

import pytest

from .driver import Outcome
from .runner import run_both
from .scenarios import SCENARIOS

# the module's first test runs every scenario on both kernels (about 2-4 minutes on 2 cores)
pytestmark = pytest.mark.timeout(600)

#: fixed in ipykernel_lite (issue 18): ours must survive these whatever ipykernel does
MUST_SURVIVE = {
    "proto_deep_content_shell",
    "proto_deep_metadata_shell",
    "proto_deep_parent_shell",
    "proto_deep_content_control",
    "proto_deep_header_shell",
    "exit_str_systemexit",
    "exit_str_keyboardinterrupt",
    "fork_child_os_exit",
    "fork_child_sys_exit",
    "fork_child_falls_through",
    "threads_three_inputs",
    "threads_20_inputs",
    "proto_client_gone_in_input",
    "sab_json_patched",
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, Outcome]]:
    return run_both(SCENARIOS)


@pytest.mark.parametrize("name", [s.name for s in SCENARIOS])
def test_ours_survives_what_ipykernel_survives(outcomes: dict[str, dict[str, Outcome]], name: str) -> None:
    ours, theirs = outcomes["ours"][name], outcomes["ipykernel"][name]
    assert ours.status != "harness error", ours.detail
    assert theirs.status != "harness error", theirs.detail
    if theirs.survived or name in MUST_SURVIVE:
        assert ours.survived, f"ipykernel: {theirs.cell()}; ours: {ours.cell()}"
    if theirs.replied:
        assert ours.replied, f"ipykernel replied ({theirs.cell()}), ours did not ({ours.cell()})"
    if theirs.status != "hung":
        assert ours.status != "hung", f"ours hung where ipykernel gave {theirs.cell()}"


def test_there_are_enough_scenarios() -> None:
    # the four, its smaller items and at least 50 more
    assert len(SCENARIOS) >= 60
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)
