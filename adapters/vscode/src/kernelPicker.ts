// What the kernel picker offers: the Python interpreters found on this machine (PATH, the workspace's virtual
// environments, pyenv and conda) and the installed Jupyter kernelspecs. Plain module (no vscode import); each
// choice is a kernel command line for the bridge's `start` (`kernelArgv`).

import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";

export interface KernelChoice {
  kind: "interpreter" | "kernelspec";
  /** What the picker shows. */
  label: string;
  /** Where it is (the interpreter's path, the kernelspec's folder). */
  detail: string;
  /** The kernel's command line with {connection_file}. */
  argv: string[];
  /** Python version, or the kernelspec's language. */
  description: string;
  /** Interpreters: whether `import ipykernel_lite` works there. */
  hasKernel?: boolean;
}

const PYTHON_NAME = /^python3(\.\d+)?$/;

async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/** Candidate interpreter paths, deduplicated by real path (the first name found for each is kept). */
export async function findInterpreters(env: NodeJS.ProcessEnv, folders: readonly string[]): Promise<string[]> {
  const home = env.HOME ?? os.homedir();
  const candidates: string[] = [];
  for (const folder of folders) {
    for (const venv of [".venv", "venv", "env", ".env"]) candidates.push(path.join(folder, venv, "bin", "python"));
  }
  if (env.VIRTUAL_ENV) candidates.push(path.join(env.VIRTUAL_ENV, "bin", "python"));
  if (env.CONDA_PREFIX) candidates.push(path.join(env.CONDA_PREFIX, "bin", "python"));
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    for (const name of await listDir(dir)) if (PYTHON_NAME.test(name)) candidates.push(path.join(dir, name));
  }
  const pyenv = path.join(env.PYENV_ROOT ?? path.join(home, ".pyenv"), "versions");
  for (const v of await listDir(pyenv)) candidates.push(path.join(pyenv, v, "bin", "python"));
  for (const base of ["miniconda3", "anaconda3", "miniforge3", "mambaforge"]) {
    const envs = path.join(home, base, "envs");
    candidates.push(path.join(home, base, "bin", "python"));
    for (const e of await listDir(envs)) candidates.push(path.join(envs, e, "bin", "python"));
  }
  const seen = new Set<string>();
  const found: string[] = [];
  for (const c of candidates) {
    if (!(await isExecutable(c))) continue;
    // a venv's python links to its base interpreter, but it is another environment: a venv is keyed by its
    // folder, any other interpreter by its real binary (python3 and python3.11 in /usr/bin are one)
    const envDir = path.dirname(path.dirname(c));
    const isVenv = await fs.stat(path.join(envDir, "pyvenv.cfg")).then(() => true, () => false);
    const key = isVenv ? envDir : await fs.realpath(c).catch(() => c);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(c);
  }
  return found;
}

/** `python --version` and whether ipykernel_lite imports there (one short process per interpreter). */
export function probeInterpreter(
  python: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 5000,
): Promise<{ version: string; hasKernel: boolean }> {
  const code =
    "import sys, importlib.util as u; print('%d.%d.%d' % sys.version_info[:3], u.find_spec('ipykernel_lite') is not None)";
  return new Promise((resolve) => {
    execFile(python, ["-c", code], { timeout: timeoutMs, env }, (err, stdout) => {
      const [version, has] = String(stdout).trim().split(" ");
      resolve(err || !version ? { version: "?", hasKernel: false } : { version, hasKernel: has === "True" });
    });
  });
}

/** Jupyter's data folders, in its search order (JUPYTER_PATH, user, environment, system). */
export function jupyterDataDirs(env: NodeJS.ProcessEnv, prefixes: readonly string[] = []): string[] {
  const home = env.HOME ?? os.homedir();
  const dirs = (env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean);
  dirs.push(env.JUPYTER_DATA_DIR ?? path.join(env.XDG_DATA_HOME ?? path.join(home, ".local", "share"), "jupyter"));
  for (const prefix of prefixes) dirs.push(path.join(prefix, "share", "jupyter"));
  dirs.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return [...new Set(dirs)];
}

/** Installed kernelspecs (the first of each name wins, as in Jupyter). */
export async function findKernelspecs(dataDirs: readonly string[]): Promise<KernelChoice[]> {
  const found = new Map<string, KernelChoice>();
  for (const dir of dataDirs) {
    const kernels = path.join(dir, "kernels");
    for (const name of (await listDir(kernels)).sort()) {
      if (found.has(name.toLowerCase())) continue;
      const folder = path.join(kernels, name);
      try {
        const spec = JSON.parse(await fs.readFile(path.join(folder, "kernel.json"), "utf8")) as {
          argv?: unknown;
          display_name?: unknown;
          language?: unknown;
        };
        if (!Array.isArray(spec.argv) || !spec.argv.every((a) => typeof a === "string")) continue;
        found.set(name.toLowerCase(), {
          kind: "kernelspec",
          label: typeof spec.display_name === "string" ? spec.display_name : name,
          description: `kernelspec ${name}${typeof spec.language === "string" ? ` · ${spec.language}` : ""}`,
          detail: folder,
          argv: (spec.argv as string[]).map((a) => a.replace("{resource_dir}", folder)),
        });
      } catch {
        // not a kernelspec (no or bad kernel.json): skip it
      }
    }
  }
  return [...found.values()];
}

/** Every choice: interpreters first (each probed), then kernelspecs. */
export async function kernelChoices(env: NodeJS.ProcessEnv, folders: readonly string[]): Promise<KernelChoice[]> {
  const interpreters = await findInterpreters(env, folders);
  const probed = await Promise.all(interpreters.map((p) => probeInterpreter(p, env)));
  const choices: KernelChoice[] = interpreters.map((python, i) => ({
    kind: "interpreter",
    label: `Python ${probed[i].version}`,
    description: probed[i].hasKernel ? "ipykernel_lite" : "ipykernel_lite not installed",
    detail: python,
    argv: [python, "-m", "ipykernel_lite", "-f", "{connection_file}"],
    hasKernel: probed[i].hasKernel,
  }));
  const prefixes = interpreters.map((p) => path.dirname(path.dirname(p)));
  return [...choices, ...(await findKernelspecs(jupyterDataDirs(env, prefixes)))];
}
