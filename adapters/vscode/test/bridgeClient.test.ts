// BridgeClient against the real Python bridge and a real kernel (no stand-ins): one bridge for the file.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { RpcError, type BridgeClient } from "../src/bridgeClient";
import { ERROR_CODES, type OutputNotification } from "../src/protocol";
import { processGone, spawnBridge, until, waitFor } from "./helpers";

let bridge: BridgeClient;
const outputs: OutputNotification[] = [];
let kernelPid = 0;

before(async () => {
  bridge = spawnBridge();
  bridge.on("output", (n) => outputs.push(n));
  const started = await bridge.request("start", {});
  kernelPid = started.pid ?? 0;
  assert.equal(started.kernel_info.implementation, "ipykernel_lite");
});

after(async () => {
  const code = await bridge.dispose();
  assert.equal(code, 0);
  assert.ok(processGone(kernelPid), "the kernel stops with the bridge");
});

test("execute: outputs are notified, tagged, before the result", { timeout: 30000 }, async () => {
  const result = await bridge.request("execute", { code: "print('hello')\n6 * 7", tag: "t1" });
  assert.equal(result.status, "ok");
  assert.deepEqual(result.result, { "text/plain": "42" });
  const mine = outputs.filter((o) => o.tag === "t1");
  assert.deepEqual(
    mine.map((o) => o.msg_type),
    ["execute_input", "stream", "execute_result"],
  );
  assert.ok(mine.every((o) => o.msg_id === result.msg_id));
});

test("run_cell: tracebacks name the buffer's path and line", { timeout: 30000 }, async () => {
  const text = "## one\nx = 1\n## two\ny = x / 0\n";
  const result = await bridge.request("run_cell", { path: "/home/ada/t.py", text, line: 3, scope: "below" });
  assert.equal(result.status, "error");
  assert.equal(result.runs[0].cell?.title, "## two");
  const tb = result.runs[0].error?.traceback.join("\n").replace(/\x1b\[[0-9;]*m/g, "") ?? "";
  assert.match(tb, /File "\/home\/ada\/t\.py", line 4/);
});

test("input_request is answered with input_reply", { timeout: 30000 }, async () => {
  const asked = waitFor<{ id: string; prompt: string }>((h) => bridge.on("input_request", h));
  const running = bridge.request("execute", { code: "print(input('name? ').upper())", tag: "t-in" });
  const req = await asked;
  assert.equal(req.prompt, "name? ");
  assert.deepEqual(await bridge.request("input_reply", { value: "ada", request: req.id }), { answered: true });
  const result = await running;
  const text = outputs
    .filter((o) => o.msg_id === result.msg_id && o.msg_type === "stream")
    .map((o) => o.content.text)
    .join("");
  assert.equal(text, "ADA\n");
});

test("complete and inspect count UTF-16 units, as VS Code does", { timeout: 30000 }, async () => {
  await bridge.request("execute", { code: "import os" });
  const code = "s = '\u{1F600}'; os.path.jo";
  const r = await bridge.request("complete", { code, cursor: code.length });
  assert.ok(r.matches.includes("join"));
  assert.equal(code.slice(r.cursor_start, r.cursor_end), "jo");
  const call = "s = '\u{1F600}'; os.path.join('a', ";
  const tip = (await bridge.request("inspect", { code: call, cursor: call.length })).calltip;
  assert.equal(tip?.name, "os.path.join");
  assert.equal(tip?.active_param, 1);
});

test("aborting a request cancels the wait, not the cell", { timeout: 30000 }, async () => {
  const controller = new AbortController();
  const busy = waitFor<{ state: string }>((h) => bridge.on("status", (n) => n.state === "busy" && h(n)));
  const running = bridge.request(
    "execute",
    { code: "import time\ntime.sleep(0.5)\nprint('finished')", tag: "t-abort" },
    { signal: controller.signal },
  );
  await busy;
  controller.abort();
  await assert.rejects(running, (e: unknown) => e instanceof RpcError && e.code === ERROR_CODES.requestCancelled);
  await until(
    () => outputs.some((o) => o.tag === "t-abort" && o.content.text === "finished\n"),
    10000,
    "the late output",
  );
});

test("errors carry their JSON-RPC code", { timeout: 30000 }, async () => {
  await assert.rejects(
    bridge.request("execute", { kernel: "nope", code: "1" }),
    (e: unknown) => e instanceof RpcError && e.code === ERROR_CODES.unknownKernel,
  );
  // a parameter the schema does not know
  await assert.rejects(
    bridge.request("execute", { code: "1", colour: "red" } as never),
    (e: unknown) => e instanceof RpcError && e.code === ERROR_CODES.invalidParams,
  );
});

test("pending requests fail when the bridge goes away", { timeout: 30000 }, async () => {
  const other = spawnBridge();
  const pid = (await other.request("start", {})).pid ?? 0;
  const running = other.request("execute", { code: "import time\ntime.sleep(30)" });
  process.kill(other.pid ?? 0, "SIGKILL");
  await assert.rejects(running, /the bridge exited/);
  assert.equal(other.closed, true);
  await assert.rejects(other.request("interrupt", {}), /the bridge exited/);
  // an orphaned kernel notices its parent is gone and exits by itself
  await until(() => processGone(pid), 15000, "the orphaned kernel's exit");
});
