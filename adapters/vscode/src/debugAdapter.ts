// The debug adapter VS Code talks to, inline in the extension: it carries VS Code's DAP requests to the kernel's
// own debugger (the bridge's `debug` method -> debug_request on control -> the debugpy inside the kernel) and the
// kernel's debug_event notifications back. No second debugpy process, no port for VS Code to connect to.
// Plain Node (no vscode import): it has the shape of vscode.DebugAdapter, and extension code wraps it in a
// vscode.DebugAdapterInlineImplementation.
//
// What it adds to plain forwarding:
// - `launch` / `attach` become the kernel's `attach` (the kernel knows where its debugpy listens); the
//   `initialized` event is the adapter's own, sent after that attach answered, so VS Code's setBreakpoints and
//   configurationDone arrive once the kernel's debugger is ready (debugpy's own `initialized` is dropped).
// - A session may carry a run (Debug Cell, Debug File): it starts after `configurationDone`, when VS Code has set
//   its breakpoints, and its end ends the session (`terminated`).
// - `disconnect` leaves the kernel running (the kernel forces terminateDebuggee: false anyway).
// - `stackTrace` says how many frames there are without the kernel's hidden ones (totalFrames); `threads` leaves
//   out the kernel's own threads.

import type { DapEvent, DapMessage, DapRequest, DapResponse } from "./protocol";

export interface DebugTarget {
  /** One DAP request for the kernel's debugger; resolves with its response. */
  debug(request: DapRequest): Promise<DapResponse>;
  /** Subscribe to the kernel's DAP events; returns the unsubscribe function. */
  onEvent(handler: (event: DapEvent) => void): () => void;
}

/** What the session runs once the breakpoints are set; null: attach only (breakpoints hit on any run). */
export type SessionRun = (() => Promise<unknown>) | null;

type Listener = (message: DapMessage) => void;

/** The launch/attach arguments the kernel's debugpy understands; VS Code's own keys stay here. */
const PASSED_ON = ["justMyCode", "showReturnValue", "redirectOutput"];

/** debugpy counts the kernel's own frames (hidden by the kernel's rule) in totalFrames: when fewer frames came
 * back than asked for, those are all there are, and VS Code must not offer "Load More Stack Frames". */
export function wholeStack(request: DapRequest, body: Record<string, unknown> | undefined): typeof body {
  const frames = body?.stackFrames;
  if (!body || !Array.isArray(frames)) return body;
  const start = Number(request.arguments?.startFrame ?? 0);
  const levels = Number(request.arguments?.levels ?? 0);
  if (levels > 0 && frames.length >= levels) return body;
  return { ...body, totalFrames: start + frames.length };
}

/** The kernel's own threads (named "ipykernel_lite-…": control, heartbeat, workers started later than debugpy)
 * are not the user's to see in the Call Stack; without them VS Code shows the main thread's frames directly.
 * Neither are "Dummy-N" threads unless one of them is stopped: Python's placeholders for threads it did not
 * start, which pydevd registers for its own short-lived helpers; one listed beside the main thread made VS Code
 * show thread rows, and the main thread's frames twice, in a loaded run. */
export function userThreads(
  body: Record<string, unknown> | undefined,
  stopped: ReadonlySet<number> = new Set(),
): typeof body {
  const threads = body?.threads;
  if (!body || !Array.isArray(threads)) return body;
  const shown = (t: { id?: unknown; name?: unknown }): boolean => {
    const name = String(t?.name ?? "");
    if (name.startsWith(KERNEL_THREAD)) return false;
    return !PLACEHOLDER_THREAD.test(name) || stopped.has(Number(t?.id));
  };
  return { ...body, threads: threads.filter(shown) };
}

const KERNEL_THREAD = "ipykernel_lite";
const PLACEHOLDER_THREAD = /^Dummy-\d+$/;

