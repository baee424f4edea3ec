// The debugger glue (debugging.ts, debugAdapter.ts) driven as VS Code drives it, through the vscode stub, against
// the real bridge and kernel: "Debug Cell" starts a session of type ipykernel-lite, the factory's inline adapter
// answers VS Code's DAP sequence by forwarding it to the kernel's debugpy, a gutter breakpoint on the file's line
// stops the # %% cell, the Variables and Watch requests see the local, "Step Over" moves the line, the session
// ends with the cell.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";

import { type KernelDebugAdapter, userThreads } from "../src/debugAdapter";
import type { DapMessage, DapResponse } from "../src/protocol";
import { bridgeEnv, python, until } from "./helpers";
import * as vscode from "./vscodeStub";

type Extension = typeof import("../src/extension");

const moduleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleInternals._load;
moduleInternals._load = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === "vscode" ? vscode : originalLoad.call(this, request, ...rest);
};
const ext = require("../src/extension") as Extension;

const SCRIPT = `# %% setup
base = 10

# %% the cell to debug
def f(a):
    b = a * 2
    c = b + 1
    return c

out = f(base)
`;
const BREAK_LINE = 6;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vsdebug-"));
const file = path.join(dir, "debug_me.py");
fs.writeFileSync(file, SCRIPT);
const doc = new vscode.TextDocument(vscode.Uri.file(file), SCRIPT);
const subscriptions: { dispose(): unknown }[] = [];
let adapter: ReturnType<Extension["activate"]>;

before(() => {
  vscode.configuration.python = python();
  process.env.PYTHONPATH = bridgeEnv().PYTHONPATH;
  vscode.openEditor(doc);
  adapter = ext.activate({ subscriptions } as never);
});

