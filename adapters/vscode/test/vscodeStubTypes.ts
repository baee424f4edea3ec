// The value types of the `vscode` stand-in (test/vscodeStub.ts re-exports them): positions, documents, and the
// small classes providers return. Not shipped.

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
