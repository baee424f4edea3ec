// The VS Code side: commands, the status bar items, the interactive window and the output channel, the
// variables view, the kernel picker, input boxes for input_request and the debugger's current-line marker.
// Everything that talks to the kernel is in kernelLink.ts (plain Node); this file only translates between it and
// the editor.

import * as path from "node:path";

import * as vscode from "vscode";

import { registerDebugger } from "./debugging";
import { InteractiveWindow } from "./interactiveWindow";
import { type KernelChoice, kernelChoices } from "./kernelPicker";
import { KernelLink, type LinkSettings } from "./kernelLink";
import { renderOutput, summarize } from "./outputText";
import type {
  DapEvent,
  DebugFrameNotification,
  InputRequestNotification,
  KernelState,
  RunCellParams,
  RunScope,
} from "./protocol";
import {
  CellCodeLensProvider,
  KernelCompletionProvider,
  KernelHoverProvider,
  KernelSignatureHelpProvider,
} from "./providers";
import { VariablesProvider } from "./variablesView";

const PYTHON: vscode.DocumentSelector = [{ language: "python" }];

const STATUS_TEXT: Record<KernelState | "none", string> = {
  none: "$(circle-outline) kernel",
  "not-started": "$(circle-outline) kernel not started",
  starting: "$(loading~spin) kernel starting",
  idle: "$(circle-filled) kernel idle",
  busy: "$(sync~spin) kernel busy",
  restarting: "$(loading~spin) kernel restarting",
  stopping: "$(loading~spin) kernel stopping",
  dead: "$(error) kernel dead",
  stopped: "$(circle-outline) kernel stopped",
};

/** The name the kernel compiles a buffer under: its path, or a stable name while it is unsaved. */
export function bufferName(document: vscode.TextDocument): string {
  return document.uri.scheme === "file"
    ? document.uri.fsPath
    : document.isUntitled
      ? document.fileName
      : document.uri.toString();
}

/** The kernel chosen in the picker (kept per workspace); null: the settings decide. */
interface ChosenKernel {
  label: string;
  argv: string[];
}

const CHOSEN_KEY = "ipykernelLite.chosenKernel";

function settings(chosen: ChosenKernel | null): LinkSettings {
  const config = vscode.workspace.getConfiguration("ipykernelLite");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return {
    python: config.get<string>("python") || "python3",
    kernelArgv: chosen?.argv ?? config.get<string[] | null>("kernelArgv") ?? null,
    kernelCwd: folder?.scheme === "file" ? folder.fsPath : null,
  };
}

/** Whether Shift+Enter is ours: "auto" leaves it to the Python and Jupyter extensions when either is installed. */
export function ownsShiftEnter(mode: string | undefined, installed: (id: string) => boolean): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  return !installed("ms-python.python") && !installed("ms-toolsai.jupyter");
}

