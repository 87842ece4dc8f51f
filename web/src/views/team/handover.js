// "Hand over" for someone who left (disabled) or is no longer a rep and still owns open
// customers: by the routing rules (each customer to whom the rules would give it now,
// the leaving rep left out) or all to one rep. The page calls POST .../handover with one
// job id again and again, a batch each, moving the progress bar, until the job is done;
// Stop asks the server to stop (the batch under way ends first); Resume calls again with
// the same job id, which never moves a customer twice. The job id is kept in
// localStorage, so a stopped hand-over can be resumed after a reload.
import { html, nothing } from "lit-html";
import { formatCount } from "../../lib/format.js";
import { newId } from "../../lib/ids.js";

const STORE = "hearth.handover.";
const STALLS = 3; // calls in a row that move nobody before the page gives up

function remembered(uid) {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE + uid) || "null");
    return saved && typeof saved.jobId === "string" ? saved : null;
  } catch {
    return null;
  }
}

function remember(uid, value) {
  try {
    if (value) localStorage.setItem(STORE + uid, JSON.stringify(value));
    else localStorage.removeItem(STORE + uid);
  } catch {
    // Private mode: the hand-over still runs, it just cannot be resumed after a reload.
  }
}

/**
 * member: {uid, displayName, email}; view: {update(), disposed(), focus(uid, testid)}; api: teamApi;
 * reps(): the active reps to hand to; moved(): the open customers changed (recount).
 */
