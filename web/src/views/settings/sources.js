// The lead sources: the live list of sources/* (label, id, kind, a show's dates and
// place) with Change and Delete, and the form that adds or changes one. Intake adds the
// sources it meets as "inbound" by itself; here the owner names them and says what they
// are (a trade show, a referral…). Deleting a source customers came from is refused by
// the server with how many: shown beside that source.
import { html, nothing } from "lit-html";
import { watchSources } from "../../data/firestore.js";
import { follow, listState } from "../live.js";

export const KINDS = [
  { id: "trade_show", label: "Trade show" },
  { id: "referral", label: "Referral" },
  { id: "partnership", label: "Partnership" },
  { id: "inbound", label: "Inbound (site, search, social)" },
  { id: "form", label: "Form" },
  { id: "booking_link", label: "Booking link" },
  { id: "whatsapp", label: "WhatsApp" },
  { id: "email", label: "E-mail" },
];
const KIND_LABEL = Object.fromEntries(KINDS.map((k) => [k.id, k.label]));
const SOURCE_ID = /^[a-z0-9](?:[a-z0-9.-]{0,98}[a-z0-9])?$/;
const FIELDS = ["id", "label", "kind", "startsOn", "endsOn", "place", "timeZone"];
const EMPTY = Object.freeze({ id: "", label: "", kind: "trade_show", startsOn: "", endsOn: "", place: "", timeZone: "", editing: null, idEdited: false });
const LIST_STATE = {
  quiet: "bs-help",
  alert: "bs-alert",
  testid: "sources",
  loading: "Loading sources…",
  failed: "The sources could not be loaded.",
  empty: "No sources yet: they appear here as forms bring customers in.",
};

/** A source id from a name, folded the way intake folds sources ("Spring Show" -> "spring-show"). */
export function sourceIdOf(text) {
  return String(text || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[\s_/]+/g, "-")
    .replace(/[^a-z0-9.-]/g, "")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 100);
}

