// extension.ts and providers.ts driven through the vscode stub (test/vscodeStub.ts) against the real bridge and
// kernel: activation, the commands package.json declares, CodeLens, completion, signature help, hover, input
// boxes, the debugger's line marker, the status bar and a kernel death. What the stub cannot tell is how VS Code
// itself renders these; tsc checks every call against @types/vscode.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { after, before, test } from "node:test";

import { bridgeEnv, python, until } from "./helpers";
import * as vscode from "./vscodeStub";

type Extension = typeof import("../src/extension");

const moduleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleInternals._load;
moduleInternals._load = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === "vscode" ? vscode : originalLoad.call(this, request, ...rest);
};
// required, not imported: it must load after the hook above
const ext = require("../src/extension") as Extension;

const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8"));
const token = (): vscode.CancellationTokenSource["token"] => new vscode.CancellationTokenSource().token;
const rec = vscode.recorded;

const BUFFER = `import os

## Setup
greeting = 'hello'

## Shout
print(greeting.upper())

## Ask
answer = input('your name? ')
print('hi', answer)
`;

let adapter: ReturnType<Extension["activate"]>;
const doc = new vscode.TextDocument(vscode.Uri.file("/home/ada/shout.py"), BUFFER);
const subscriptions: { dispose(): unknown }[] = [];

before(() => {
  vscode.configuration.python = python();
  process.env.PYTHONPATH = bridgeEnv().PYTHONPATH;
  vscode.openEditor(doc);
  adapter = ext.activate({ subscriptions } as never);
});

after(async () => {
  const link = adapter.link;
  await ext.deactivate();
  assert.equal(link.state, "none");
  for (const s of subscriptions) s.dispose();
});

const run = (name: string, ...args: unknown[]): Promise<unknown> =>
  vscode.commands.executeCommand(`ipykernelLite.${name}`, ...args);

test("every command package.json declares is registered, and only those", () => {
  const declared = packageJson.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual([...rec.commands.keys()].sort(), declared);
  for (const k of packageJson.contributes.keybindings) assert.ok(rec.commands.has(k.command), k.command);
  assert.equal(packageJson.main, "./out/src/extension.js");
});

test("CodeLens: Run Cell, Run Below and Debug Cell on each code cell's marker", () => {
  const lenses = rec.providers.get("codeLens").provideCodeLenses(doc) as vscode.CodeLens[];
  const shown = lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments?.[1]]);
  assert.deepEqual(shown, [
    [2, "Run Cell", 3],
    [2, "Run Below", 3],
    [2, "Debug Cell", 3],
    [5, "Run Cell", 6],
    [5, "Run Below", 6],
    [5, "Debug Cell", 6],
    [8, "Run Cell", 9],
    [8, "Run Below", 9],
    [8, "Debug Cell", 9],
  ]);
});

test("completion and hover stay quiet until a kernel runs", async () => {
  assert.equal(adapter.link.running, false);
  const items = await rec.providers.get("completion").provideCompletionItems(doc, new vscode.Position(0, 9), token());
  assert.equal(items, undefined);
});

test("Run Cell from a CodeLens runs that cell; output and status reach the editor", { timeout: 60000 }, async () => {
  await run("runCell", doc.uri, 3);
  await run("runCell", doc.uri, 6);
  assert.match(rec.output, /In \[2\]: print\(greeting.upper\(\)\)\nHELLO\n/);
  assert.ok(rec.statusTexts.some((t) => t.includes("busy")));
  assert.ok(rec.statusTexts.at(-1)?.includes("idle"));
});

test(
  "Run Selection sends the selected lines; an empty selection runs the cursor's line",
  { timeout: 30000 },
  async () => {
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(3, 0, 4, 0); // line 4 selected, ending at the start of line 5
    await run("runSelection");
    assert.match(rec.output, /In \[3\]: greeting = 'hello'\n/);
    editor.selection = new vscode.Selection(0, 3, 0, 3);
    await run("runSelection");
    assert.match(rec.output, /In \[4\]: import os\n/);
  },
);

test("input() opens an input box; the answer goes back to the kernel", { timeout: 30000 }, async () => {
  const boxes = rec.inputBoxes.length;
  const running = run("runCell", doc.uri, 9);
  const box = await until(() => rec.inputBoxes[boxes], 10000, "the input box");
  assert.equal(box.options.placeHolder, "your name? ");
  box.answer("ada");
  await running;
  assert.match(rec.output, /your name\? ada\nhi ada\n/);
});

