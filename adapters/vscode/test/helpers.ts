// Shared by the tests: where the repository and its Python are, and a bridge of this checkout.

import * as fs from "node:fs";
import * as path from "node:path";

import { BridgeClient } from "../src/bridgeClient";

/** adapters/vscode/out/test -> the repository root. */
export const REPO = path.resolve(__dirname, "..", "..", "..", "..");
export const FIXTURES = path.resolve(__dirname, "..", "..", "test", "fixtures");

/** IPYKERNEL_LITE_PYTHON, else the repository's .venv, else python3. */
export function python(): string {
  const fromEnv = process.env.IPYKERNEL_LITE_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = path.join(REPO, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  return fs.existsSync(venv) ? venv : "python3";
}

/** The environment for a bridge that imports this checkout of ipykernel_lite. */
export function bridgeEnv(): NodeJS.ProcessEnv {
  const parts = [REPO, process.env.PYTHONPATH].filter((p): p is string => !!p);
  return { ...process.env, PYTHONPATH: parts.join(path.delimiter) };
}

export function spawnBridge(): BridgeClient {
  return BridgeClient.spawn({ python: python(), env: bridgeEnv() });
}

/** Resolves with the first value `take` returns for a notification; rejects after `ms`. */
export function waitFor<T>(
  subscribe: (handler: (value: T) => void) => () => void,
  ms = 10000,
  what = "a notification",
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    const off = subscribe((value) => {
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Polls `check` until it returns a value other than undefined/false; bounded. */
export async function until<T>(check: () => T | undefined | false, ms = 10000, what = "a condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
