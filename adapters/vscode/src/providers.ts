// Language features backed by the kernel: CodeLens on cell markers (from cells.ts, no kernel needed) and
// completion, signature help and hover (from the bridge, only while a kernel runs). Thin: each turns an
// editor request into one bridge call and its answer into vscode objects.

import * as vscode from "vscode";

import { splitCells } from "./cells";
import type { KernelLink } from "./kernelLink";

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export class CellCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const cell of splitCells(document.getText())) {
      // lenses sit on marker lines only; the code before the first marker has none
      if (!cell.title || cell.kind !== "code") continue;
      const range = new vscode.Range(cell.start_line - 1, 0, cell.start_line - 1, 0);
      lenses.push(
        new vscode.CodeLens(range, {
          title: "Run Cell",
          command: "ipykernelLite.runCell",
          arguments: [document.uri, cell.start_line],
        }),
        new vscode.CodeLens(range, {
          title: "Run Below",
          command: "ipykernelLite.runBelow",
          arguments: [document.uri, cell.start_line],
        }),
        new vscode.CodeLens(range, {
          title: "Debug Cell",
          command: "ipykernelLite.debugCell",
          arguments: [document.uri, cell.start_line],
        }),
      );
    }
    return lenses;
  }
}

const KINDS: Record<string, vscode.CompletionItemKind> = {
  function: vscode.CompletionItemKind.Function,
  class: vscode.CompletionItemKind.Class,
  module: vscode.CompletionItemKind.Module,
  keyword: vscode.CompletionItemKind.Keyword,
  instance: vscode.CompletionItemKind.Variable,
  statement: vscode.CompletionItemKind.Variable,
  param: vscode.CompletionItemKind.Variable,
  property: vscode.CompletionItemKind.Property,
  path: vscode.CompletionItemKind.File,
  magic: vscode.CompletionItemKind.Event,
};

export class KernelCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly link: KernelLink) {}

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionItem[] | undefined> {
    const reply = await this.link
      .complete(document.getText(), document.offsetAt(position), abortOn(token))
      .catch(() => null);
    if (!reply || token.isCancellationRequested) return undefined;
    const range = new vscode.Range(document.positionAt(reply.cursor_start), document.positionAt(reply.cursor_end));
    const typed = new Map(reply.items.map((i) => [i.text, i]));
    return reply.matches.map((text, n) => {
      const info = typed.get(text);
      const kind = info?.type ? KINDS[info.type] : undefined;
      const item = new vscode.CompletionItem(text, kind ?? vscode.CompletionItemKind.Text);
      item.range = range;
      item.sortText = String(n).padStart(5, "0"); // the kernel's order
      if (info?.signature) item.detail = info.signature;
      return item;
    });
  }
}

export class KernelSignatureHelpProvider implements vscode.SignatureHelpProvider {
  constructor(private readonly link: KernelLink) {}

  async provideSignatureHelp(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.SignatureHelp | undefined> {
    const reply = await this.link
      .inspect(document.getText(), document.offsetAt(position), abortOn(token))
      .catch(() => null);
    const tip = reply?.calltip;
    if (!tip || token.isCancellationRequested) return undefined;
    const info = new vscode.SignatureInformation(
      tip.signature,
      tip.doc ? new vscode.MarkdownString(tip.doc) : undefined,
    );
    // parameter labels as offsets into the signature: the same text may occur twice ("a, aa")
    let from = tip.signature.indexOf("(") + 1;
    for (const param of tip.params) {
      const at = tip.signature.indexOf(param, from);
      info.parameters.push(new vscode.ParameterInformation(at >= 0 ? [at, at + param.length] : param));
      if (at >= 0) from = at + param.length;
    }
    const help = new vscode.SignatureHelp();
    help.signatures = [info];
    help.activeSignature = 0;
    help.activeParameter = tip.active_param ?? 0;
    return help;
  }
}

export class KernelHoverProvider implements vscode.HoverProvider {
  constructor(private readonly link: KernelLink) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const word = document.getWordRangeAtPosition(position);
    if (!word) return undefined;
    // the dotted name ending with the word, alone: inside a call the kernel would describe the callee instead
    const before = document.lineAt(word.end.line).text.slice(0, word.end.character);
    const name = /[\p{L}\p{N}_][\p{L}\p{N}_.]*$/u.exec(before)?.[0];
    if (!name) return undefined;
    const reply = await this.link.inspect(name, name.length, abortOn(token)).catch(() => null);
    if (!reply?.found || token.isCancellationRequested) return undefined;
    const md = reply.markdown ?? `\`\`\`\n${reply.text}\n\`\`\``;
    return new vscode.Hover(new vscode.MarkdownString(md), word);
  }
}