export class Adapter implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel("ipykernel_lite");
  readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  readonly kernelItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 99);
  readonly link: KernelLink;
  readonly window: InteractiveWindow;
  readonly variables: VariablesProvider;
  private chosen: ChosenKernel | null;
  /** The debug adapters listening to the kernel's DAP events. */
  readonly dapListeners = new Set<(event: DapEvent) => void>();
  private readonly inputs = new Map<string, vscode.CancellationTokenSource>();
  private readonly frameMarker = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("editor.stackFrameHighlightBackground"),
  });

  constructor(
    extensionUri: vscode.Uri,
    private readonly state?: vscode.Memento,
  ) {
    this.chosen = state?.get<ChosenKernel>(CHOSEN_KEY) ?? null;
    this.window = new InteractiveWindow(extensionUri, (file, line) => this.openFrame(file, line));
    this.link = new KernelLink(() => settings(this.chosen), {
      output: (n) => {
        this.output.append(renderOutput(n));
        this.window.output(n);
      },
      status: (state) => this.showState(state),
      inputRequest: (n) => void this.ask(n),
      debugFrame: (n) => void this.showFrame(n),
      debugEvent: (n) => this.dapListeners.forEach((l) => l(n.event)),
      kernelDied: (n) => {
        this.cancelInputs();
        this.output.appendLine(`\n[kernel died: ${n.reason}]${n.traceback ? `\n${n.traceback}` : ""}`);
        this.window.note(`The kernel died: ${n.reason}`);
        this.variables.refresh();
        void vscode.window.showErrorMessage(`The kernel died: ${n.reason}`, "Restart").then((choice) => {
          if (choice === "Restart") void this.restart();
        });
      },
      log: (text) => this.output.append(text),
    });
    this.variables = new VariablesProvider(this.link);
    this.status.command = "ipykernelLite.kernelMenu";
    this.showState("none");
    this.status.show();
    this.kernelItem.command = "ipykernelLite.selectKernel";
    this.showKernel();
    this.kernelItem.show();
  }

  private showKernel(): void {
    this.kernelItem.text = `$(server-environment) ${this.chosen?.label ?? "default kernel"}`;
    this.kernelItem.tooltip = this.chosen
      ? `ipykernel_lite kernel: ${this.chosen.argv.join(" ")} (click to change)`
      : "ipykernel_lite kernel: ipykernelLite.python / kernelArgv settings (click to choose another)";
  }

  /** The kernel picker: interpreters found on the machine and installed kernelspecs. */
  async selectKernel(): Promise<void> {
    type Item = vscode.QuickPickItem & { choice: KernelChoice | null };
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const items: Promise<Item[]> = kernelChoices(process.env, folders).then((choices) => [
      { label: "Default", description: "from the settings", detail: "ipykernelLite.python / kernelArgv", choice: null },
      ...choices.map((c) => ({
        label: `${c.kind === "interpreter" ? "$(symbol-misc)" : "$(notebook-kernel-select)"} ${c.label}`,
        description: c.description,
        detail: c.detail,
        choice: c,
      })),
    ]);
    const pick = await vscode.window.showQuickPick(items, {
      placeHolder: "Kernel for ipykernel_lite runs (interpreters need ipykernel_lite installed)",
      matchOnDetail: true,
    });
    if (!pick) return;
    this.chosen = pick.choice ? { label: pick.choice.label, argv: pick.choice.argv } : null;
    await this.state?.update(CHOSEN_KEY, this.chosen ?? undefined);
    this.showKernel();
    if (this.link.running) {
      // the next run starts the chosen kernel
      await this.link.dispose();
      this.window.note(`Kernel changed to ${this.chosen?.label ?? "the default"}: it starts on the next run.`);
      this.variables.refresh();
    }
  }

  /** Open a traceback frame's file (or the unsaved buffer it names) at the line, beside the window. */
  async openFrame(file: string, line: number): Promise<void> {
    const match = vscode.workspace.textDocuments.find((d) => bufferName(d) === file);
    const document =
      match ??
      (path.isAbsolute(file)
        ? await vscode.workspace.openTextDocument(vscode.Uri.file(file)).then(undefined, () => undefined)
        : undefined);
    if (!document) {
      void vscode.window.showWarningMessage(`Cannot open ${file}`);
      return;
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const at = new vscode.Position(Math.max(0, line - 1), 0);
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Range(at, at),
      preserveFocus: false,
    });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private showState(state: KernelState | "none"): void {
    this.status.text = STATUS_TEXT[state];
    this.status.tooltip = `ipykernel_lite: ${state} (click for interrupt, pause, restart)`;
    this.status.backgroundColor = state === "dead" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    if (state === "dead" || state === "restarting" || state === "none") this.cancelInputs();
  }

  /** Run part of a buffer: `line` is 1-based; without a document, the active editor's. */
  async run(scope: RunScope, uri?: vscode.Uri, line?: number): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!document) return;
    const params: Omit<RunCellParams, "kernel"> = {
      path: bufferName(document),
      text: document.getText(),
      line: line ?? 1,
      scope,
    };
    if (line === undefined && editor && editor.document === document) {
      const sel = editor.selection;
      params.line = sel.start.line + 1;
      if (scope === "selection" && !sel.isEmpty) {
        // a selection ending at the start of a line does not take that line
        const end = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
        params.end_line = end;
      } else if (scope === "selection") {
        params.scope = "line";
      }
    }
    if (scope === "file" && document.uri.scheme !== "file") params.cwd = false;
    this.window.show();
    this.window.expectOrigin(`${path.basename(params.path)}:${params.line}`);
    try {
      const result = await this.link.runCell(params);
      for (const run of result.runs) this.done(run.msg_id);
      const last = result.runs[result.runs.length - 1];
      if (last) vscode.window.setStatusBarMessage(summarize(last), 4000);
    } catch (err) {
      this.report(err);
    } finally {
      this.variables.refresh();
    }
  }

  private done(msgId: string): void {
    // the request ended (maybe interrupted): an input box it opened is moot
    const source = this.inputs.get(msgId);
    if (source) {
      source.cancel();
      this.inputs.delete(msgId);
    }
  }

  private cancelInputs(): void {
    for (const source of this.inputs.values()) source.cancel();
    this.inputs.clear();
  }

  private async ask(n: InputRequestNotification): Promise<void> {
    const source = new vscode.CancellationTokenSource();
    const key = n.msg_id ?? n.id;
    this.inputs.get(key)?.cancel();
    this.inputs.set(key, source);
    const where = n.debug ? ` at ${path.basename(n.debug.frame.file)}:${n.debug.frame.line}` : "";
    const value = await vscode.window.showInputBox(
      {
        prompt: n.debug ? `pdb${where}: n(ext), s(tep), c(ontinue), q(uit), p expr…` : n.prompt || "input()",
        placeHolder: n.prompt,
        password: n.password,
        ignoreFocusOut: true,
      },
      source.token,
    );
    if (this.inputs.get(key) === source) this.inputs.delete(key);
    if (source.token.isCancellationRequested) return;
    this.output.append(n.password ? "\n" : `${n.prompt}${value ?? ""}\n`);
    // Escape is end of input: EOFError for input(), leaving the debugger for pdb
    await this.link.inputReply(value ?? "\x04", n.id).catch((err) => this.report(err));
  }

  private async showFrame(n: DebugFrameNotification): Promise<void> {
    for (const editor of vscode.window.visibleTextEditors) editor.setDecorations(this.frameMarker, []);
    if (!n.frame) return;
    const { file, line } = n.frame;
    const match = vscode.workspace.textDocuments.find((d) => bufferName(d) === file);
    if (!match && !path.isAbsolute(file)) return; // a console cell (<cell-3>): nothing to show
    const document =
      match ?? (await vscode.workspace.openTextDocument(vscode.Uri.file(file)).then(undefined, () => undefined));
    if (!document) return;
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: true, preview: false });
    const range = new vscode.Range(line - 1, 0, line - 1, 0);
    editor.setDecorations(this.frameMarker, [range]);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  async interrupt(): Promise<void> {
    await this.link.interrupt().catch((err) => this.report(err));
  }

  async pause(): Promise<void> {
    const paused = await this.link.pause().catch((err) => this.report(err));
    if (paused === false) void vscode.window.showInformationMessage("Nothing to pause: no cell is running.");
  }

  async restart(): Promise<void> {
    this.cancelInputs();
    try {
      await this.link.restart();
      this.output.appendLine("\n[kernel restarted]");
      this.window.note("Kernel restarted");
      this.variables.refresh();
    } catch (err) {
      this.report(err);
    }
  }

  async menu(): Promise<void> {
    const actions: [string, () => Promise<void>][] = [
      ["Interrupt", () => this.interrupt()],
      ["Pause in debugger", () => this.pause()],
      ["Restart", () => this.restart()],
      ["Choose kernel…", () => this.selectKernel()],
      ["Show interactive window", async () => this.window.show()],
      ["Show output", async () => this.output.show()],
    ];
    const pick = await vscode.window.showQuickPick(
      actions.map(([label]) => label),
      { placeHolder: `Kernel: ${this.link.state}` },
    );
    await actions.find(([label]) => label === pick)?.[1]();
  }

  private report(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.output.appendLine(`[${message}]`);
    void vscode.window.showErrorMessage(message);
  }

  dispose(): void {
    this.cancelInputs();
    void this.link.dispose();
    this.frameMarker.dispose();
    this.window.dispose();
    this.kernelItem.dispose();
    this.status.dispose();
    this.output.dispose();
  }
}

