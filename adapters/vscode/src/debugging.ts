// The debugger in VS Code: the "ipykernel-lite" debug type, whose inline adapter (debugAdapter.ts) forwards DAP to
// the kernel through the bridge; the Debug Cell / Debug File commands; F5 without a launch.json. Breakpoints are
// VS Code's own gutter breakpoints on the buffer's real path: cells run with their origin (that path and its
// lines), so the kernel's debugpy hits them as they are.

import * as vscode from "vscode";

import { KernelDebugAdapter, type SessionRun } from "./debugAdapter";
import type { KernelLink } from "./kernelLink";
import type { DapEvent, RunScope } from "./protocol";

export const DEBUG_TYPE = "ipykernel-lite";

/** What a session runs after its breakpoints are set (debug configuration key `run`). */
export interface RunSpec {
  scope: RunScope;
  /** The buffer's URI (as a string) or a file path; default: the active editor's. */
  uri?: string;
  path?: string;
  /** 1-based line in the buffer; default: the cursor's. */
  line?: number;
}

export interface DebugHost {
  link: KernelLink;
  /** Subscribe to the kernel's DAP events. */
  onDebugEvent(handler: (event: DapEvent) => void): () => void;
  run(scope: RunScope, uri?: vscode.Uri, line?: number): Promise<void>;
  log(text: string): void;
}

function runOf(host: DebugHost, spec: RunSpec | undefined): SessionRun {
  if (!spec || !spec.scope) return null;
  const uri = spec.uri ? vscode.Uri.parse(spec.uri) : spec.path ? vscode.Uri.file(spec.path) : undefined;
  return () => host.run(spec.scope, uri, spec.line);
}

/** The run for "Debug Cell" / "Debug File": the buffer and line now, not when the session has started. */
function specNow(scope: RunScope, uri?: vscode.Uri, line?: number): RunSpec | null {
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri;
  if (!target) return null;
  const at = line ?? (editor && editor.document.uri.toString() === target.toString() ? editor.selection.start.line + 1 : 1);
  return { scope, uri: target.toString(), line: at };
}

export async function debugRun(host: DebugHost, scope: RunScope, uri?: vscode.Uri, line?: number): Promise<void> {
  const spec = specNow(scope, uri, line);
  if (!spec) return;
  if (vscode.debug.activeDebugSession?.type === DEBUG_TYPE) {
    // a session is attached already: its breakpoints are set, just run
    await host.run(spec.scope, vscode.Uri.parse(spec.uri!), spec.line);
    return;
  }
  const name = scope === "file" ? "Debug File" : "Debug Cell";
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(spec.uri!));
  await vscode.debug.startDebugging(folder, { type: DEBUG_TYPE, request: "launch", name, run: spec });
}

export function registerDebugger(context: vscode.ExtensionContext, host: DebugHost): void {
  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor(session) {
      const target = {
        debug: (request: Parameters<KernelLink["debug"]>[0]) => host.link.debug(request),
        onEvent: (handler: (event: DapEvent) => void) => host.onDebugEvent(handler),
      };
      const adapter = new KernelDebugAdapter(target, runOf(host, session.configuration.run), (t) => host.log(t));
      return new vscode.DebugAdapterInlineImplementation(adapter);
    },
  };
  const provider: vscode.DebugConfigurationProvider = {
    // F5 with no launch.json: debug the active Python file in the kernel
    resolveDebugConfiguration(_folder, config) {
      if (!config.type && !config.request && !config.name) {
        const spec = specNow("file");
        if (!spec) return undefined;
        return { type: DEBUG_TYPE, request: "launch", name: "Debug File", run: spec };
      }
      return config;
    },
  };
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.commands.registerCommand("ipykernelLite.debugCell", (uri?: vscode.Uri, line?: number) =>
      debugRun(host, "cell", uri, line),
    ),
    vscode.commands.registerCommand("ipykernelLite.debugFile", (uri?: vscode.Uri) => debugRun(host, "file", uri)),
  );
}
