// Kernel outputs as HTML fragments for the interactive window: the richest MIME type of a bundle we can show,
// ANSI colours as classes, tracebacks with clickable frames, and HTML from the kernel passed through an
// allow-list. Plain module (no vscode import): the webview script only inserts these fragments. The webview's
// Content-Security-Policy (no script but ours, no network) is the second line of defence behind the allow-list.

import type { OutputNotification } from "./protocol";
import { stripAnsi } from "./outputText";

/** MIME types in the order we prefer them; the first one a bundle has is shown. */
export const MIME_ORDER = [
  "text/html",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "text/markdown",
  "text/latex",
  "application/json",
  "text/plain",
] as const;

export type MarkdownRenderer = (markdown: string) => Promise<string>;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// --- ANSI -------------------------------------------------------------------------------------------------------

const SGR = /\x1b\[([0-9;]*)m/g;
const OTHER_ESCAPES = /\x1b\[[0-9;?]*[A-Za-ln-z]/g;

/** Text with ANSI SGR colours as `<span class="ansi-…">`; other escapes dropped, everything escaped. */
export function ansiToHtml(text: string): string {
  let out = "";
  let fg: number | null = null;
  let bg: number | null = null;
  let bold = false;
  let last = 0;
  const clean = text.replace(OTHER_ESCAPES, "");
  const emit = (chunk: string): void => {
    if (!chunk) return;
    const classes = [fg !== null ? `ansi-fg-${fg}` : "", bg !== null ? `ansi-bg-${bg}` : "", bold ? "ansi-bold" : ""]
      .filter(Boolean)
      .join(" ");
    out += classes ? `<span class="${classes}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (const m of clean.matchAll(SGR)) {
    emit(clean.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const codes = m[1] === "" ? [0] : m[1].split(";").map(Number);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) [fg, bg, bold] = [null, null, false];
      else if (c === 1) bold = true;
      else if (c === 22) bold = false;
      else if (c >= 30 && c <= 37) fg = c - 30;
      else if (c >= 90 && c <= 97) fg = c - 90 + 8;
      else if (c === 39) fg = null;
      else if (c >= 40 && c <= 47) bg = c - 40;
      else if (c >= 100 && c <= 107) bg = c - 100 + 8;
      else if (c === 49) bg = null;
      else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
        // 256 colours: the first 16 map to our classes, the rest are shown without colour
        const n = codes[i + 2];
        const value = n !== undefined && n < 16 ? n : null;
        if (c === 38) fg = value;
        else bg = value;
        i += 2;
      } else if ((c === 38 || c === 48) && codes[i + 1] === 2) i += 4;
    }
  }
  emit(clean.slice(last));
  return out;
}

// --- HTML allow-list --------------------------------------------------------------------------------------------

const ALLOWED_TAGS = new Set(
  (
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i " +
    "img ins kbd li mark ol p pre q s samp small span strong style sub sup table tbody td tfoot th thead tr u ul"
  ).split(" "),
);
/** Removed with everything inside them. */
const DROPPED_WITH_CONTENT = /<(script|iframe|object|embed|template|noscript|frameset|frame|svg|math|textarea|select|button|form)\b[\s\S]*?<\/\1\s*>/gi;
const ALLOWED_ATTRS = /^(class|id|style|title|colspan|rowspan|align|valign|border|width|height|alt|scope|start|span|dir|lang|data-[\w-]+|href|src)$/;
const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function safeUrl(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (name === "src") return /^data:image\/(png|jpeg|gif|webp|svg\+xml);/.test(v);
  return /^(https?:|mailto:|#)/.test(v);
}

/** Kernel HTML (DataFrames, rich reprs) reduced to an allow-list of tags and attributes: no scripts, no event
 * handlers, no frames or forms, links only to http(s)/mailto, images only from data: URLs. */
export function sanitizeHtml(html: string): string {
  const source = html.replace(DROPPED_WITH_CONTENT, "");
  let out = "";
  let last = 0;
  const text = (chunk: string): string => chunk.replace(/</g, "&lt;").replace(/>/g, "&gt;");
  for (const m of source.matchAll(TAG)) {
    out += text(source.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const [, closing, rawName, attrs = "", selfClosing] = m;
    if (!rawName) continue; // a comment
    const name = rawName.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) continue;
    if (closing) {
      out += `</${name}>`;
      continue;
    }
    let kept = "";
    for (const a of attrs.matchAll(ATTR)) {
      const attr = a[1].toLowerCase();
      const value = a[2] ?? a[3] ?? a[4] ?? "";
      if (!ALLOWED_ATTRS.test(attr)) continue;
      if ((attr === "href" || attr === "src") && !safeUrl(attr, value)) continue;
      if (attr === "style" && /url\s*\(|expression\s*\(/i.test(value)) continue;
      kept += ` ${attr}="${escapeHtml(value)}"`;
    }
    if (name === "a") kept += ' rel="noreferrer"';
    out += `<${name}${kept}${selfClosing ? " /" : ""}>`;
  }
  out += text(source.slice(last));
  return out;
}

// --- tracebacks -------------------------------------------------------------------------------------------------

const FRAME_LINE = /^(\s*File ")(.+)(", line )(\d+)(.*)$/;

/** Traceback lines as HTML; every `File "…", line N` becomes a link the window opens at that line. */
export function tracebackHtml(traceback: readonly string[]): string {
  const lines: string[] = [];
  for (const item of traceback) {
    for (const line of item.split("\n")) {
      const m = FRAME_LINE.exec(stripAnsi(line));
      if (!m) {
        lines.push(ansiToHtml(line));
        continue;
      }
      const [, head, file, mid, num, tail] = m;
      lines.push(
        `${escapeHtml(head)}<a class="frame" href="#" data-path="${escapeHtml(file)}" data-line="${num}" ` +
          `title="Open ${escapeHtml(file)} at line ${num} (click or Ctrl+click)">${escapeHtml(file)}${escapeHtml(mid)}${num}</a>` +
          `${escapeHtml(tail)}`,
      );
    }
  }
  return `<pre class="traceback">${lines.join("\n")}</pre>`;
}

// --- MIME bundles -----------------------------------------------------------------------------------------------

function asText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("");
  return null;
}

function base64(value: unknown): string | null {
  const text = asText(value);
  return text === null ? null : text.replace(/\s+/g, "");
}

/** The chosen MIME type of a bundle and its HTML. */
export async function bundleHtml(
  data: Record<string, unknown>,
  markdown?: MarkdownRenderer,
): Promise<{ mime: string; html: string } | null> {
  for (const mime of MIME_ORDER) {
    if (!(mime in data)) continue;
    const value = data[mime];
    switch (mime) {
      case "text/html": {
        const text = asText(value);
        if (text !== null) return { mime, html: `<div class="html">${sanitizeHtml(text)}</div>` };
        break;
      }
      case "image/svg+xml": {
        // as an <img>, an SVG cannot run script or reach the network
        const text = asText(value);
        if (text !== null) {
          const src = `data:image/svg+xml;base64,${Buffer.from(text, "utf8").toString("base64")}`;
          return { mime, html: `<img class="image" alt="SVG image" src="${src}">` };
        }
        break;
      }
      case "image/png":
      case "image/jpeg": {
        const b64 = base64(value);
        if (b64 !== null && /^[A-Za-z0-9+/=]*$/.test(b64)) {
          return { mime, html: `<img class="image" alt="${mime}" src="data:${mime};base64,${b64}">` };
        }
        break;
      }
      case "text/markdown": {
        const text = asText(value);
        if (text === null) break;
        const html = markdown ? await markdown(text).catch(() => null) : null;
        return {
          mime,
          html: html === null ? `<pre class="markdown">${escapeHtml(text)}</pre>` : `<div class="markdown">${sanitizeHtml(html)}</div>`,
        };
      }
      case "text/latex": {
        const text = asText(value);
        if (text !== null) return { mime, html: `<pre class="latex" title="LaTeX">${escapeHtml(text)}</pre>` };
        break;
      }
      case "application/json":
        return { mime, html: `<pre class="json">${escapeHtml(JSON.stringify(value, null, 2))}</pre>` };
      case "text/plain": {
        const text = asText(value);
        if (text !== null) return { mime, html: `<pre class="text">${ansiToHtml(text)}</pre>` };
        break;
      }
    }
  }
  return null;
}

/** What the webview is told to do with one output notification. */
export type WindowMessage =
  | { type: "run"; run: string; count: number | null; code: string; origin: string | null }
  | { type: "output"; run: string; kind: string; html: string; displayId: string | null; stream?: string }
  | { type: "update"; displayId: string; html: string }
  | { type: "clear"; run: string; wait: boolean }
  | { type: "reset"; note: string }
  | { type: "clearAll" };

function displayIdOf(content: Record<string, unknown>): string | null {
  const transient = content.transient as Record<string, unknown> | undefined;
  const id = transient?.display_id;
  return typeof id === "string" ? id : null;
}

/** One output notification as a webview message (null: nothing to show). */
export async function windowMessage(
  n: OutputNotification,
  markdown?: MarkdownRenderer,
  origin: string | null = null,
): Promise<WindowMessage | null> {
  const c = n.content as Record<string, unknown>;
  const run = n.msg_id ?? "unknown";
  switch (n.msg_type) {
    case "execute_input":
      return {
        type: "run",
        run,
        count: typeof c.execution_count === "number" ? c.execution_count : null,
        code: typeof c.code === "string" ? c.code : "",
        origin,
      };
    case "stream": {
      const name = c.name === "stderr" ? "stderr" : "stdout";
      const text = typeof c.text === "string" ? c.text : "";
      return { type: "output", run, kind: "stream", stream: name, html: ansiToHtml(text), displayId: null };
    }
    case "execute_result":
    case "display_data": {
      const shown = await bundleHtml((c.data as Record<string, unknown>) ?? {}, markdown);
      if (!shown) return null;
      const prompt =
        n.msg_type === "execute_result" && typeof c.execution_count === "number"
          ? `<span class="out-prompt">Out[${c.execution_count}]:</span>`
          : "";
      return { type: "output", run, kind: shown.mime, html: prompt + shown.html, displayId: displayIdOf(c) };
    }
    case "update_display_data": {
      const id = displayIdOf(c);
      const shown = await bundleHtml((c.data as Record<string, unknown>) ?? {}, markdown);
      return id && shown ? { type: "update", displayId: id, html: shown.html } : null;
    }
    case "clear_output":
      return { type: "clear", run, wait: c.wait === true };
    case "error": {
      const tb = Array.isArray(c.traceback) ? (c.traceback as unknown[]).map(String) : [];
      const lines = tb.length ? tb : [`${String(c.ename)}: ${String(c.evalue)}`];
      return { type: "output", run, kind: "error", html: tracebackHtml(lines), displayId: null };
    }
    default:
      return null;
  }
}
