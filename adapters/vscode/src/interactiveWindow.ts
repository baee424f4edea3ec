// The interactive window: a webview panel beside the editor showing each run's input and its outputs, rich
// (images, HTML tables, Markdown…) as built by richOutput.ts. Frames of tracebacks open their file at the line,
// also an unsaved buffer's. The page may run only our script (nonce) and load nothing from the network.

import { randomBytes } from "node:crypto";

import * as vscode from "vscode";

import type { OutputNotification } from "./protocol";
import { type WindowMessage, windowMessage } from "./richOutput";

export type OpenFrame = (path: string, line: number) => Promise<void>;

async function renderMarkdown(text: string): Promise<string> {
  // VS Code's own Markdown renderer (the built-in markdown-language-features extension)
  const html = await vscode.commands.executeCommand<string>("markdown.api.render", text);
  if (typeof html !== "string") throw new Error("no markdown renderer");
  return html;
}

/** How long a frame click waits for VS Code to make the panel active (it normally takes a few ms). */
const FOCUS_WAIT_MS = 500;

function whenActive(panel: vscode.WebviewPanel, ms: number): Promise<void> {
  if (panel.active) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const subscription = panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) done();
    });
    const timer = setTimeout(done, ms);
  });
}

export class InteractiveWindow implements vscode.Disposable {
  static readonly viewType = "ipykernelLite.interactive";
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  private queue: WindowMessage[] = [];
  /** Output notifications are rendered in order, although Markdown renders asynchronously. */
  private chain: Promise<void> = Promise.resolve();
  /** Where the run with this msg_id came from ("circle.py:8"), keyed before its execute_input arrives. */
  private readonly origins = new Map<string, string>();
  private pendingOrigin: string | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly openFrame: OpenFrame,
  ) {}

  get visible(): boolean {
    return this.panel !== null;
  }

  /** Show the panel beside the active editor, without taking the focus. */
  show(): void {
    if (this.panel) {
      if (!this.panel.visible) this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, "media");
    const panel = vscode.window.createWebviewPanel(
      InteractiveWindow.viewType,
      "ipykernel_lite: Interactive",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [media] },
    );
    this.panel = panel;
    this.ready = false;
    panel.webview.html = this.page(panel.webview, media);
    panel.webview.onDidReceiveMessage((msg: { type?: string; path?: unknown; line?: unknown }) => {
      if (msg.type === "ready") {
        this.ready = true;
        for (const queued of this.queue.splice(0)) void panel.webview.postMessage(queued);
      } else if (msg.type === "open" && typeof msg.path === "string" && typeof msg.line === "number") {
        const { path, line } = msg as { path: string; line: number };
        // The click that sent this also focuses the panel, and VS Code may apply that focus after the file has
        // opened, taking the focus back from its editor (seen in loaded end-to-end runs): open once it is applied.
        void whenActive(panel, FOCUS_WAIT_MS).then(() => this.openFrame(path, line));
      }
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = null;
        this.queue = [];
      }
    });
  }

  /** The next execute_input comes from this place (shown under the code). */
  expectOrigin(origin: string | null): void {
    this.pendingOrigin = origin;
  }

  output(n: OutputNotification): void {
    if (n.msg_type === "execute_input" && n.msg_id && this.pendingOrigin) {
      // only the first request of a command is labelled: "Run Below" sends one per cell, from other lines
      this.origins.set(n.msg_id, this.pendingOrigin);
      this.pendingOrigin = null;
      // a long session: forget the oldest (Map keeps insertion order)
      if (this.origins.size > 1000) this.origins.delete(this.origins.keys().next().value as string);
    }
    const origin = n.msg_id ? (this.origins.get(n.msg_id) ?? null) : null;
    this.chain = this.chain
      .then(async () => {
        const msg = await windowMessage(n, renderMarkdown, origin);
        if (msg) this.post(msg);
      })
      .catch(() => undefined);
  }

  note(text: string): void {
    this.chain = this.chain.then(() => this.post({ type: "reset", note: text }));
  }

  clear(): void {
    this.chain = this.chain.then(() => this.post({ type: "clearAll" }));
  }

  private post(msg: WindowMessage): void {
    if (!this.panel) return;
    if (this.ready) void this.panel.webview.postMessage(msg);
    else this.queue.push(msg);
  }

  private page(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString("base64");
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, "interactive.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, "interactive.css"));
    // images only from data: URLs, styles inline (DataFrame HTML carries <style>) or ours, scripts only ours
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>ipykernel_lite: Interactive</title>
</head>
<body>
<main id="log"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = null;
  }
}