test("the interactive window shows each run's code and outputs, in order", { timeout: 30000 }, async () => {
  const panel = rec.panels[0];
  assert.ok(panel, "a webview panel opened on the first run");
  panel.fromPage({ type: "ready" }); // the page loaded: what was queued for it is posted
  assert.ok(panel.posted.some((m) => m.type === "run"), "runs before the page was ready were queued, not lost");
  const before = panel.posted.length;
  await run("runCell", doc.uri, 6);
  assert.equal(rec.panels.length, 1, "one window for every run");
  const mine = await until(
    () => {
      const posted = panel.posted.slice(before);
      return posted.some((m) => m.type === "output") ? posted : undefined;
    },
    5000,
    "the output",
  );
  assert.deepEqual(
    mine.map((m) => m.type),
    ["run", "output"],
  );
  assert.equal(mine[0].code, "print(greeting.upper())\n");
  assert.equal(mine[0].origin, "shout.py:6");
  assert.equal(mine[1].kind, "stream");
  assert.equal(mine[1].html, "HELLO\n");
});

test("rich outputs reach the window as HTML: an image, a table, an error with frame links", { timeout: 30000 }, async () => {
  const panel = rec.panels[0];
  const code =
    "## rich\n" +
    "import base64\n" +
    "from ipykernel_lite.display import display\n" +
    "class T:\n    def _repr_html_(self):\n        return '<table><tr><td onclick=\"x()\">7</td></tr></table><script>bad()</script>'\n" +
    "display(T())\n" +
    "def fail():\n    return 1 / 0\n" +
    "fail()\n";
  const scratch = new vscode.TextDocument(vscode.Uri.untitled("Untitled-2"), code);
  vscode.openEditor(scratch);
  const before = panel.posted.length;
  await run("runCell", scratch.uri, 1);
  // outputs reach the page through an ordered chain of renders: wait for the last one
  await until(() => panel.posted.slice(before).find((m) => m.kind === "error"), 5000, "the error output");
  const posted = panel.posted.slice(before);
  const table = posted.find((m) => m.kind === "text/html");
  assert.ok(table, JSON.stringify(posted));
  assert.match(table.html, /<table><tr><td>7<\/td><\/tr><\/table>/);
  assert.doesNotMatch(table.html, /script|onclick/);
  const error = posted.find((m) => m.kind === "error");
  assert.match(error.html, /<a class="frame" href="#" data-path="Untitled-2" data-line="9"/);
  // clicking the frame (the page posts "open") puts the cursor on that line of the unsaved buffer
  vscode.openEditor(doc);
  panel.fromPage({ type: "open", path: "Untitled-2", line: 9 });
  await until(() => vscode.window.activeTextEditor?.document === scratch || undefined, 5000, "the buffer shown");
  assert.equal(vscode.window.activeTextEditor!.selection.start.line, 8);
  // the click also focuses the panel, which VS Code may apply after the message arrives: the buffer opens
  // after that, or the panel's focus would take the editor's back
  vscode.openEditor(doc);
  panel.setActive(false);
  panel.fromPage({ type: "open", path: "Untitled-2", line: 4 });
  await new Promise((r) => setTimeout(r, 50));
  assert.notEqual(vscode.window.activeTextEditor?.document, scratch, "opened before the panel's focus applied");
  panel.setActive(true);
  await until(() => vscode.window.activeTextEditor?.document === scratch || undefined, 5000, "the buffer shown");
  assert.equal(vscode.window.activeTextEditor!.selection.start.line, 3);
  vscode.openEditor(doc);
});

test("the Kernel Variables view lists the kernel's variables and expands containers", { timeout: 30000 }, async () => {
  const provider = rec.treeViews.get("ipykernelLite.variables");
  assert.ok(provider);
  const scratch = new vscode.TextDocument(vscode.Uri.file("/home/ada/vars.py"), "scores = {'ada': 3}\n");
  vscode.openEditor(scratch);
  await run("runFile", scratch.uri);
  const items = await provider.getChildren();
  const scores = items.find((i: { label: string }) => i.label === "scores");
  assert.ok(scores, items.map((i: { label: string }) => i.label).join());
  assert.equal(scores.description, "dict (1) = {'ada': 3}");
  const inner = await provider.getChildren(scores);
  assert.deepEqual(
    inner.map((i: { label: string; description: string }) => [i.label, i.description]),
    [["'ada'", "int = 3"]],
  );
  vscode.openEditor(doc);
});

