// A JSON-RPC client of `python -m ipykernel_lite bridge` over the child's stdio. Plain Node (no vscode import),
// so it is tested against the real Python bridge with node's test runner.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { EventEmitter } from "node:events";

import { FrameDecoder, encodeFrame } from "./framing";
import { ERROR_CODES, type Methods, type Notifications } from "./protocol";

export interface BridgeOptions {
  /** The Python interpreter with ipykernel_lite installed. */
  python: string;
  /** Extra arguments after `-m ipykernel_lite bridge` (e.g. ["--log-level", "DEBUG"]). */
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RequestOptions {
  /** Aborting sends $/cancelRequest; the promise then rejects with code requestCancelled. */
  signal?: AbortSignal;
}

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: string;
}

type Handler<N extends keyof Notifications> = (params: Notifications[N]) => void;

export class BridgeClient {
  private readonly events = new EventEmitter();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedError: Error | null = null;
  private stderrTail = "";
  /** Resolves with the exit code (null when killed by a signal) once the bridge process ends. */
  readonly exited: Promise<number | null>;

  constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    const decoder = new FrameDecoder();
    proc.stdout.on("data", (chunk: Buffer) => {
      let bodies: Buffer[];
      try {
        bodies = decoder.feed(chunk);
      } catch (e) {
        this.fail(new Error(`unreadable output from the bridge: ${(e as Error).message}`));
        return;
      }
      for (const body of bodies) this.dispatch(body);
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      this.stderrTail = (this.stderrTail + text).slice(-4000);
      this.events.emit("stderr", text);
    });
    // a write after the bridge died must not crash the editor: the exit handler rejects what is pending
    proc.stdin.on("error", () => undefined);
    this.exited = new Promise((resolve) => {
      proc.on("exit", (code) => {
        this.fail(new Error(`the bridge exited (code ${code}); ${this.stderrTail.trim().slice(-1000)}`));
        resolve(code);
      });
      proc.on("error", (err) => {
        this.fail(new Error(`cannot run the bridge: ${err.message}`));
        resolve(null);
      });
    });
  }

  static spawn(options: BridgeOptions): BridgeClient {
    const proc = spawn(options.python, ["-m", "ipykernel_lite", "bridge", ...(options.args ?? [])], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    return new BridgeClient(proc);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  request<M extends keyof Methods>(
    method: M,
    params: Methods[M][0],
    options: RequestOptions = {},
  ): Promise<Methods[M][1]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const promise = new Promise<Methods[M][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
    });
    const signal = options.signal;
    if (signal) {
      const onAbort = (): void => this.notify("$/cancelRequest", { id });
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener("abort", onAbort, { once: true });
      void promise.then(
        () => signal.removeEventListener("abort", onAbort),
        () => signal.removeEventListener("abort", onAbort),
      );
    }
    this.write({ jsonrpc: "2.0", id, method, params });
    return promise;
  }

  notify(method: string, params: unknown): void {
    if (!this.closedError) this.write({ jsonrpc: "2.0", method, params });
  }

  /** Subscribe to a notification; returns the unsubscribe function. */
  on<N extends keyof Notifications>(method: N, handler: Handler<N>): () => void {
    this.events.on(method, handler);
    return () => this.events.off(method, handler);
  }

  /** The bridge's stderr (its log), as it comes. */
  onStderr(handler: (text: string) => void): () => void {
    this.events.on("stderr", handler);
    return () => this.events.off("stderr", handler);
  }

  /** Ask the bridge to stop its kernels and exit (closing stdin); kill it if it is still there after `graceMs`. */
  async dispose(graceMs = 5000): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.stdin.end();
      const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
      try {
        return await this.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.exited;
  }

  private write(message: unknown): void {
    this.proc.stdin.write(encodeFrame(message));
  }

  private dispatch(body: Buffer): void {
    let msg: unknown;
    try {
      msg = JSON.parse(body.toString("utf8"));
    } catch {
      this.events.emit("stderr", `unparsable message from the bridge: ${body.toString("utf8").slice(0, 200)}\n`);
      return;
    }
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (typeof m !== "object" || m === null) continue;
      const r = m as {
        id?: unknown;
        method?: unknown;
        params?: unknown;
        result?: unknown;
        error?: { code: number; message: string; data?: unknown };
      };
      if (typeof r.method === "string") {
        this.events.emit(r.method, r.params);
        continue;
      }
      if (typeof r.id !== "number") {
        if (r.error) this.events.emit("stderr", `bridge error: ${r.error.message}\n`);
        continue;
      }
      const p = this.pending.get(r.id);
      if (!p) continue;
      this.pending.delete(r.id);
      if (r.error) p.reject(new RpcError(r.error.code, `${p.method}: ${r.error.message}`, r.error.data));
      else p.resolve(r.result);
    }
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = new RpcError(ERROR_CODES.internalError, error.message);
    for (const p of this.pending.values()) p.reject(this.closedError);
    this.pending.clear();
    this.events.emit("close", this.closedError);
  }

  /** Called once when the bridge can no longer answer (it exited, or its output is garbled). */
  onClose(handler: (error: Error) => void): () => void {
    this.events.on("close", handler);
    return () => this.events.off("close", handler);
  }
}
