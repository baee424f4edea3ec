// The interactive window's page script: inserts the HTML fragments the extension sends (built and sanitized by
// src/richOutput.ts) into one section per run, merges consecutive stream chunks, applies clear_output and
// update_display_data, and asks the extension to open a traceback frame's file when one is clicked.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is provided by VS Code's webview host
  const vscode = acquireVsCodeApi();
  const log = /** @type {HTMLElement} */ (document.getElementById("log"));
  /** @type {Map<string, HTMLElement>} run id -> its outputs element */
  const runs = new Map();
  /** @type {Set<string>} runs whose next output clears the previous ones (clear_output wait=true) */
  const pendingClear = new Set();

  function outputsOf(run) {
    let outputs = runs.get(run);
    if (!outputs) {
      // output of a run we did not see start (another front end's request, or the window opened late)
      const section = startRun({ run, count: null, code: "", origin: null });
      outputs = section;
    }
    return outputs;
  }

  function startRun(msg) {
    const section = document.createElement("section");
    section.className = "run";
    section.dataset.run = msg.run;
    const input = document.createElement("div");
    input.className = "input";
    const prompt = document.createElement("span");
    prompt.className = "prompt";
    prompt.textContent = `In [${msg.count === null ? " " : msg.count}]:`;
    const code = document.createElement("pre");
    code.className = "code";
    code.textContent = msg.code.replace(/\s+$/, "");
    input.append(prompt, code);
    if (msg.origin) {
      const origin = document.createElement("div");
      origin.className = "origin";
      origin.textContent = msg.origin;
      input.append(origin);
    }
    const outputs = document.createElement("div");
    outputs.className = "outputs";
    section.append(input, outputs);
    log.append(section);
    runs.set(msg.run, outputs);
    return outputs;
  }

  // Follow the newest output while the reader is at the end; once they scroll up, leave the view alone.
  // Images decode after they are inserted, so growth is watched, not only insertions.
  let stick = true;
  const scroller = document.scrollingElement || document.documentElement;
  function scrollToEnd() {
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }
  window.addEventListener("scroll", () => {
    stick = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 40;
  });
  new ResizeObserver(scrollToEnd).observe(log);

  function append(msg) {
    const outputs = outputsOf(msg.run);
    if (pendingClear.delete(msg.run)) outputs.replaceChildren();
    const last = outputs.lastElementChild;
    if (msg.kind === "stream" && last && last.classList.contains("stream") && last.dataset.stream === msg.stream) {
      last.insertAdjacentHTML("beforeend", msg.html);
      return;
    }
    const div = document.createElement(msg.kind === "stream" ? "pre" : "div");
    div.className = `output ${msg.kind === "stream" ? `stream ${msg.stream}` : msg.kind.replace(/[^a-z]+/g, "-")}`;
    if (msg.kind === "stream") div.dataset.stream = msg.stream;
    if (msg.displayId) div.dataset.displayId = msg.displayId;
    div.innerHTML = msg.html;
    outputs.append(div);
  }

  window.addEventListener("message", (event) => {
    const msg = event.data;
    switch (msg.type) {
      case "run":
        stick = true; // a new run is what the reader asked to see
        startRun(msg);
        break;
      case "output":
        append(msg);
        break;
      case "update":
        for (const el of document.querySelectorAll(".output")) {
          if (/** @type {HTMLElement} */ (el).dataset.displayId === msg.displayId) el.innerHTML = msg.html;
        }
        break;
      case "clear":
        if (msg.wait) pendingClear.add(msg.run);
        else runs.get(msg.run)?.replaceChildren();
        break;
      case "reset": {
        const note = document.createElement("div");
        note.className = "note";
        note.textContent = msg.note;
        log.append(note);
        break;
      }
      case "clearAll":
        log.replaceChildren();
        runs.clear();
        break;
    }
    scrollToEnd();
  });

  document.addEventListener("click", (event) => {
    const target = /** @type {HTMLElement | null} */ (event.target);
    const frame = target && target.closest ? target.closest("a.frame") : null;
    if (frame instanceof HTMLElement) {
      event.preventDefault();
      vscode.postMessage({ type: "open", path: frame.dataset.path, line: Number(frame.dataset.line) });
    }
  });

  vscode.postMessage({ type: "ready" });
})();