test("Shift+Enter is ours only where the Python and Jupyter extensions cannot take it", () => {
  assert.equal(rec.contexts.get("ipykernelLite.ownsShiftEnter"), true);
  const none = (): boolean => false;
  const python = (id: string): boolean => id === "ms-python.python";
  assert.equal(ext.ownsShiftEnter("auto", none), true);
  assert.equal(ext.ownsShiftEnter("auto", python), false);
  assert.equal(ext.ownsShiftEnter("always", python), true);
  assert.equal(ext.ownsShiftEnter("never", none), false);
  const bindings = packageJson.contributes.keybindings as { key: string; when: string; mac?: string }[];
  assert.ok(!bindings.some((b) => b.key === "ctrl+enter"), "Ctrl+Enter stays VS Code's insert line below");
  for (const b of bindings) assert.match(b.when, /editorLangId == python/);
  const shiftEnter = bindings.find((b) => b.key === "shift+enter");
  assert.match(shiftEnter!.when, /ipykernelLite\.ownsShiftEnter/);
  assert.match(shiftEnter!.when, /!jupyter\.ownsSelection/);
});

test("completion, signature help and hover come from the live namespace", { timeout: 30000 }, async () => {
  const text = "os.path.jo";
  const typing = new vscode.TextDocument(vscode.Uri.untitled("Untitled-1"), text);
  const items = (await rec.providers
    .get("completion")
    .provideCompletionItems(typing, new vscode.Position(0, text.length), token())) as vscode.CompletionItem[];
  const join = items.find((i) => i.label === "join");
  assert.ok(join);
  assert.deepEqual([join.range?.start.character, join.range?.end.character], [8, 10]);

  const call = new vscode.TextDocument(vscode.Uri.untitled("Untitled-1"), "greeting.replace('l', ");
  const help = (await rec.providers
    .get("signature")
    .provideSignatureHelp(call, new vscode.Position(0, 23), token())) as vscode.SignatureHelp;
  assert.equal(help.activeParameter, 1);
  const sig = help.signatures[0];
  const labels = sig.parameters.map((p) => (typeof p.label === "string" ? p.label : sig.label.slice(...p.label)));
  assert.ok(labels.length >= 2 && labels[0].startsWith("old"), labels.join());

  const hoverDoc = new vscode.TextDocument(vscode.Uri.untitled("Untitled-1"), "print(greeting)");
  const hover = (await rec.providers
    .get("hover")
    .provideHover(hoverDoc, new vscode.Position(0, 9), token())) as vscode.Hover;
  assert.match(hover.contents.value, /str/); // greeting, not print: the name under the mouse
  assert.doesNotMatch(hover.contents.value, /print\(/);
});

test("Pause stops in the debugger: the line is marked, pdb asks in an input box", { timeout: 30000 }, async () => {
  const loop = new vscode.TextDocument(
    vscode.Uri.file("/home/ada/loop.py"),
    "import time\nfor i in range(1000):\n    time.sleep(0.01)\n",
  );
  vscode.openEditor(loop);
  const boxes = rec.inputBoxes.length;
  const running = run("runFile", loop.uri);
  await until(() => adapter.link.state === "busy" || undefined, 10000, "busy");
  await run("pause");
  const box = await until(() => rec.inputBoxes[boxes], 10000, "the pdb input box");
  assert.match(box.options.prompt ?? "", /^pdb at loop\.py:[23]/);
  const marked = rec.decorations.filter((d) => d.file === "/home/ada/loop.py" && d.ranges.length === 1);
  assert.ok([1, 2].includes(marked.at(-1)!.ranges[0].start.line));
  box.answer("q");
  await running;
  // the request ended: the marker is cleared
  await until(() => rec.decorations.at(-1)?.ranges.length === 0 || undefined, 5000, "the marker cleared");
  vscode.openEditor(doc);
});

test("Interrupt stops a running cell and closes its input box", { timeout: 30000 }, async () => {
  const boxes = rec.inputBoxes.length;
  const running = run("runCell", doc.uri, 10);
  const box = await until(() => rec.inputBoxes[boxes], 10000, "the input box");
  await run("interrupt");
  await running;
  assert.equal(box.token.isCancellationRequested, true);
  assert.match(rec.output, /KeyboardInterrupt/);
});

test("a dead kernel is shown; Restart brings it back", { timeout: 60000 }, async () => {
  const dying = new vscode.TextDocument(vscode.Uri.file("/home/ada/die.py"), "import os\nos._exit(1)\n");
  vscode.openEditor(dying);
  await run("runFile", dying.uri);
  await until(() => adapter.link.state === "dead" || undefined, 10000, "dead");
  assert.ok(rec.statusTexts.at(-1)?.includes("dead"));
  assert.ok(rec.errors.some((e) => e.startsWith("The kernel died")));
  await run("restart");
  assert.equal(adapter.link.state, "idle");
  vscode.openEditor(doc);
  await run("runCell", doc.uri, 3);
  assert.match(rec.output, /\[kernel restarted\][\s\S]*In \[1\]: greeting = 'hello'/);
});