after(async () => {
  await ext.deactivate();
  for (const s of subscriptions) s.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** VS Code's side of one debug session: sends requests, keeps everything the adapter sends. */
class Session {
  readonly received: DapMessage[] = [];
  private seq = 1;
  constructor(readonly dap: KernelDebugAdapter) {
    dap.onDidSendMessage((m) => this.received.push(m));
  }
  events(name: string): DapMessage[] {
    return this.received.filter((m) => m.type === "event" && m.event === name);
  }
  waitEvent(name: string, count = 1, ms = 60000): Promise<DapMessage> {
    return until(() => this.events(name)[count - 1], ms, `event ${name} #${count}`);
  }
  async request(command: string, args: Record<string, unknown> = {}, ms = 60000): Promise<DapResponse> {
    const seq = this.seq++;
    this.dap.handleMessage({ type: "request", seq, command, arguments: args });
    return until(
      () => this.received.find((m): m is DapResponse => m.type === "response" && m.request_seq === seq),
      ms,
      `the ${command} response`,
    );
  }
  async ok(command: string, args: Record<string, unknown> = {}): Promise<any> {
    const r = await this.request(command, args);
    assert.equal(r.success, true, `${command}: ${r.message}`);
    assert.equal(r.command, command);
    return r.body ?? {};
  }
}

test("package.json contributes the debugger, gutter breakpoints in Python and the debug commands", () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8"));
  assert.deepEqual(pkg.contributes.breakpoints, [{ language: "python" }]);
  assert.equal(pkg.contributes.debuggers[0].type, "ipykernel-lite");
  assert.ok(vscode.debug.factories.has("ipykernel-lite") && vscode.debug.configProviders.has("ipykernel-lite"));
  assert.ok(vscode.recorded.commands.has("ipykernelLite.debugCell"));
  assert.ok(vscode.recorded.commands.has("ipykernelLite.debugFile"));
});

test("threads: the kernel's own and Python's placeholder threads are left out unless a placeholder stopped", () => {
  const threads = [
    { id: 1, name: "MainThread" },
    { id: 2, name: "Dummy-7" },
    { id: 3, name: "ipykernel_lite-control" },
    { id: 4, name: "Dummy-9" },
    { id: 5, name: "Thread-3 (worker)" },
  ];
  const ids = (stopped?: Set<number>) =>
    ((userThreads({ threads }, stopped)?.threads ?? []) as { id: number }[]).map((t) => t.id);
  assert.deepEqual(ids(), [1, 5]);
  assert.deepEqual(ids(new Set([4])), [1, 4, 5]);
});

test("F5 without launch.json debugs the active file", () => {
  const config = vscode.debug.configProviders.get("ipykernel-lite").resolveDebugConfiguration(undefined, {});
  assert.deepEqual(config, {
    type: "ipykernel-lite",
    request: "launch",
    name: "Debug File",
    run: { scope: "file", uri: doc.uri.toString(), line: 1 },
  });
});

test("Debug Cell: a gutter breakpoint stops the cell, variables, watch, step over, the session ends", async () => {
  await vscode.commands.executeCommand("ipykernelLite.runCell", doc.uri, 1);
  await vscode.commands.executeCommand("ipykernelLite.debugCell", doc.uri, 4);
  const [, config] = vscode.debug.started[vscode.debug.started.length - 1];
  assert.deepEqual(config.run, { scope: "cell", uri: doc.uri.toString(), line: 4 });
  const descriptor = vscode.debug.factories.get("ipykernel-lite").createDebugAdapterDescriptor({ configuration: config });
  const s = new Session(descriptor.implementation as KernelDebugAdapter);

  const caps = await s.ok("initialize", { clientID: "vscode", adapterID: "ipykernel-lite", linesStartAt1: true });
  assert.equal(caps.supportsConfigurationDoneRequest, true);
  await s.ok("launch", config);
  await s.waitEvent("initialized");
  const bps = await s.ok("setBreakpoints", { source: { path: file }, breakpoints: [{ line: BREAK_LINE }] });
  assert.equal(bps.breakpoints[0].verified, true);
  await s.ok("setExceptionBreakpoints", { filters: [] });
  await s.ok("configurationDone");

  const stopped = await s.waitEvent("stopped");
  const threadId = (stopped.body as { threadId: number }).threadId;
  const threads = (await s.ok("threads")).threads as { id: number; name: string }[];
  assert.ok(threads.some((t) => t.id === threadId));
  assert.ok(threads.every((t) => !t.name.startsWith("ipykernel_lite")), JSON.stringify(threads));
  const trace = await s.ok("stackTrace", { threadId, startFrame: 0, levels: 20 });
  // the kernel's own frames are hidden: nothing more to load
  assert.equal(trace.totalFrames, trace.stackFrames.length);
  let frames = trace.stackFrames;
  assert.deepEqual([frames[0].name, frames[0].line, frames[0].source.path], ["f", BREAK_LINE, file]);
  const scopes = (await s.ok("scopes", { frameId: frames[0].id })).scopes;
  const locals = (await s.ok("variables", { variablesReference: scopes[0].variablesReference })).variables;
  assert.ok(locals.some((v: { name: string; value: string }) => v.name === "a" && v.value === "10"));
  const watch = await s.ok("evaluate", { expression: "a * 3", frameId: frames[0].id, context: "watch" });
  assert.equal(watch.result, "30");

  await s.ok("next", { threadId });
  await s.waitEvent("stopped", 2);
  frames = (await s.ok("stackTrace", { threadId })).stackFrames;
  assert.equal(frames[0].line, BREAK_LINE + 1);

  await s.ok("continue", { threadId });
  await s.waitEvent("terminated");
  await s.dap.runDone;
  await s.ok("disconnect", { restart: false });
  s.dap.dispose();
  // one initialized event (the adapter's own), sequence numbers increasing
  assert.equal(s.events("initialized").length, 1);
  const seqs = s.received.map((m) => m.seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((x, y) => x - y),
  );
  const result = await adapter.link.execute({ code: "out" });
  assert.equal(result.result?.["text/plain"], "21");
});

test("a request the kernel's debugger refuses is a failed response, and the kernel keeps serving", async () => {
  const descriptor = vscode.debug.factories
    .get("ipykernel-lite")
    .createDebugAdapterDescriptor({ configuration: { type: "ipykernel-lite", request: "attach", name: "x" } });
  const s = new Session(descriptor.implementation as KernelDebugAdapter);
  const r = await s.request("stackTrace", { threadId: 1 });
  assert.equal(r.success, false);
  assert.match(r.message ?? "", /not started/);
  s.dap.dispose();
  assert.equal((await adapter.link.execute({ code: "1 + 2" })).result?.["text/plain"], "3");
});