/** screen: {container, ctx, api, update, disposed()}. Returns {template(), stop()}. */
export function sourcesEditor(screen) {
  const { container, ctx, api, update } = screen;
  const s = {
    sources: [],
    status: "loading",
    error: null,
    form: { ...EMPTY },
    errors: {},
    formError: "",
    saved: "",
    busy: false,
    deleting: null,
    rowErrors: {},
  };

  const stop = follow(
    screen,
    s,
    (onChange, onError) => watchSources(ctx.db, onChange, onError),
    (sources) => {
      s.sources = sources.sort((a, b) => String(a.label || a.id).localeCompare(String(b.label || b.id)));
    },
  );

  function set(field, value) {
    s.form[field] = value;
    delete s.errors[field];
    if (field === "id") s.form.idEdited = Boolean(value);
    if (field === "label" && !s.form.idEdited && !s.form.editing) s.form.id = sourceIdOf(value);
    s.formError = "";
    s.saved = "";
    update();
  }

  function edit(source) {
    s.form = { ...EMPTY, editing: source.id, idEdited: true };
    for (const field of FIELDS) if (typeof source[field] === "string") s.form[field] = source[field];
    s.errors = {};
    s.formError = "";
    s.saved = "";
    update();
    queueMicrotask(() => container.querySelector("[data-testid=source-label]")?.focus());
  }

  function cancel() {
    const editing = s.form.editing;
    s.form = { ...EMPTY };
    s.errors = {};
    s.formError = "";
    update();
    if (editing) queueMicrotask(() => container.querySelector(`[data-source="${CSS.escape(editing)}"] [data-testid=source-edit]`)?.focus());
  }

  async function save(event) {
    event.preventDefault();
    if (s.busy) return;
    const id = s.form.id.trim();
    s.errors = {};
    if (!s.form.label.trim()) s.errors.label = "Give the source a name.";
    if (!id) s.errors.id = "Give the source an id, e.g. spring-show-2026.";
    else if (!SOURCE_ID.test(id)) s.errors.id = "Use lowercase letters, digits, '-' and '.', e.g. spring-show-2026.";
    if (Object.keys(s.errors).length) {
      s.formError = "Some fields need attention. Nothing was saved.";
      update();
      return;
    }
    const body = { label: s.form.label.trim(), kind: s.form.kind };
    for (const field of ["startsOn", "endsOn", "place", "timeZone"]) {
      const value = s.form[field].trim();
      if (value) body[field] = value;
    }
    s.busy = true;
    s.formError = "";
    update();
    const res = await api.saveSource(id, body);
    s.busy = false;
    if (screen.disposed()) return;
    if (res.ok) {
      s.saved = s.form.editing ? `“${body.label}” saved.` : `“${body.label}” added.`;
      s.form = { ...EMPTY };
      update();
      queueMicrotask(() => container.querySelector("[data-testid=source-status]")?.focus());
      return;
    }
    const fields = (res.body && res.body.fields) || {};
    const others = [];
    for (const [name, message] of Object.entries(fields)) {
      if (FIELDS.includes(name)) s.errors[name] = String(message);
      else others.push(String(message));
    }
    if (res.status === 404) s.errors.id = res.message;
    s.formError = [res.message, ...others].join(" ");
    update();
  }

  async function remove(source) {
    if (s.deleting) return;
    s.deleting = source.id;
    delete s.rowErrors[source.id];
    update();
    const res = await api.deleteSource(source.id);
    s.deleting = null;
    if (screen.disposed()) return;
    if (res.ok) {
      if (s.form.editing === source.id) s.form = { ...EMPTY };
      s.saved = `“${source.label || source.id}” deleted.`;
      update();
      queueMicrotask(() => container.querySelector("[data-testid=source-status]")?.focus());
      return;
    }
    const fields = (res.body && res.body.fields) || {};
    s.rowErrors[source.id] = fields.source || res.message;
    update();
  }

  // --- rendering -----------------------------------------------------------------------

  function when(source) {
    const days = [source.startsOn, source.endsOn].filter((d) => typeof d === "string" && d);
    const parts = [days.join(" – "), typeof source.place === "string" ? source.place : ""].filter(Boolean);
    return parts.length ? html`<span class="src-when">${parts.join(" · ")}</span>` : nothing;
  }

  function row(source) {
    const name = source.label || source.id;
    const error = s.rowErrors[source.id];
    return html`<li class="src-row" data-testid="source-row" data-source=${source.id}>
      <div class="src-head">
        <strong data-testid="source-label-shown">${name}</strong>
        <code class="bs-hint">${source.id}</code>
        <span class="src-kind" data-testid="source-kind">${KIND_LABEL[source.kind] || source.kind || "—"}</span>
        ${when(source)}
      </div>
      <div class="bs-actions">
        <button type="button" class="button button-quiet" data-testid="source-edit" aria-label=${`Change ${name}`}
          @click=${() => edit(source)}>Change</button>
        <button type="button" class="button button-quiet" data-testid="source-delete" aria-label=${`Delete ${name}`}
          ?disabled=${s.deleting === source.id} @click=${() => remove(source)}>Delete</button>
      </div>
      ${error ? html`<p class="bs-alert" role="alert" data-testid="source-error">${error}</p>` : nothing}
    </li>`;
  }

  function field(name, label, input, hint = "") {
    const error = s.errors[name];
    return html`<label class="bs-field">
      <span class="bs-label">${label}</span>
      ${input(error ? `src-err-${name}` : null)}
      ${hint ? html`<span class="bs-hint">${hint}</span>` : nothing}
      ${error ? html`<span class="bs-error" id=${`src-err-${name}`} data-testid="field-error" data-field=${name}>${error}</span>` : nothing}
    </label>`;
  }

  function text(name, { type = "text", max = 200 } = {}) {
    return (describedBy) => html`<input type=${type} maxlength=${max} data-testid=${`source-${name}`} .value=${s.form[name]}
      aria-invalid=${describedBy ? "true" : "false"} aria-describedby=${describedBy || nothing}
      @input=${(e) => set(name, e.target.value)} />`;
  }

  function form() {
    const editing = s.form.editing;
    return html`<form class="src-form" data-testid="source-form" @submit=${save} novalidate>
      <h3 class="bs-subtitle">${editing ? `Change “${s.form.label || editing}”` : "Add a source"}</h3>
      <div class="bs-link-fields">
        ${field("label", "Name", text("label", { max: 100 }))}
        ${editing
          ? html`<p class="bs-field"><span class="bs-label">Id</span><code data-testid="source-id-shown">${editing}</code></p>`
          : field("id", "Id", text("id", { max: 100 }), "What links and forms send as utm_source.")}
        ${field("kind", "Kind", (describedBy) => html`<select data-testid="source-kind-select" .value=${s.form.kind}
            aria-describedby=${describedBy || nothing} @change=${(e) => set("kind", e.target.value)}>
            ${KINDS.map((k) => html`<option value=${k.id} ?selected=${k.id === s.form.kind}>${k.label}</option>`)}
          </select>`)}
        ${field("startsOn", "First day", text("startsOn", { type: "date", max: 10 }))}
        ${field("endsOn", "Last day", text("endsOn", { type: "date", max: 10 }))}
        ${field("place", "Place", text("place"))}
        ${field("timeZone", "Time zone", text("timeZone", { max: 64 }), "For a show abroad, e.g. Europe/Berlin.")}
      </div>
      <div class="bs-actions">
        ${editing || s.form.label ? html`<button type="button" class="button button-quiet" @click=${cancel}>Cancel</button>` : nothing}
        <button type="submit" class="button button-primary" data-testid="source-save" ?disabled=${s.busy}>
          ${s.busy ? "Saving…" : editing ? "Save source" : "Add source"}</button>
      </div>
      ${s.formError ? html`<p class="bs-alert" role="alert" data-testid="source-form-error">${s.formError}</p>` : nothing}
    </form>`;
  }

  function template() {
    return html`<section class="bs-card src" data-testid="sources" aria-labelledby="src-title">
      <h2 class="bs-legend" id="src-title">Sources</h2>
      <p class="bs-help">Where customers come from. Reports count by source, whatever stage a customer is in.</p>
      <p class="bs-status bs-status-saved" role="status" tabindex="-1" data-testid="source-status">${s.saved}</p>
      ${listState(s, s.sources.length, LIST_STATE) || html`<ul class="src-list">${s.sources.map(row)}</ul>`}
      ${form()}
    </section>`;
  }

  return { template, stop };
}
