// richOutput.ts: what the interactive window is sent for each kind of output, and what the HTML allow-list keeps.

import assert from "node:assert/strict";
import { test } from "node:test";

import type { OutputNotification } from "../src/protocol";
import { ansiToHtml, bundleHtml, sanitizeHtml, tracebackHtml, windowMessage } from "../src/richOutput";

const out = (msg_type: string, content: Record<string, unknown>): OutputNotification => ({
  kernel: "k",
  msg_id: "m1",
  tag: null,
  msg_type,
  content,
});

test("ANSI colours become classes; text is escaped", () => {
  assert.equal(ansiToHtml("\x1b[0;31mZeroDivisionError\x1b[0m: <b>"), '<span class="ansi-fg-1">ZeroDivisionError</span>: &lt;b&gt;');
  assert.equal(ansiToHtml("\x1b[1;32mok\x1b[22m!\x1b[39m"), '<span class="ansi-fg-2 ansi-bold">ok</span><span class="ansi-fg-2">!</span>');
  assert.equal(ansiToHtml("\x1b[38;5;9mx\x1b[38;5;200my\x1b[2K"), '<span class="ansi-fg-9">x</span>y');
});

test("the HTML allow-list keeps tables and styles, drops scripts, handlers, frames and unsafe URLs", () => {
  const df =
    '<div><style scoped>.dataframe td { color: red }</style><table border="1" class="dataframe"><thead><tr><th>a</th></tr></thead>' +
    "<tbody><tr><td>1</td></tr></tbody></table></div>";
  assert.equal(sanitizeHtml(df), df.replace("<style scoped>", "<style>"));
  assert.equal(sanitizeHtml('<img src="x" onerror="alert(1)">'), "<img>");
  assert.equal(sanitizeHtml('<img src="data:image/png;base64,AAAA">'), '<img src="data:image/png;base64,AAAA">');
  assert.equal(sanitizeHtml("<script>alert(1)</script><b>ok</b>"), "<b>ok</b>");
  assert.equal(sanitizeHtml('<a href="javascript:alert(1)">x</a>'), '<a rel="noreferrer">x</a>');
  assert.equal(sanitizeHtml('<a href="https://pandas.pydata.org">x</a>'), '<a href="https://pandas.pydata.org" rel="noreferrer">x</a>');
  assert.equal(sanitizeHtml("<iframe src='https://x'></iframe><svg onload=alert(1)><circle/></svg>1 < 2"), "1 &lt; 2");
  assert.equal(sanitizeHtml('<p style="background: url(https://x/t.png)">p</p>'), "<p>p</p>");
  assert.equal(sanitizeHtml("<custom-el>text</custom-el><!-- note -->"), "text");
});

test("bundles: the richest type wins; images as data URLs; markdown rendered or shown as text", async () => {
  const png = await bundleHtml({ "image/png": "iVBORw0KGgo=\n", "text/plain": "<Figure>" });
  assert.equal(png?.mime, "image/png");
  assert.equal(png?.html, '<img class="image" alt="image/png" src="data:image/png;base64,iVBORw0KGgo=">');
  const svg = await bundleHtml({ "image/svg+xml": "<svg/>" });
  assert.match(svg!.html, /^<img class="image" alt="SVG image" src="data:image\/svg\+xml;base64,PHN2Zy8\+">$/);
  assert.equal((await bundleHtml({ "image/jpeg": "not base64 <>" }))?.mime, undefined);
  const md = await bundleHtml({ "text/markdown": "# Title", "text/plain": "Title" }, async (t) => `<h1>${t.slice(2)}</h1><script>x</script>`);
  assert.equal(md?.html, '<div class="markdown"><h1>Title</h1></div>');
  const mdText = await bundleHtml({ "text/markdown": "*a* <b>" });
  assert.equal(mdText?.html, '<pre class="markdown">*a* &lt;b&gt;</pre>');
  assert.equal((await bundleHtml({ "text/latex": "$x^2$" }))?.html, '<pre class="latex" title="LaTeX">$x^2$</pre>');
  assert.equal((await bundleHtml({ "application/json": { a: [1] } }))?.html, '<pre class="json">{\n  &quot;a&quot;: [\n    1\n  ]\n}</pre>');
  assert.equal(await bundleHtml({ "application/x-unknown": "?" }), null);
});

test("tracebacks: every File line links to its file and line", () => {
  const html = tracebackHtml([
    "Traceback (most recent call last):",
    '  File "\x1b[0;32m/home/ada/circle.py\x1b[0m", line \x1b[1;32m9\x1b[0m, in \x1b[0;36m<module>\x1b[0m',
    "    ratio = math.pi / radius",
    "\x1b[0;31mZeroDivisionError\x1b[0m: float division by zero",
  ]);
  assert.match(html, /  File &quot;<a class="frame" href="#" data-path="\/home\/ada\/circle.py" data-line="9" [^>]*>\/home\/ada\/circle.py&quot;, line 9<\/a>, in &lt;module&gt;/);
  assert.match(html, /<span class="ansi-fg-1">ZeroDivisionError<\/span>: float division by zero<\/pre>$/);
});

test("notifications become window messages: runs, streams, displays, updates, clears, errors", async () => {
  assert.deepEqual(await windowMessage(out("execute_input", { code: "1", execution_count: 4 }), undefined, "a.py:3"), {
    type: "run",
    run: "m1",
    count: 4,
    code: "1",
    origin: "a.py:3",
  });
  assert.deepEqual(await windowMessage(out("stream", { name: "stderr", text: "w\n" })), {
    type: "output",
    run: "m1",
    kind: "stream",
    stream: "stderr",
    html: "w\n",
    displayId: null,
  });
  const result = await windowMessage(out("execute_result", { data: { "text/plain": "42" }, execution_count: 4 }));
  assert.equal(result?.type === "output" && result.html, '<span class="out-prompt">Out[4]:</span><pre class="text">42</pre>');
  const shown = await windowMessage(out("display_data", { data: { "text/plain": "a" }, transient: { display_id: "d1" } }));
  assert.equal(shown?.type === "output" && shown.displayId, "d1");
  assert.deepEqual(await windowMessage(out("update_display_data", { data: { "text/plain": "b" }, transient: { display_id: "d1" } })), {
    type: "update",
    displayId: "d1",
    html: '<pre class="text">b</pre>',
  });
  assert.deepEqual(await windowMessage(out("clear_output", { wait: true })), { type: "clear", run: "m1", wait: true });
  const error = await windowMessage(out("error", { ename: "E", evalue: "v", traceback: [] }));
  assert.equal(error?.type === "output" && error.html, '<pre class="traceback">E: v</pre>');
  assert.equal(await windowMessage(out("status", {})), null);
});
