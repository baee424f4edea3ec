// The editor's one kernel, behind the bridge: spawns the bridge and starts the kernel on first use, passes
// notifications on, and starts over with a new bridge if the old one went away. Plain module (no vscode
// import): extension.ts only adapts it to the editor.

import { BridgeClient, type BridgeOptions } from "./bridgeClient";
import type {
  CompleteResult,
  DapRequest,
  DapResponse,
  DebugEventNotification,
  DebugFrameNotification,
  ExecuteOutcome,
  ExecuteParams,
  InputRequestNotification,
  InspectResult,
  KernelDiedNotification,
  KernelState,
  OutputNotification,
  RunCellParams,
  RunCellResult,
  StartResult,
  VariablesResult,
} from "./protocol";

export const KERNEL = "default";

export interface LinkSettings extends BridgeOptions {
  /** The kernel's command line with {connection_file}; null: ipykernel_lite on the bridge's Python. */
  kernelArgv?: string[] | null;
  /** The kernel's working directory. */
  kernelCwd?: string | null;
}

export interface LinkEvents {
  output?(n: OutputNotification): void;
  status?(state: KernelState | "none"): void;
  inputRequest?(n: InputRequestNotification): void;
  debugFrame?(n: DebugFrameNotification): void;
  /** The kernel's DAP events (debug_event), for the debug adapter. */
  debugEvent?(n: DebugEventNotification): void;
  kernelDied?(n: KernelDiedNotification): void;
  /** The bridge's log (its stderr) and the link's own messages. */
  log?(text: string): void;
}

export class KernelLink {
  private client: BridgeClient | null = null;
  private starting: Promise<BridgeClient> | null = null;
  private _state: KernelState | "none" = "none";
  kernelInfo: StartResult | null = null;

  constructor(
    private readonly settings: () => LinkSettings,
    private readonly events: LinkEvents = {},
  ) {}

  get state(): KernelState | "none" {
    return this._state;
  }

  /** Whether a kernel runs (completion and hover never start one). */
  get running(): boolean {
    return this.client !== null && !this.client.closed && this._state !== "none" && this._state !== "stopped";
  }

  private setState(state: KernelState | "none"): void {
    if (state !== this._state) {
      this._state = state;
      this.events.status?.(state);
    }
  }

  /** The bridge with its kernel started, spawning both on first use. Concurrent callers share one start. */
  ensure(): Promise<BridgeClient> {
    if (this.client && !this.client.closed && this._state !== "stopped") return Promise.resolve(this.client);
    if (!this.starting) {
      this.starting = this.launch().finally(() => {
        this.starting = null;
      });
    }
    return this.starting;
  }

  private async launch(): Promise<BridgeClient> {
    const settings = this.settings();
    const client = BridgeClient.spawn(settings);
    const e = this.events;
    client.on("output", (n) => e.output?.(n));
    client.on("status", (n) => this.setState(n.state));
    client.on("input_request", (n) => e.inputRequest?.(n));
    client.on("debug_frame", (n) => e.debugFrame?.(n));
    client.on("debug_event", (n) => e.debugEvent?.(n));
    client.on("kernel_died", (n) => e.kernelDied?.(n));
    client.onStderr((text) => e.log?.(text));
    client.onClose((err) => {
      if (this.client === client) {
        this.client = null;
        this.kernelInfo = null;
        this.setState("none");
        e.log?.(`${err.message}\n`);
      }
    });
    try {
      this.kernelInfo = await client.request("start", {
        kernel: KERNEL,
        argv: settings.kernelArgv ?? null,
        cwd: settings.kernelCwd ?? null,
      });
    } catch (err) {
      await client.dispose(1000);
      throw err;
    }
    this.client = client;
    return client;
  }

  async execute(params: Omit<ExecuteParams, "kernel">): Promise<ExecuteOutcome> {
    return (await this.ensure()).request("execute", { ...params, kernel: KERNEL });
  }

  async runCell(params: Omit<RunCellParams, "kernel">): Promise<RunCellResult> {
    return (await this.ensure()).request("run_cell", { ...params, kernel: KERNEL });
  }

  /** Completions at `cursor` (UTF-16 offset into `code`); null while no kernel runs. */
  async complete(code: string, cursor: number, signal?: AbortSignal): Promise<CompleteResult | null> {
    if (!this.running || !this.client) return null;
    return this.client.request("complete", { kernel: KERNEL, code, cursor }, { signal });
  }

  async inspect(code: string, cursor: number, signal?: AbortSignal): Promise<InspectResult | null> {
    if (!this.running || !this.client) return null;
    return this.client.request("inspect", { kernel: KERNEL, code, cursor }, { signal });
  }

  /** The kernel's variables (or what the row at `path` contains); empty while no kernel runs. */
  async variables(path: (string | number)[] | null = null): Promise<VariablesResult> {
    if (!this.running || !this.client) return { variables: [], truncated: 0 };
    return this.client.request("variables", { kernel: KERNEL, path });
  }

  /** One DAP request for the kernel's debugger (starting the kernel if none runs); the DAP response. */
  async debug(request: DapRequest, timeout = 60): Promise<DapResponse> {
    return (await (await this.ensure()).request("debug", { kernel: KERNEL, request, timeout })).response;
  }

  async inputReply(value: string, request: string): Promise<boolean> {
    if (!this.client) return false;
    return (await this.client.request("input_reply", { kernel: KERNEL, value, request })).answered;
  }

  async interrupt(): Promise<boolean> {
    if (!this.running || !this.client) return false;
    return (await this.client.request("interrupt", { kernel: KERNEL })).interrupted;
  }

  async pause(): Promise<boolean> {
    if (!this.running || !this.client) return false;
    return (await this.client.request("pause", { kernel: KERNEL })).paused;
  }

  /** Restart the kernel (or start one if none runs). */
  async restart(): Promise<StartResult> {
    if (!this.client || this.client.closed) {
      await this.ensure();
      if (!this.kernelInfo) throw new Error("the kernel did not start");
      return this.kernelInfo;
    }
    this.kernelInfo = await this.client.request("restart", { kernel: KERNEL });
    return this.kernelInfo;
  }

  /** Stop the kernel and the bridge. */
  async dispose(): Promise<void> {
    if (this.starting) {
      try {
        await this.starting;
      } catch {
        // it failed to start: nothing to stop
      }
    }
    const client = this.client;
    this.client = null;
    this.kernelInfo = null;
    if (client) await client.dispose();
    this.setState("none");
  }
}
