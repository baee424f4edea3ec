// kernelPicker.ts against a made-up machine in a temporary folder: interpreters on PATH, a workspace venv,
// pyenv versions, and kernelspecs in Jupyter's data folders.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";

import { findInterpreters, findKernelspecs, jupyterDataDirs, kernelChoices } from "../src/kernelPicker";
import { bridgeEnv, python } from "./helpers";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "picker-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function exe(file: string, target?: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (target) fs.symlinkSync(target, file);
  else fs.writeFileSync(file, "#!/bin/sh\necho 3.12.1 False\n", { mode: 0o755 });
  return file;
}

test("interpreters: PATH names, the workspace venv, pyenv; one entry per real binary", async () => {
  const bin = path.join(root, "usr", "bin");
  const real = exe(path.join(bin, "python3.12"));
  exe(path.join(bin, "python3"), real); // the same interpreter under two names
  fs.writeFileSync(path.join(bin, "python3-config"), "", { mode: 0o755 }); // not an interpreter
  const workspace = path.join(root, "project");
  const venvPython = exe(path.join(workspace, ".venv", "bin", "python"), real);
  fs.writeFileSync(path.join(workspace, ".venv", "pyvenv.cfg"), "home = /usr/bin\n");
  const pyenv = exe(path.join(root, "pyenv", "versions", "3.11.7", "bin", "python"));
  const found = await findInterpreters({ PATH: bin, HOME: root, PYENV_ROOT: path.join(root, "pyenv") }, [workspace]);
  assert.equal(found.length, 3, found.join());
  assert.equal(found[0], venvPython, "the workspace's venv comes first, although it links to the PATH's python");
  assert.ok([path.join(bin, "python3"), real].includes(found[1]), "python3 and python3.12 are one interpreter");
  assert.equal(found[2], pyenv);
});

test("kernelspecs: argv with {connection_file}, display names, first of a name wins", async () => {
  const user = path.join(root, "user-data");
  const system = path.join(root, "system-data");
  const write = (dir: string, name: string, spec: unknown): void => {
    fs.mkdirSync(path.join(dir, "kernels", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "kernels", name, "kernel.json"), typeof spec === "string" ? spec : JSON.stringify(spec));
  };
  write(user, "ipykernel_lite", { argv: ["/venv/bin/python", "-m", "ipykernel_lite", "-f", "{connection_file}"], display_name: "ipykernel_lite", language: "python" });
  write(system, "ipykernel_lite", { argv: ["/usr/bin/python3", "-m", "ipykernel_lite", "-f", "{connection_file}"], display_name: "shadowed" });
  write(system, "python3", { argv: ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], display_name: "Python 3 (ipykernel)", language: "python" });
  write(system, "broken", "{ not json");
  const specs = await findKernelspecs([user, system]);
  assert.deepEqual(
    specs.map((s) => [s.label, s.argv[0], s.description]),
    [
      ["ipykernel_lite", "/venv/bin/python", "kernelspec ipykernel_lite · python"],
      ["Python 3 (ipykernel)", "python3", "kernelspec python3 · python"],
    ],
  );
  assert.deepEqual(jupyterDataDirs({ HOME: "/h", JUPYTER_PATH: "/j" }, ["/env"]), [
    "/j",
    "/h/.local/share/jupyter",
    "/env/share/jupyter",
    "/usr/local/share/jupyter",
    "/usr/share/jupyter",
  ]);
});

test("a real interpreter with ipykernel_lite is offered as a kernel command line", { timeout: 30000 }, async () => {
  // the interpreter the other tests use, as an absolute path (python() may be a bare "python3")
  const py = execFileSync(python(), ["-c", "import sys; print(sys.executable)"], { env: bridgeEnv() }).toString().trim();
  const choices = await kernelChoices({ ...bridgeEnv(), PATH: path.dirname(py), HOME: root }, []);
  const mine = choices.find((c) => c.kind === "interpreter" && c.hasKernel);
  assert.ok(mine, JSON.stringify(choices));
  assert.deepEqual(mine.argv.slice(1), ["-m", "ipykernel_lite", "-f", "{connection_file}"]);
  assert.match(mine.label, /^Python 3\.\d+\.\d+$/);
});
