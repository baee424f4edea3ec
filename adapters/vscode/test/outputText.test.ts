import assert from "node:assert/strict";
import { test } from "node:test";

import { renderOutput, stripAnsi, summarize, tracebackFrames } from "../src/outputText";
import type { OutputNotification } from "../src/protocol";

const out = (msg_type: string, content: Record<string, unknown>): OutputNotification => ({
  kernel: "k",
  msg_id: "m",
  tag: null,
  msg_type,
  content,
});

test("streams, inputs, values and displays read as a console would", () => {
  assert.equal(renderOutput(out("stream", { name: "stdout", text: "a\nb" })), "a\nb");
  assert.equal(
    renderOutput(out("execute_input", { code: "x = 1\ny = 2\n", execution_count: 3 })),
    "In [3]: x = 1\n   ...: y = 2\n",
  );
  assert.equal(
    renderOutput(out("execute_result", { data: { "text/plain": "42" }, execution_count: 3 })),
    "Out[3]: 42\n",
  );
  assert.equal(renderOutput(out("display_data", { data: { "image/png": "..." } })), "<image/png>\n");
  assert.equal(renderOutput(out("clear_output", {})), "");
});

test("tracebacks lose their colours and keep their frames", () => {
  const tb = [
    "Traceback (most recent call last):",
    '  File "\x1b[0;32m/p/a.py\x1b[0m", line \x1b[1;32m8\x1b[0m, in \x1b[0;36m<module>\x1b[0m',
    "    1/0",
    "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
  ];
  const text = renderOutput(out("error", { ename: "ZeroDivisionError", evalue: "division by zero", traceback: tb }));
  assert.equal(
    text,
    `Traceback (most recent call last):\n  File "/p/a.py", line 8, in <module>\n    1/0\nZeroDivisionError: division by zero\n`,
  );
  assert.deepEqual(tracebackFrames(tb), [{ path: "/p/a.py", line: 8 }]);
  assert.equal(stripAnsi("\x1b[?25lx\x1b[0m"), "x");
});

test("a summary line per run", () => {
  const base = { msg_id: "m", execution_count: 4, result: null, cell: null };
  assert.equal(summarize({ ...base, status: "ok", error: null }), "[4] ok");
  assert.equal(summarize({ ...base, status: "error", error: { ename: "E", evalue: "v", traceback: [] } }), "[4] E: v");
});
