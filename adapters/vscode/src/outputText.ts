// How kernel output reads in a plain-text output channel: streams as they are, values and displays by their
// text/plain form, tracebacks without ANSI colours. Plain module (no vscode import).

import type { ExecuteOutcome, OutputNotification } from "./protocol";

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

function plain(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const bundle = data as Record<string, unknown>;
  const text = bundle["text/plain"];
  if (typeof text === "string") return text;
  const others = Object.keys(bundle);
  return others.length ? `<${others.join(", ")}>` : null;
}

function line(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** The text an output notification adds to the channel ("" for what is not shown, such as clear_output). */
export function renderOutput(n: OutputNotification): string {
  const c = n.content;
  switch (n.msg_type) {
    case "stream":
      return typeof c.text === "string" ? stripAnsi(c.text) : "";
    case "execute_input": {
      const count = typeof c.execution_count === "number" ? c.execution_count : " ";
      const code = typeof c.code === "string" ? c.code : "";
      const lines = code.replace(/\s+$/, "").split(/\r\n|\r|\n/);
      const head = `In [${count}]: `;
      const pad = " ".repeat(head.length - 5) + "...: ";
      return line(lines.map((l, i) => (i === 0 ? head : pad) + l).join("\n"));
    }
    case "execute_result": {
      const text = plain(c.data);
      const count = typeof c.execution_count === "number" ? c.execution_count : " ";
      return text === null ? "" : line(`Out[${count}]: ${stripAnsi(text)}`);
    }
    case "display_data":
    case "update_display_data": {
      const text = plain(c.data);
      return text === null ? "" : line(stripAnsi(text));
    }
    case "error": {
      const tb = Array.isArray(c.traceback) ? (c.traceback as unknown[]).map(String) : [];
      const text = tb.length ? tb.join("\n") : `${String(c.ename)}: ${String(c.evalue)}`;
      return line(stripAnsi(text));
    }
    default:
      return "";
  }
}

/** One line summing up a finished run, for the status bar or a notification. */
export function summarize(outcome: ExecuteOutcome): string {
  if (outcome.status === "ok") return `[${outcome.execution_count ?? " "}] ok`;
  if (outcome.error) return `[${outcome.execution_count ?? " "}] ${outcome.error.ename}: ${outcome.error.evalue}`;
  return `[${outcome.execution_count ?? " "}] ${outcome.status}`;
}

export interface FrameLocation {
  path: string;
  line: number;
}

const FRAME = /^ {2}File "(.+)", line (\d+)/;

/** The (file, line) of every frame of a traceback, outermost first: where "go to error" can jump. */
export function tracebackFrames(traceback: readonly string[]): FrameLocation[] {
  const found: FrameLocation[] = [];
  for (const item of traceback) {
    const m = FRAME.exec(stripAnsi(item));
    if (m) found.push({ path: m[1], line: Number(m[2]) });
  }
  return found;
}
