import assert from "node:assert/strict";
import { test } from "node:test";

import { FrameDecoder, FramingError, encodeFrame } from "../src/framing";

test("Content-Length counts UTF-8 bytes", () => {
  const frame = encodeFrame({ text: "h\u00e9llo \u{1F600}" });
  const split = frame.indexOf("\r\n\r\n");
  const body = frame.subarray(split + 4);
  assert.equal(frame.subarray(0, split).toString(), `Content-Length: ${body.length}`);
  assert.ok(body.length > body.toString("utf8").length);
});

test("bodies are reassembled from single bytes, multi-byte characters split across chunks", () => {
  const stream = Buffer.concat([encodeFrame({ a: "\u00e9\u{1F600}" }), encodeFrame([1, 2]), encodeFrame("x")]);
  const decoder = new FrameDecoder();
  const bodies: Buffer[] = [];
  for (let i = 0; i < stream.length; i++) bodies.push(...decoder.feed(stream.subarray(i, i + 1)));
  assert.deepEqual(
    bodies.map((b) => JSON.parse(b.toString("utf8"))),
    [{ a: "\u00e9\u{1F600}" }, [1, 2], "x"],
  );
});

test("other headers are allowed, a missing or bad Content-Length is not", () => {
  const ok = Buffer.from("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}");
  assert.deepEqual(new FrameDecoder().feed(ok).map(String), ["{}"]);
  assert.throws(() => new FrameDecoder().feed(Buffer.from("Content-Type: x\r\n\r\n")), FramingError);
  assert.throws(() => new FrameDecoder().feed(Buffer.from("Content-Length: 1e3\r\n\r\n")), FramingError);
});
