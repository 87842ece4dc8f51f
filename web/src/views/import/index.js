// Import (#/import, the owner's): choose a CSV file, see which export it is and what each
// column will be (a <select> per column, remembered per header set by the server), pick
// the source, preview what the first rows will do, then import it in chunks of 500 with
// a progress bar, a Stop button, and at the end a summary and the report of the rows not
// imported (a chunk of a very wide file is cut sooner, at about a million characters).
//
// The file is read as a stream (lib/csv.js) twice: once to count its rows and take the
// first 20, once to send the rows; only the chunk being sent is held. The job id is the
// file's SHA-256 and the source, so choosing the same file again finds the job: a
// stopped import continues from its next line, a finished one can be imported again
// (which changes nothing already there). Every call goes through data/imports-api.js.
import { html, nothing, render } from "lit-html";
import { watchSources } from "../../data/firestore.js";
import { IMPORT_CHUNK, IMPORT_CHUNK_CHARS, importsApi } from "../../data/imports-api.js";
import { csvRecords } from "../../lib/csv.js";
import { formatCount } from "../../lib/format.js";
import { formatName, mappingTable, previewTable, progressBar, summary } from "./parts.js";

const PREVIEW_ROWS = 20;
const FIRST_LINE = 2; // line 1 is the header

async function fileDigest(file) {
  const bytes = await file.arrayBuffer();
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function renderImport(container, ctx) {
  let disposed = false;
  const api = importsApi(ctx.api);
  const s = {
    status: "choose", // choose | reading | ready | running | stopped | done
    file: null,
    headers: [],
    firstRows: [],
    total: 0,
    digest: "",
    source: "import",
    sources: [],
    preview: null,
    mapping: [],
    errors: {},
    message: "",
    job: null,
    stopping: false,
    busy: false,
  };

  const update = () => {
    if (!disposed) render(template(), container);
  };
  const focus = (testid) => queueMicrotask(() => container.querySelector(`[data-testid=${testid}]`)?.focus());
  const jobId = () => `${s.digest.slice(0, 32)}_${s.source}`;
  const done = () => Math.min(s.total, Math.max(0, (s.job?.nextLine || FIRST_LINE) - FIRST_LINE));

  const stopSources = watchSources(
    ctx.db,
    (list) => {
      s.sources = list.map((source) => source.id).filter((id) => id !== "import").sort();
      update();
    },
    (err) => console.error(err),
  );

  async function choose(event) {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    Object.assign(s, { status: "reading", file, headers: [], firstRows: [], total: 0, preview: null, job: null, errors: {}, message: "" });
    update();
    try {
      let count = -1;
      for await (const record of csvRecords(file)) {
        if (count < 0) s.headers = record;
        else if (s.firstRows.length < PREVIEW_ROWS) s.firstRows.push(record);
        count += 1;
      }
      s.total = Math.max(0, count);
      s.digest = await fileDigest(file);
    } catch (err) {
      console.error(err);
      s.status = "choose";
      s.message = "This file could not be read as CSV (UTF-8). Save it as CSV and choose it again.";
      update();
      return;
    }
    if (disposed) return;
    if (!s.headers.length) {
      s.status = "choose";
      s.message = "This file is empty.";
      update();
      return;
    }
    await preview(null);
    await findJob();
    s.status = s.preview ? "ready" : "choose";
    update();
  }

  async function preview(mapping) {
    s.busy = true;
    update();
    const res = await api.preview({ headers: s.headers, rows: s.firstRows, source: s.source, ...(mapping ? { mapping } : {}) });
    s.busy = false;
    if (disposed) return;
    if (!res.ok) {
      s.errors = (res.body && res.body.fields) || {};
      s.message = res.message;
      if (mapping) s.mapping = mapping;
    } else {
      s.preview = res.body;
      s.mapping = res.body.mapping;
      s.errors = {};
      s.message = "";
    }
    update();
  }

  async function findJob() {
    const res = await api.job(jobId());
    if (disposed) return;
    s.job = res.ok ? res.body.job : null;
  }

  function changeTarget(index, target) {
    const mapping = [...s.mapping];
    mapping[index] = target;
    preview(mapping);
  }

  async function changeSource(event) {
    s.source = event.target.value;
    await preview(s.mapping);
    await findJob();
    update();
  }

  async function start() {
    if (s.busy || !s.preview) return;
    s.busy = true;
    s.message = "";
    update();
    const res = await api.start({
      job: jobId(),
      file: s.file.name.slice(0, 300),
      headers: s.headers,
      mapping: s.mapping,
      source: s.source,
      total: s.total,
    });
    s.busy = false;
    if (disposed) return;
    if (!res.ok) {
      s.errors = (res.body && res.body.fields) || {};
      s.message = res.message;
      update();
      return;
    }
    s.job = res.body.job;
    s.status = "running";
    s.stopping = false;
    update();
    focus("import-stop");
    await send();
  }

  async function send() {
    const first = s.job.nextLine || FIRST_LINE;
    let line = 0;
    let chunk = [];
    let chars = 0;
    let chunkFirst = first;
    const flush = async () => {
      const res = await api.rows(s.job.id, chunkFirst, chunk);
      if (disposed) return false;
      if (!res.ok) {
        s.message = res.message;
        return false;
      }
      s.job = res.body.job;
      update();
      return true;
    };
    try {
      for await (const record of csvRecords(s.file)) {
        line += 1;
        if (line < first) continue;
        chunk.push(record);
        chars += record.reduce((sum, cell) => sum + cell.length + 4, 2);
        if (chunk.length === IMPORT_CHUNK || chars >= IMPORT_CHUNK_CHARS) {
          if (!(await flush())) return finish("stopped");
          chunk = [];
          chars = 0;
          chunkFirst = line + 1;
          if (s.stopping) return finish("stopped");
        }
      }
      if (chunk.length && !(await flush())) return finish("stopped");
    } catch (err) {
      console.error(err);
      s.message = "The file could not be read to the end. Choose it again to continue.";
      return finish("stopped");
    }
    return finish(s.job.state === "done" ? "done" : "stopped");
  }

  function finish(status) {
    if (disposed) return;
    s.status = status;
    s.stopping = false;
    update();
    focus(status === "done" ? "import-done" : "import-start");
  }

  async function report() {
    const res = await api.report(s.job.id);
    if (!res.ok) {
      s.message = res.message;
      update();
    }
  }

  function startLabel() {
    const job = s.job;
    if (job && job.state !== "done" && (job.nextLine || FIRST_LINE) > FIRST_LINE) {
      return `Continue from line ${formatCount(job.nextLine)}`;
    }
    if (job && job.state === "done") return `Import again (${formatCount(s.total)} rows)`;
    return `Import ${formatCount(s.total)} ${s.total === 1 ? "row" : "rows"}`;
  }

  function chooser() {
    const locked = s.status === "running" || s.status === "reading";
    return html`<div class="bs-card">
      <label class="bs-field">
        <span class="bs-label">Customer file (CSV)</span>
        <input type="file" accept=".csv,text/csv" data-testid="import-file" ?disabled=${locked} @change=${choose} />
        <span class="bs-hint">Hearth's own export, a HubSpot contacts export, a Pipedrive people export, or any CSV with an
          e-mail column. Customers are matched by e-mail: a row fills what is empty and never overwrites.</span>
      </label>
      ${s.status === "reading" ? html`<p class="bs-status" role="status">Reading the file…</p>` : nothing}
    </div>`;
  }

  function setup() {
    const p = s.preview;
    const locked = s.status === "running";
    const sources = ["import", ...s.sources];
    return html`<div class="bs-card" data-testid="import-setup">
      <h2 class="bs-subtitle">${s.file.name}</h2>
      <p class="bs-help" data-testid="import-format">${formatName(p.format)} · ${formatCount(s.total)}
        ${s.total === 1 ? "row" : "rows"}${p.remembered ? " · your column choices from last time" : ""}</p>
      <label class="bs-field im-source">
        <span class="bs-label">Source of these customers</span>
        <select data-testid="import-source" ?disabled=${locked} @change=${changeSource}>
          ${sources.map((id) => html`<option value=${id} ?selected=${id === s.source}>${id}</option>`)}
        </select>
        <span class="bs-hint">New customers get it as their first source; it routes them like any lead of it.</span>
      </label>
      <div class="im-scroll" tabindex="0" role="region" aria-label="Columns">${mappingTable({ headers: s.headers, mapping: s.mapping, targets: p.targets, errors: s.errors, disabled: locked || s.busy, onChange: changeTarget })}</div>
      <div class="im-scroll" tabindex="0" role="region" aria-label="Preview">${previewTable(p.rows)}</div>
    </div>`;
  }

  function actions() {
    if (s.status === "running") {
      return html`<div class="bs-actions"><button type="button" class="button" data-testid="import-stop" ?disabled=${s.stopping}
        @click=${() => { s.stopping = true; update(); }}>${s.stopping ? "Stopping…" : "Stop"}</button></div>`;
    }
    const blocked = s.busy || Object.keys(s.errors).length > 0 || !s.total;
    return html`<div class="bs-actions"><button type="button" class="button button-primary" data-testid="import-start"
      ?disabled=${blocked} @click=${start}>${startLabel()}</button></div>`;
  }

  function progress() {
    if (!s.job || !["running", "stopped", "done"].includes(s.status)) return nothing;
    const state = s.status === "running" ? (s.stopping ? "stopping" : "running") : s.status;
    return progressBar({ job: s.job, done: done(), total: s.total, state });
  }

  function result() {
    if (s.status !== "done" || !s.job) return nothing;
    const c = s.job.counts || {};
    const problems = (c.errors || 0) + (c.skipped || 0);
    return html`<section class="bs-card" aria-labelledby="im-done">
      <h2 class="bs-subtitle" id="im-done" tabindex="-1" data-testid="import-done">Import finished</h2>
      ${summary(s.job)}
      ${problems
        ? html`<button type="button" class="button" data-testid="import-report" @click=${report}>Download report (CSV)</button>`
        : nothing}
    </section>`;
  }

  function template() {
    return html`<section class="bs settings im" data-testid="import">
      <header class="page-head bs-head">
        <div>
          <h1 class="page-title">Import customers</h1>
          <p class="page-sub bs-sub">Bring customers in from a spreadsheet or another CRM. Importing the same file again changes
            nothing; a stopped import continues where it stopped.</p>
        </div>
      </header>
      ${chooser()}
      ${s.preview && s.status !== "choose" && s.status !== "reading" ? html`${setup()}${actions()}` : nothing}
      ${progress()}
      ${s.message ? html`<p class="bs-alert" role="alert" data-testid="import-error">${s.message}</p>` : nothing}
      ${result()}
    </section>`;
  }

  document.title = "Import · Hearth";
  update();

  return () => {
    disposed = true;
    s.stopping = true;
    stopSources();
    render(nothing, container);
  };
}