export class KernelDebugAdapter {
  private readonly listeners = new Set<Listener>();
  private seq = 1;
  private ended = false;
  private running: Promise<void> | null = null;
  private readonly unsubscribe: () => void;
  /** Threads the kernel said stopped and not yet continued (a placeholder thread is shown only then). */
  private readonly stopped = new Set<number>();

  constructor(
    private readonly target: DebugTarget,
    private readonly run: SessionRun = null,
    private readonly log: (text: string) => void = () => undefined,
  ) {
    this.unsubscribe = target.onEvent((event) => this.kernelEvent(event));
  }

  /** vscode.Event<DebugProtocolMessage> */
  readonly onDidSendMessage = (listener: Listener): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  handleMessage(message: DapMessage): void {
    if (message.type !== "request") return;
    void this.handle(message as DapRequest);
  }

  /** The session's run, once started (tests wait on it). */
  get runDone(): Promise<void> | null {
    return this.running;
  }

  dispose(): void {
    this.ended = true;
    this.unsubscribe();
    this.listeners.clear();
  }

  private async handle(request: DapRequest): Promise<void> {
    try {
      switch (request.command) {
        case "initialize": {
          const r = await this.target.debug(request);
          // the kernel answers configurationDone itself; there is no terminate, only disconnect
          const body = r.success ? { ...r.body, supportsConfigurationDoneRequest: true } : r.body;
          this.respond(request, r, body);
          return;
        }
        case "launch":
        case "attach": {
          const args: Record<string, unknown> = {};
          for (const key of PASSED_ON) if (request.arguments?.[key] !== undefined) args[key] = request.arguments[key];
          const r = await this.target.debug({ type: "request", seq: request.seq, command: "attach", arguments: args });
          this.respond(request, r);
          if (r.success) this.send({ type: "event", seq: 0, event: "initialized" });
          return;
        }
        case "configurationDone": {
          this.respond(request, await this.target.debug(request));
          if (this.run && !this.running) this.running = this.startRun(this.run);
          return;
        }
        case "disconnect":
        case "terminate": {
          const args = { ...request.arguments, terminateDebuggee: false };
          const r = await this.target.debug({ ...request, command: "disconnect", arguments: args });
          this.respond(request, r);
          this.ended = true;
          return;
        }
        case "threads": {
          const r = await this.target.debug(request);
          this.respond(request, r, r.success ? userThreads(r.body, this.stopped) : r.body);
          return;
        }
        case "stackTrace": {
          const r = await this.target.debug(request);
          this.respond(request, r, r.success ? wholeStack(request, r.body) : r.body);
          return;
        }
        default:
          this.respond(request, await this.target.debug(request));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log(`[debug ${request.command}: ${message}]\n`);
      this.respond(request, { success: false, message });
    }
  }

  private async startRun(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.log(`[debug run: ${err instanceof Error ? err.message : String(err)}]\n`);
    }
    // the cell or file ended: so does the session (VS Code answers with disconnect)
    if (!this.ended) this.send({ type: "event", seq: 0, event: "terminated" });
  }

  private kernelEvent(event: DapEvent): void {
    if (this.ended || event.event === "initialized") return;
    const thread = Number(event.body?.threadId);
    if (event.event === "stopped" && Number.isFinite(thread)) this.stopped.add(thread);
    if (event.event === "continued") {
      if (event.body?.allThreadsContinued !== false) this.stopped.clear();
      else this.stopped.delete(thread);
    }
    this.send({ ...event });
  }

  private respond(
    request: DapRequest,
    r: Pick<DapResponse, "success" | "message" | "body">,
    body: Record<string, unknown> | undefined = r.body,
  ): void {
    const response: DapResponse = {
      type: "response",
      seq: 0,
      request_seq: request.seq,
      command: request.command,
      success: r.success,
    };
    if (r.message) response.message = r.message;
    if (body) response.body = body;
    this.send(response);
  }

  private send(message: DapMessage): void {
    message.seq = this.seq++;
    for (const listener of [...this.listeners]) listener(message);
  }
}
