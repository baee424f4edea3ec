// The hand-written TypeScript API (src/protocol.ts) names the same methods, notifications and error codes as the
// schema generated from the Python models (docs/bridge-schema.json).

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { ERROR_CODES, METHOD_NAMES, NOTIFICATION_NAMES } from "../src/protocol";
import { REPO } from "./helpers";

const schema = JSON.parse(fs.readFileSync(path.join(REPO, "docs", "bridge-schema.json"), "utf8"));

test("methods and notifications match the schema", () => {
  assert.deepEqual(Object.keys(METHOD_NAMES).sort(), Object.keys(schema.methods).sort());
  assert.deepEqual(Object.keys(NOTIFICATION_NAMES).sort(), Object.keys(schema.notifications).sort());
});

test("error codes match the schema", () => {
  assert.deepEqual(Object.values(ERROR_CODES).map(String).sort(), Object.keys(schema.errors).sort());
});

test("the params the extension sends are properties the schema knows", () => {
  const props = (name: string): string[] => Object.keys(schema.$defs[name].properties);
  assert.ok(
    ["kernel", "path", "text", "line", "scope", "end_line", "cwd", "tag"].every((p) =>
      props("RunCellParams").includes(p),
    ),
  );
  assert.ok(["kernel", "code", "cursor", "encoding"].every((p) => props("CompleteParams").includes(p)));
  assert.ok(["kernel", "value", "request"].every((p) => props("InputReplyParams").includes(p)));
  assert.ok(["kernel", "argv", "cwd"].every((p) => props("StartParams").includes(p)));
});
