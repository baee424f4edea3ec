// Generated from docs/bridge-schema.json by `python -m ipykernel_lite.bridge.tsgen --write`; do not edit.

/** ``busy`` means running code (an execute_request), not answering a completion. */
export type KernelState = "not-started" | "starting" | "idle" | "busy" | "restarting" | "stopping" | "stopped" | "dead";