let adapter: Adapter | null = null;

export function activate(context: vscode.ExtensionContext): Adapter {
  const a = new Adapter(
    context.extensionUri ?? vscode.Uri.file(path.resolve(__dirname, "..", "..")),
    context.workspaceState,
  );
  adapter = a;
  // command arguments are whatever the caller passes (a CodeLens passes uri and line, a key binding nothing)
  const command = (name: string, fn: (...args: any[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(`ipykernelLite.${name}`, fn));
  };
  command("runCell", (uri?: vscode.Uri, line?: number) => a.run("cell", uri, line));
  command("runBelow", (uri?: vscode.Uri, line?: number) => a.run("below", uri, line));
  command("runSelection", () => a.run("selection"));
  command("runFile", (uri?: vscode.Uri) => a.run("file", uri));
  command("interrupt", () => a.interrupt());
  command("pause", () => a.pause());
  command("restart", () => a.restart());
  command("kernelMenu", () => a.menu());
  command("selectKernel", () => a.selectKernel());
  command("showInteractive", () => a.window.show());
  command("clearInteractive", () => a.window.clear());
  command("refreshVariables", () => a.variables.refresh());
  registerDebugger(context, {
    link: a.link,
    onDebugEvent: (handler) => (a.dapListeners.add(handler), () => a.dapListeners.delete(handler)),
    run: (scope, uri, line) => a.run(scope, uri, line),
    log: (text) => a.output.append(text),
  });
  context.subscriptions.push(
    vscode.window.createTreeView("ipykernelLite.variables", { treeDataProvider: a.variables, showCollapseAll: true }),
  );
  const config = vscode.workspace.getConfiguration("ipykernelLite");
  const shiftEnter = (): void => {
    const mode = vscode.workspace.getConfiguration("ipykernelLite").get<string>("shiftEnter", "auto");
    const owns = ownsShiftEnter(mode, (id) => vscode.extensions.getExtension(id) !== undefined);
    void vscode.commands.executeCommand("setContext", "ipykernelLite.ownsShiftEnter", owns);
  };
  shiftEnter();
  context.subscriptions.push(
    vscode.extensions.onDidChange(shiftEnter),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("ipykernelLite.shiftEnter")) shiftEnter();
    }),
  );
  if (config.get<boolean>("codeLens", true)) {
    context.subscriptions.push(vscode.languages.registerCodeLensProvider(PYTHON, new CellCodeLensProvider()));
  }
  if (config.get<boolean>("completion", true)) {
    context.subscriptions.push(
      vscode.languages.registerCompletionItemProvider(PYTHON, new KernelCompletionProvider(a.link), "."),
      vscode.languages.registerSignatureHelpProvider(PYTHON, new KernelSignatureHelpProvider(a.link), "(", ","),
      vscode.languages.registerHoverProvider(PYTHON, new KernelHoverProvider(a.link)),
    );
  }
  context.subscriptions.push(a);
  return a;
}

export async function deactivate(): Promise<void> {
  const a = adapter;
  adapter = null;
  if (a) await a.link.dispose();
}
