// LSP-style framing on a byte stream: "Content-Length: N" (other headers allowed), a blank line, then N bytes
// of UTF-8 JSON. The same framing as ipykernel_lite/bridge/framing.py.

const HEADER_END = Buffer.from("\r\n\r\n", "latin1");
const MAX_HEADER = 64 * 1024;

export class FramingError extends Error {}

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "latin1"), body]);
}

function contentLength(block: string): number {
  let length: number | null = null;
  for (const line of block.split("\r\n")) {
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon < 0) throw new FramingError(`bad header line ${JSON.stringify(line.slice(0, 80))}`);
    if (line.slice(0, colon).trim().toLowerCase() === "content-length") {
      const value = line.slice(colon + 1).trim();
      if (!/^\d+$/.test(value)) throw new FramingError(`bad Content-Length ${JSON.stringify(value)}`);
      length = Number(value);
    }
  }
  if (length === null) throw new FramingError("a message without Content-Length");
  return length;
}

/** Feed it chunks as they arrive; it returns the bodies completed so far. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private need: number | null = null;

  feed(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const bodies: Buffer[] = [];
    for (;;) {
      if (this.need === null) {
        const end = this.buf.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buf.length > MAX_HEADER) throw new FramingError("no end of headers within 64 KiB");
          return bodies;
        }
        this.need = contentLength(this.buf.subarray(0, end).toString("latin1"));
        this.buf = this.buf.subarray(end + HEADER_END.length);
      }
      if (this.buf.length < this.need) return bodies;
      bodies.push(Buffer.from(this.buf.subarray(0, this.need)));
      this.buf = this.buf.subarray(this.need);
      this.need = null;
    }
  }
}