export function handoverPanel(member, view, api, { reps, moved }) {
  const uid = member.uid;
  const saved = remembered(uid);
  const s = {
    mode: saved ? saved.mode : "rules",
    to: saved ? saved.to || "" : "",
    jobId: saved ? saved.jobId : "",
    job: saved ? { state: "stopped", moved: saved.moved || 0, total: saved.total || 0 } : null,
    running: false,
    stopping: false,
    errors: {},
    message: "",
  };

  function set(part, value) {
    s[part] = value;
    delete s.errors[part];
    s.message = "";
    view.update();
  }

  async function run() {
    if (s.running) return;
    if (s.mode === "rep" && !s.to) {
      s.errors = { to: "Choose the rep to hand the customers to." };
      view.update();
      return;
    }
    if (!s.jobId) s.jobId = newId();
    s.running = true;
    s.stopping = false;
    s.message = "";
    s.errors = {};
    view.update();
    view.focus(uid, "handover-stop");
    let stalls = 0;
    while (!s.stopping && !view.disposed()) {
      const before = s.job ? s.job.moved || 0 : 0;
      const res = await api.handover(uid, { mode: s.mode, to: s.to, jobId: s.jobId });
      if (view.disposed()) return;
      if (!res.ok) {
        const fields = (res.body && res.body.fields) || {};
        s.errors = { mode: fields.mode, to: fields.to };
        s.message = res.message;
        if (fields.job_id) s.jobId = ""; // another hand-over's id: the next start makes a new one
        break;
      }
      s.job = (res.body && res.body.job) || s.job;
      const done = s.job.state === "done";
      remember(uid, done ? null : { jobId: s.jobId, mode: s.mode, to: s.to, moved: s.job.moved, total: s.job.total });
      view.update();
      if (done || s.job.state === "stopped") break;
      stalls = (s.job.moved || 0) > before ? 0 : stalls + 1;
      if (stalls >= STALLS) {
        s.message = "The hand-over is not moving any customer. Try again later.";
        break;
      }
    }
    s.running = false;
    if (s.job && s.job.state === "done") s.jobId = "";
    view.update();
    view.focus(uid, s.jobId ? "handover-resume" : "handover-status");
    moved();
  }

  async function stop() {
    if (!s.running || s.stopping) return;
    s.stopping = true;
    view.update();
    const res = await api.stopHandover(uid, s.jobId);
    if (view.disposed()) return;
    if (res.ok && res.body && res.body.job) s.job = { ...res.body.job, moved: Math.max(res.body.job.moved || 0, s.job?.moved || 0) };
    else if (!res.ok) s.message = res.message;
    view.update();
  }

  function progress() {
    const job = s.job;
    if (!job) return nothing;
    const total = Math.max(job.total || 0, job.moved || 0);
    const state = job.state === "done" ? "done" : s.running ? (s.stopping ? "stopping" : "running") : "stopped";
    const words = {
      done: `Done: ${formatCount(job.moved || 0)} of ${formatCount(total)} customers handed over.`,
      running: `Handing over: ${formatCount(job.moved || 0)} of ${formatCount(total)} customers…`,
      stopping: `Stopping after this batch: ${formatCount(job.moved || 0)} of ${formatCount(total)} handed over…`,
      stopped: `Stopped: ${formatCount(job.moved || 0)} of ${formatCount(total)} customers handed over. Resume to finish.`,
    };
    return html`<div class="tm-progress" data-testid="handover-progress" data-state=${state} data-moved=${job.moved || 0}
      data-total=${total}>
      <progress max=${total || 1} .value=${job.moved || 0} aria-label=${`Hand-over of ${member.displayName || uid}'s customers`}></progress>
      <p class="bs-status" role="status" tabindex="-1" data-testid="handover-status">${words[state]}</p>
    </div>`;
  }

  function modeChoice(id, label) {
    return html`<label class="rt-mode"><input type="radio" name=${`ho-${uid}-mode`} value=${id} data-testid="handover-mode"
      .checked=${s.mode === id} ?disabled=${s.running || Boolean(s.jobId)} @change=${() => set("mode", id)}
      aria-describedby=${s.errors.mode ? `ho-${uid}-mode-err` : nothing} />${label}</label>`;
  }

  function template(open) {
    const resumable = !s.running && s.jobId && s.job && s.job.state !== "done";
    const toErr = s.errors.to;
    return html`<div class="tm-handover" data-testid="handover">
      <fieldset ?disabled=${s.running}>
        <legend class="bs-label">Hand over ${formatCount(open)} open ${open === 1 ? "customer" : "customers"}</legend>
        <div class="rt-modes">
          ${modeChoice("rules", "By the routing rules")} ${modeChoice("rep", "All to one rep")}
        </div>
        ${s.errors.mode ? html`<span class="bs-error" id=${`ho-${uid}-mode-err`} data-testid="field-error" data-part="mode">${s.errors.mode}</span>` : nothing}
        ${s.mode === "rep"
          ? html`<label class="bs-field">
              <span class="bs-label">To</span>
              <select data-testid="handover-to" .value=${s.to} ?disabled=${Boolean(s.jobId)} aria-invalid=${toErr ? "true" : "false"}
                aria-describedby=${toErr ? `ho-${uid}-to-err` : nothing} @change=${(e) => set("to", e.target.value)}>
                <option value="" ?selected=${!s.to}>Choose a rep</option>
                ${reps().map((r) => html`<option value=${r.uid} ?selected=${r.uid === s.to}>${r.displayName || r.email || r.uid}</option>`)}
              </select>
              ${toErr ? html`<span class="bs-error" id=${`ho-${uid}-to-err`} data-testid="field-error" data-part="to">${toErr}</span>` : nothing}
            </label>`
          : nothing}
      </fieldset>
      <div class="bs-actions">
        ${s.running
          ? html`<button type="button" class="button" data-testid="handover-stop" ?disabled=${s.stopping} @click=${stop}>
              ${s.stopping ? "Stopping…" : "Stop"}</button>`
          : resumable
            ? html`<button type="button" class="button button-primary" data-testid="handover-resume" @click=${run}>Resume</button>`
            : html`<button type="button" class="button button-primary" data-testid="handover-start" ?disabled=${!open}
                @click=${run}>Hand over</button>`}
      </div>
      ${progress()}
      ${s.message ? html`<p class="bs-alert" role="alert" data-testid="handover-error">${s.message}</p>` : nothing}
    </div>`;
  }

  return { template, running: () => s.running, hasJob: () => Boolean(s.job) };
}
