// The bridge's JSON-RPC API as TypeScript types, written from docs/bridge-schema.json (generated from
// ipykernel_lite/bridge/schema.py). Optional params take the bridge's defaults. Offsets count UTF-16 units
// unless `encoding` is "utf-32".

// KernelState is generated from the Python definition (ipykernel_lite/client/state.py) into schemaTypes.ts
import type { KernelState } from "./schemaTypes";
export type { KernelState };
export type RunScope = "cell" | "below" | "selection" | "line" | "file";

export interface Origin {
  path: string;
  line: number;
  cell?: string | null;
  cwd?: boolean;
  as_main?: boolean;
  argv?: string[] | null;
  breakpoints?: number[] | null;
}

interface KernelParams {
  kernel?: string;
}

/** How to reach a Jupyter Server / Kernel Gateway / Enterprise Gateway (docs/remote.md). */
export interface ServerAccess {
  url: string;
  token?: string | null;
  headers?: Record<string, string> | null;
  ca_file?: string | null;
}

/** A new kernel of kernel_name on the server, or attach to its running kernel kernel_id. */
export interface ServerParams extends ServerAccess {
  kernel_name?: string | null;
  kernel_id?: string | null;
}

export interface StartParams extends KernelParams {
  argv?: string[] | null;
  cwd?: string | null;
  env?: Record<string, string> | null;
  interrupt_mode?: "signal" | "message";
  ready_timeout?: number;
  server?: ServerParams | null;
}

export interface ServerKernel {
  id: string;
  name: string;
  execution_state?: string | null;
  connections?: number | null;
  last_activity?: string | null;
}

export interface ServerKernelsResult {
  kernels: ServerKernel[];
  listed: boolean;
  kernelspecs: Record<string, Record<string, unknown>>;
  default: string | null;
}

export interface StartResult {
  kernel: string;
  started: boolean;
  pid: number | null;
  connection_file: string;
  kernel_info: Record<string, unknown>;
}

export interface ExecuteParams extends KernelParams {
  code: string;
  origin?: Origin | null;
  post_mortem?: boolean;
  silent?: boolean;
  store_history?: boolean;
  stop_on_error?: boolean;
  allow_stdin?: boolean;
  tag?: string | null;
  timeout?: number | null;
}

export interface CellInfo {
  title: string;
  start_line: number;
  code_start_line: number;
  end_line: number;
  kind: "code" | "markdown";
}

export interface ErrorDetail {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteOutcome {
  msg_id: string;
  status: string;
  execution_count: number | null;
  result: Record<string, unknown> | null;
  error: ErrorDetail | null;
  cell: CellInfo | null;
}

export interface RunCellParams extends KernelParams {
  path: string;
  text: string;
  line: number;
  scope?: RunScope;
  end_line?: number | null;
  post_mortem?: boolean;
  cwd?: boolean | null;
  as_main?: boolean | null;
  argv?: string[] | null;
  tag?: string | null;
}

export interface RunCellResult {
  status: string;
  runs: ExecuteOutcome[];
}

export interface CodeAtCursor extends KernelParams {
  code: string;
  cursor: number;
  encoding?: "utf-16" | "utf-32";
  timeout?: number;
}

export interface CompletionItem {
  text: string;
  type: string | null;
  signature: string | null;
}

export interface CompleteResult {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  items: CompletionItem[];
}

export interface InspectParams extends CodeAtCursor {
  detail_level?: 0 | 1;
}

export interface Calltip {
  signature: string;
  name: string;
  params: string[];
  active_param: number | null;
  doc: string;
}

export interface InspectResult {
  found: boolean;
  text: string;
  markdown: string | null;
  calltip: Calltip | null;
}

/** A row of the variables view (the kernel's variables_reply). */
export interface VariableRow {
  name: string;
  type: string;
  value: string;
  size: number | null;
  expandable: boolean;
  path: (string | number)[];
}

export interface VariablesParams extends KernelParams {
  path?: (string | number)[] | null;
  limit?: number;
  timeout?: number;
}

export interface VariablesResult {
  variables: VariableRow[];
  truncated: number;
}

export interface DebugFrame {
  file: string;
  line: number;
  function: string;
}

export interface DebugState {
  frame: DebugFrame;
  stack: DebugFrame[];
}

/** A Debug Adapter Protocol message, as VS Code and debugpy exchange them (the bridge passes them as is). */
export interface DapMessage {
  type: "request" | "response" | "event";
  seq: number;
  [key: string]: unknown;
}

export interface DapRequest extends DapMessage {
  type: "request";
  command: string;
  arguments?: Record<string, unknown>;
}

export interface DapResponse extends DapMessage {
  type: "response";
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapEvent extends DapMessage {
  type: "event";
  event: string;
  body?: Record<string, unknown>;
}

export interface DebugParams extends KernelParams {
  request: DapRequest;
  timeout?: number;
}

export interface DebugEventNotification {
  kernel: string;
  event: DapEvent;
}

/** Request method -> [params, result]. */
export interface Methods {
  start: [StartParams, StartResult];
  execute: [ExecuteParams, ExecuteOutcome];
  run_cell: [RunCellParams, RunCellResult];
  complete: [CodeAtCursor, CompleteResult];
  inspect: [InspectParams, InspectResult];
  variables: [VariablesParams, VariablesResult];
  debug: [DebugParams, { response: DapResponse }];
  input_reply: [KernelParams & { value: string; request?: string | null }, { answered: boolean }];
  interrupt: [KernelParams, { interrupted: boolean }];
  pause: [KernelParams, { paused: boolean }];
  restart: [KernelParams & { timeout?: number; ready_timeout?: number }, StartResult];
  shutdown: [{ kernel?: string | null }, { stopped: string[] }];
  server_kernels: [ServerAccess & { timeout?: number }, ServerKernelsResult];
}

export interface OutputNotification {
  kernel: string;
  msg_id: string | null;
  tag: string | null;
  msg_type: string;
  content: Record<string, unknown>;
}

export interface InputRequestNotification {
  kernel: string;
  id: string;
  msg_id: string | null;
  tag: string | null;
  prompt: string;
  password: boolean;
  debug: DebugState | null;
}

export interface DebugFrameNotification {
  kernel: string;
  msg_id: string | null;
  tag: string | null;
  frame: DebugFrame | null;
  stack: DebugFrame[];
}

export interface KernelDiedNotification {
  kernel: string;
  reason: string;
  exit_code: number | null;
  signal: number | null;
  traceback: string | null;
}

/** Notification method (bridge to editor) -> params. */
export interface Notifications {
  output: OutputNotification;
  status: { kernel: string; state: KernelState };
  input_request: InputRequestNotification;
  debug_frame: DebugFrameNotification;
  debug_event: DebugEventNotification;
  kernel_died: KernelDiedNotification;
}

export const ERROR_CODES = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  unknownKernel: -32001,
  kernelDied: -32002,
  timeout: -32003,
  kernelError: -32004,
  requestCancelled: -32800,
} as const;

// Runtime lists of the names above; the Record types make tsc reject a list that misses or adds one. A test
// compares them with docs/bridge-schema.json.
export const METHOD_NAMES: Record<keyof Methods, true> = {
  start: true,
  execute: true,
  run_cell: true,
  complete: true,
  inspect: true,
  variables: true,
  debug: true,
  input_reply: true,
  interrupt: true,
  pause: true,
  restart: true,
  shutdown: true,
  server_kernels: true,
};

export const NOTIFICATION_NAMES: Record<keyof Notifications, true> = {
  output: true,
  status: true,
  input_request: true,
  debug_frame: true,
  debug_event: true,
  kernel_died: true,
};
