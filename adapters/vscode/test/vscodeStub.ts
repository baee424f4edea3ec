// A stand-in for the `vscode` module with just the API surface extension.ts and providers.ts use, so the
// extension's activation, commands and providers can run under node's test runner against the real bridge.
// It records what the extension shows (output channel text, status bar, input boxes) and lets a test answer
// input boxes. It is an editor stand-in only: the bridge and kernel behind it are real. Not shipped.

import { CancellationTokenSource, Range, Selection, TextDocument, Uri } from "./vscodeStubTypes";

export * from "./vscodeStubTypes";

// -- what the extension shows, recorded for the tests --------------------------------------------------------

export interface InputBoxCall {
  options: { prompt?: string; password?: boolean; placeHolder?: string };
  token: CancellationTokenSource["token"];
  answer: (value: string | undefined) => void;
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  description?: string;
  tooltip?: string;
  id?: string;
  contextValue?: string;
  constructor(
    public label: string,
    readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: T): void {
    for (const l of this.listeners) l(value);
  }
  dispose(): void {}
}

/** A webview panel: records what the extension posts, and lets a test send messages from the page. */
export class WebviewPanel {
  readonly posted: any[] = [];
  html = "";
  visible = true;
  active = true;
  private receivers: ((msg: unknown) => void)[] = [];
  private viewStateListeners: ((e: { webviewPanel: WebviewPanel }) => void)[] = [];
  private disposers: (() => void)[] = [];
  readonly webview = {
    cspSource: "vscode-webview:",
    asWebviewUri: (uri: Uri) => uri,
    postMessage: (msg: unknown) => {
      this.posted.push(msg);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (fn: (msg: unknown) => void) => {
      this.receivers.push(fn);
      return { dispose: () => undefined };
    },
    set html(value: string) {
      panelHtml.value = value;
    },
  };
  fromPage(msg: unknown): void {
    for (const r of this.receivers) r(msg);
  }
  reveal(): void {}
  onDidChangeViewState(fn: (e: { webviewPanel: WebviewPanel }) => void): { dispose(): void } {
    this.viewStateListeners.push(fn);
    return { dispose: () => (this.viewStateListeners = this.viewStateListeners.filter((l) => l !== fn)) };
  }
  /** What VS Code does when the panel gains or loses the focus. */
  setActive(active: boolean): void {
    this.active = active;
    for (const l of [...this.viewStateListeners]) l({ webviewPanel: this });
  }
  onDidDispose(fn: () => void): { dispose(): void } {
    this.disposers.push(fn);
    return { dispose: () => undefined };
  }
  dispose(): void {
    for (const d of this.disposers) d();
  }
}
const panelHtml = { value: "" };

export const recorded = {
  panels: [] as WebviewPanel[],
  treeViews: new Map<string, any>(),
  contexts: new Map<string, unknown>(),
  warnings: [] as string[],
  output: "",
  statusTexts: [] as string[],
  errors: [] as string[],
  inputBoxes: [] as InputBoxCall[],
  decorations: [] as { file: string; ranges: Range[] }[],
  commands: new Map<string, (...args: any[]) => unknown>(),
  providers: new Map<string, any>(),
};

class TextEditor {
  selection: Selection = new Selection(0, 0, 0, 0);
  constructor(readonly document: TextDocument) {}
  setDecorations(_type: unknown, ranges: Range[]): void {
    recorded.decorations.push({ file: this.document.fileName, ranges });
  }
  revealRange(): void {}
}

const documents: TextDocument[] = [];

export function openEditor(doc: TextDocument): TextEditor {
  documents.push(doc);
  const editor = new TextEditor(doc);
  window.activeTextEditor = editor;
  window.visibleTextEditors = [editor];
  return editor;
}

const disposable = { dispose: () => undefined };

export const window = {
  activeTextEditor: undefined as TextEditor | undefined,
  visibleTextEditors: [] as TextEditor[],
  createOutputChannel: () => ({
    append: (text: string) => {
      recorded.output += text;
    },
    appendLine: (text: string) => {
      recorded.output += `${text}\n`;
    },
    show: () => undefined,
    dispose: () => undefined,
  }),
  createStatusBarItem: () => {
    const item = {
      _text: "",
      get text() {
        return item._text;
      },
      set text(value: string) {
        item._text = value;
        recorded.statusTexts.push(value);
      },
      tooltip: "",
      command: "",
      backgroundColor: undefined as unknown,
      show: () => undefined,
      dispose: () => undefined,
    };
    return item;
  },
  createTextEditorDecorationType: () => disposable,
  createWebviewPanel: () => {
    const panel = new WebviewPanel();
    recorded.panels.push(panel);
    return panel;
  },
  createTreeView: (id: string, options: { treeDataProvider: unknown }) => {
    recorded.treeViews.set(id, options.treeDataProvider);
    return disposable;
  },
  showWarningMessage: (message: string) => {
    recorded.warnings.push(message);
    return Promise.resolve(undefined);
  },
  showInputBox: (options: InputBoxCall["options"], token: InputBoxCall["token"]) =>
    new Promise<string | undefined>((resolve) => {
      token.onCancellationRequested(() => resolve(undefined));
      recorded.inputBoxes.push({ options, token, answer: resolve });
    }),
  showErrorMessage: (message: string) => {
    recorded.errors.push(message);
    return Promise.resolve(undefined);
  },
  showInformationMessage: () => Promise.resolve(undefined),
  showQuickPick: () => Promise.resolve(undefined),
  setStatusBarMessage: () => disposable,
  showTextDocument: (doc: TextDocument, options?: { selection?: Range }) => {
    const existing = window.visibleTextEditors.find((e) => e.document === doc);
    const editor = existing ?? openEditor(doc);
    const at = options?.selection;
    if (at) editor.selection = new Selection(at.start.line, at.start.character, at.end.line, at.end.character);
    window.activeTextEditor = editor;
    return Promise.resolve(editor);
  },
};

export const workspace = {
  workspaceFolders: undefined,
  getWorkspaceFolder: (_uri: Uri) => undefined,
  get textDocuments(): TextDocument[] {
    return documents;
  },
  getConfiguration: () => ({
    get: <T>(key: string, fallback?: T): T | undefined => (configuration[key] as T | undefined) ?? fallback,
  }),
  onDidChangeConfiguration: () => disposable,
  openTextDocument: (uri: Uri) => {
    const doc = documents.find((d) => d.uri.toString() === uri.toString());
    return doc ? Promise.resolve(doc) : Promise.reject(new Error(`no document ${uri.toString()}`));
  },
};

export const configuration: Record<string, unknown> = {};

export const commands = {
  registerCommand: (name: string, fn: (...args: any[]) => unknown) => {
    recorded.commands.set(name, fn);
    return disposable;
  },
  executeCommand: (name: string, ...args: unknown[]) => {
    if (name === "setContext") {
      recorded.contexts.set(String(args[0]), args[1]);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(recorded.commands.get(name)?.(...args));
  },
};

export const languages = {
  registerCodeLensProvider: (_s: unknown, p: unknown) => (recorded.providers.set("codeLens", p), disposable),
  registerCompletionItemProvider: (_s: unknown, p: unknown) => (recorded.providers.set("completion", p), disposable),
  registerSignatureHelpProvider: (_s: unknown, p: unknown) => (recorded.providers.set("signature", p), disposable),
  registerHoverProvider: (_s: unknown, p: unknown) => (recorded.providers.set("hover", p), disposable),
};

export const extensions = {
  installed: new Set<string>(),
  getExtension: (id: string) => (extensions.installed.has(id) ? { id } : undefined),
  onDidChange: () => disposable,
};

/** A debug adapter VS Code would run in-process (the extension's KernelDebugAdapter). */
export class DebugAdapterInlineImplementation {
  constructor(readonly implementation: any) {}
}

export const debug = {
  activeDebugSession: undefined as { type: string } | undefined,
  factories: new Map<string, any>(),
  configProviders: new Map<string, any>(),
  /** startDebugging calls: (folder, configuration) */
  started: [] as [unknown, any][],
  registerDebugAdapterDescriptorFactory: (type: string, f: unknown) => (debug.factories.set(type, f), disposable),
  registerDebugConfigurationProvider: (type: string, p: unknown) => (debug.configProviders.set(type, p), disposable),
  startDebugging: (folder: unknown, config: any) => {
    debug.started.push([folder, config]);
    return Promise.resolve(true);
  },
};
