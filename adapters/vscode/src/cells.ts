// Cells, selections and lines of a buffer, as pure functions on text: the TypeScript twin of
// ipykernel_lite/cells.py, used for CodeLens placement without a round trip to the bridge. Both are tested on
// the same fixture (test/fixtures/cells-buffer.txt), so they must agree line for line.
//
// Lines are 1-based; "\r\n", "\r" and "\n" each end a line. Whitespace means Python's str.isspace(), and the
// regular expressions use Python's meaning of \s and \d, which differ from JavaScript's.

export type CellKind = "code" | "markdown";

export interface Cell {
  /** The marker line, stripped ("" for the code before the first marker). */
  title: string;
  /** The marker's line (1 for the leading cell). */
  start_line: number;
  /** The first line of `code`: what is sent as origin.line. */
  code_start_line: number;
  /** The last line of the cell, inclusive. */
  end_line: number;
  code: string;
  kind: CellKind;
}

// Every character for which Python's str.isspace() (and so re's \s) is true. JavaScript's \s also takes
// U+FEFF and leaves out 0x1c-0x1f and NEL.
const PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, "u");
const LINE_BREAK = /\r\n|\r|\n/;

type Marker = string | RegExp;

/** Same order and meaning as cells.DEFAULT_MARKERS; a RegExp must match at the start (sticky). */
export const DEFAULT_MARKERS: readonly Marker[] = [
  "##",
  "#%%",
  "# %%",
  "# <codecell>",
  new RegExp(`#[${PY_SPACE}]*In\\[[ \\p{Nd}]*\\]`, "uy"),
];

const MARKDOWN = new RegExp(`^#[${PY_SPACE}]*%%[^\\n]*?\\[(?:markdown|md)\\]`, "iu");

export function lstrip(s: string): string {
  return s.replace(LEADING_SPACE, "");
}

export function strip(s: string): string {
  return lstrip(s).replace(TRAILING_SPACE, "");
}

/** The physical lines of `text` without their line breaks (at least one line). */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

export function isMarker(line: string, markers: readonly Marker[] = DEFAULT_MARKERS): boolean {
  const stripped = lstrip(line);
  for (const marker of markers) {
    if (typeof marker === "string") {
      if (stripped.startsWith(marker)) return true;
    } else {
      marker.lastIndex = 0;
      if (marker.test(stripped)) return true;
    }
  }
  return false;
}

function allCells(lines: string[], markers: readonly Marker[]): Cell[] {
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (isMarker(line, markers)) starts.push(i);
  });
  const cells: Cell[] = [];
  if (starts.length === 0 || starts[0] > 0) {
    const end = starts.length ? starts[0] : lines.length;
    cells.push({
      title: "",
      start_line: 1,
      code_start_line: 1,
      end_line: end,
      code: lines.slice(0, end).join("\n"),
      kind: "code",
    });
  }
  starts.forEach((start, n) => {
    const end = n + 1 < starts.length ? starts[n + 1] : lines.length;
    const title = strip(lines[start]);
    cells.push({
      title,
      start_line: start + 1,
      code_start_line: start + 2,
      end_line: end,
      code: lines.slice(start + 1, end).join("\n"),
      kind: MARKDOWN.test(title) ? "markdown" : "code",
    });
  });
  return cells;
}

/** The cells of `text` in order; the code before the first marker is left out if blank. */
export function splitCells(text: string, markers: readonly Marker[] = DEFAULT_MARKERS): Cell[] {
  const cells = allCells(splitLines(text), markers);
  if (cells.length && !cells[0].title && !strip(cells[0].code)) return cells.slice(1);
  return cells;
}

function checkLine(line: number): void {
  if (!Number.isInteger(line) || line < 1) throw new RangeError(`line numbers start at 1, got ${line}`);
}

/** The cell holding `line` (a marker line belongs to the cell it opens); past the end, the last cell. */
export function cellAt(text: string, line: number, markers: readonly Marker[] = DEFAULT_MARKERS): Cell {
  checkLine(line);
  const cells = allCells(splitLines(text), markers);
  for (const cell of cells) {
    if (line <= cell.end_line) return cell;
  }
  return cells[cells.length - 1];
}

/** For "Run Below": the cell at `line` and every cell after it. */
export function cellsBelow(text: string, line: number, markers: readonly Marker[] = DEFAULT_MARKERS): Cell[] {
  checkLine(line);
  return splitCells(text, markers).filter((cell) => cell.end_line >= line);
}

/** The leading whitespace all non-blank lines share, compared character by character. */
export function commonIndent(lines: readonly string[]): string {
  let prefix: string | null = null;
  for (const line of lines) {
    const stripped = lstrip(line);
    if (!stripped) continue;
    const indent = line.slice(0, line.length - stripped.length);
    if (prefix === null) {
      prefix = indent;
    } else {
      let n = 0;
      while (n < prefix.length && n < indent.length && prefix[n] === indent[n]) n++;
      prefix = prefix.slice(0, n);
    }
    if (!prefix) return "";
  }
  return prefix ?? "";
}

/** Lines `startLine`..`endLine` (inclusive) without their common indent, and the line they start on. */
export function prepareSelection(text: string, startLine: number, endLine: number): [string, number] {
  if (!Number.isInteger(startLine) || startLine < 1 || endLine < startLine) {
    throw new RangeError(`bad selection lines ${startLine}..${endLine}`);
  }
  const lines = splitLines(text);
  if (startLine > lines.length) return ["", startLine];
  const selected = lines.slice(startLine - 1, endLine);
  const width = commonIndent(selected).length;
  return [selected.map((line) => (strip(line) ? line.slice(width) : "")).join("\n"), startLine];
}
