// A stand-in for the `vscode` module with just the API surface extension.ts and providers.ts use, so the
// extension's activation, commands and providers can run under node's test runner against the real bridge.
// It records what the extension shows (output channel text, status bar, input boxes) and lets a test answer
// input boxes. It is an editor stand-in only: the bridge and kernel behind it are real. Not shipped.

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    if (typeof a === "number") {
      this.start = new Position(a, b as number);
      this.end = new Position(c as number, d as number);
    } else {
      this.start = a;
      this.end = b as Position;
    }
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(p: string): Uri {
    return new Uri("file", p);
  }
  static parse(text: string): Uri {
    const at = text.indexOf(":");
    return new Uri(text.slice(0, at), text.slice(at + 1));
  }
  static untitled(name: string): Uri {
    return new Uri("untitled", name);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.fsPath, ...parts].join("/"));
  }
  toString(): string {
    return `${this.scheme}:${this.fsPath}`;
  }
}

const LINE = /\r\n|\r|\n/g;

export class TextDocument {
  readonly languageId = "python";
  constructor(
    readonly uri: Uri,
    private text: string,
  ) {}
  get isUntitled(): boolean {
    return this.uri.scheme === "untitled";
  }
  get fileName(): string {
    return this.uri.fsPath;
  }
  getText(): string {
    return this.text;
  }
  setText(text: string): void {
    this.text = text;
  }
  private lineStarts(): number[] {
    const starts = [0];
    for (const m of this.text.matchAll(LINE)) starts.push((m.index ?? 0) + m[0].length);
    return starts;
  }
  offsetAt(p: Position): number {
    const starts = this.lineStarts();
    return Math.min(starts[Math.min(p.line, starts.length - 1)] + p.character, this.text.length);
  }
  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return new Position(line, offset - starts[line]);
  }
  lineAt(line: number): { text: string } {
    return { text: this.text.split(LINE)[line] ?? "" };
  }
  getWordRangeAtPosition(p: Position): Range | undefined {
    const text = this.lineAt(p.line).text;
    const re = /[\p{L}\p{N}_]+/gu;
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      if (start <= p.character && p.character <= start + m[0].length) {
        return new Range(p.line, start, p.line, start + m[0].length);
      }
    }
    return undefined;
  }
}

export class Selection extends Range {
  get isEmpty(): boolean {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  constructor(readonly value = "") {}
}

export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[] },
  ) {}
}

export enum CompletionItemKind {
  Text = 0,
  Function = 2,
  Variable = 5,
  Class = 6,
  Module = 8,
  Property = 9,
  Keyword = 13,
  File = 16,
  Event = 22,
}

export class CompletionItem {
  range?: Range;
  sortText?: string;
  detail?: string;
  constructor(
    readonly label: string,
    readonly kind?: CompletionItemKind,
  ) {}
}

export class ParameterInformation {
  constructor(readonly label: string | [number, number]) {}
}

export class SignatureInformation {
  parameters: ParameterInformation[] = [];
  constructor(
    readonly label: string,
    readonly documentation?: MarkdownString,
  ) {}
}

export class SignatureHelp {
  signatures: SignatureInformation[] = [];
  activeSignature = 0;
  activeParameter = 0;
}

export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum TextEditorRevealType {
  Default = 0,
  InCenterIfOutsideViewport = 2,
}

export class CancellationTokenSource {
  private listeners: (() => void)[] = [];
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: (fn: () => void) => {
      this.listeners.push(fn);
      return { dispose: () => undefined };
    },
  };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    for (const fn of this.listeners) fn();
  }
  dispose(): void {}
}

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
  private receivers: ((msg: unknown) => void)[] = [];
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
