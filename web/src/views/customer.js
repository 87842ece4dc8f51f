// Customer detail: every field, balances, stage, edit (with 409 conflicts), custom
// fields, notes, archive, and the live timeline.
//
// Reads come straight from Firestore (live listeners, within firestore.rules); every
// write goes through the admin API (ctx.api.request) with the ID token. Everything
// from the database is rendered through lit-html bindings, i.e. as text.

import { html, nothing, render } from "lit-html";
import { live } from "lit-html/directives/live.js";
import {
  collection,
  doc,
  getDocs,
  limit,
  onSnapshot,
  orderBy,
  query,
} from "firebase/firestore";
import {
  currencyDigits,
  formatDateTime,
  formatMoney,
  minorToDecimal,
  parseMoney,
  toDate,
} from "../format.js";
import {
  fieldLabel,
  stageInfo,
  stageList,
  timelineTemplate,
  valueText,
  when,
} from "./timeline.js";
import { error as errorState, firestoreErrorMessage, loading as loadingState } from "./states.js";
import { mountCustomerBookings } from "./customer-bookings.js";

const TIMELINE_LIMIT = 50;
const NOT_YOURS = "This customer does not exist or is not yours.";
const NETWORK = "Could not reach the server. Nothing was saved and your input is kept: try again.";
const TEXT_FIELDS = ["name", "company", "mobile", "segment"];
const MAX_CUSTOM_KEY = 64;
const MAX_CUSTOM_VALUE = 2000;

function newId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** ISO time of a Firestore Timestamp / Date / ISO string, as the server accepts it back. */
function isoOf(value) {
  if (typeof value === "string") return value;
  const d = toDate(value);
  return d ? d.toISOString() : null;
}

/** Epoch microseconds of an ISO string (keeps the server's sub-millisecond digits). */
function isoMicros(iso) {
  if (!iso) return -Infinity;
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return Date.parse(iso) * 1000;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  const frac = Number(((m[2] || "") + "000000").slice(0, 6));
  return whole * 1000 + frac;
}

function blankToNull(value) {
  if (value === undefined || value === null) return null;
  const s = String(value).trim();
  return s === "" ? null : s;
}

function customText(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => (v === null ? "" : String(v))).join(", ");
  return String(value);
}

/** A typed custom value back in the type it had (number, yes/no, list), else text. */
function customValue(text, original) {
  const t = String(text).trim();
  if (typeof original === "number" && t !== "" && Number.isFinite(Number(t))) return Number(t);
  if (typeof original === "boolean" && /^(true|false|yes|no)$/i.test(t)) return /^(true|yes)$/i.test(t);
  if (Array.isArray(original)) return t === "" ? [] : t.split(",").map((v) => v.trim());
  return t;
}

function stable(value) {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object" && typeof value.toDate !== "function") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable(value[k])]));
  }
  return value ?? null;
}

/** Deep equality of stored values, whatever the order of map keys. */
function sameValue(a, b) {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

function telHref(mobile) {
  const digits = String(mobile).replace(/[^\d+]/g, "");
  return digits ? `tel:${digits}` : null;
}

function whatsappHref(mobile, valid) {
  if (valid === false) return null;
  const s = String(mobile).trim();
  if (!/^\+\d{6,15}$/.test(s)) return null;
  return `https://wa.me/${s.slice(1)}`;
}

/** {ok, status, body, network} from whatever ctx.api.request gives back (or throws). */
async function normalise(res) {
  if (!res || typeof res !== "object") return { ok: false, status: 0, body: null, network: true };
  if (typeof Response !== "undefined" && res instanceof Response) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    return { ok: res.ok, status: res.status, body, network: false };
  }
  const status = Number(res.status) || 0;
  return {
    ok: Boolean(res.ok ?? (status >= 200 && status < 300)),
    status,
    body: res.body ?? res.data ?? null,
    network: status === 0 || Boolean(res.network),
  };
}

/** Field errors of a 400/403 answer keyed as the form names its inputs. */
function fieldErrors(body) {
  const out = {};
  const fields = body && typeof body === "object" && body.fields && typeof body.fields === "object" ? body.fields : {};
  for (const [path, message] of Object.entries(fields)) {
    let name = path.startsWith("changes.") ? path.slice(8) : path;
    if (name === "owner_uid") name = "ownerUid";
    out[name] = String(message);
  }
  return out;
}

function failureText(res) {
  if (res.network) return NETWORK;
  const msg = res.body && typeof res.body.message === "string" ? res.body.message : "";
  switch (res.status) {
    case 400:
      return msg || "Some fields need attention.";
    case 401:
      return "Your session has expired. Sign in again, then retry.";
    case 403: {
      const reasons = Object.values(fieldErrors(res.body));
      return reasons.length ? reasons.join(" ") : msg || "Your role may not make this change.";
    }
    case 404:
      return NOT_YOURS;
    case 409:
      return "Someone else changed this customer after you opened it. Nothing was saved.";
    case 413:
      return "That is too much text to save at once.";
    case 429:
    case 503:
      return "The server is busy or cannot reach the database. Nothing was saved: try again in a moment.";
    default:
      return msg || `Something went wrong (HTTP ${res.status}). Nothing was saved: try again.`;
  }
}

export function renderCustomer(container, ctx, key) {
  const session = (ctx && ctx.session) || {};
  const role = session.role || null;
  const db = ctx && ctx.db;
  const timeZone = (ctx && ctx.config && ctx.config.businessTimeZone) || "Europe/Malta";
  const isOwner = role === "owner";
  const isPartner = role === "partner";

  const s = {
    loading: true,
    waiting: false, // offline: no answer from the server yet
    missing: false,
    loadError: null,
    customer: null,
    lastResponseIso: null,
    timeline: { entries: [], loading: true, error: null, hidden: null, hasMore: false },
    team: new Map(), // uid -> {displayName, email, role, disabled}
    teamLoaded: false,
    status: null, // {kind: "ok" | "error" | "info", text, retry?}
    busy: { stage: false, edit: false, payment: false, owed: false, note: false, archive: false, conflict: false },
    pendingStage: null,
    stageError: null,
    edit: null,
    conflict: null,
    payment: { amount: "", note: "", error: null, paymentId: null },
    owed: { pending: "", error: null, requestId: null },
    note: { text: "", error: null, noteId: null },
    archiveRetryId: null,
  };

  let disposed = false;
  const unsubs = [];
  let statusTimer = null;
  let stopStages = null;
  let stopTimeline = null;
  let timelineSize = TIMELINE_LIMIT;
  // The calls section keeps its own element and listener (owner and rep only: the rules
  // give nobody else bookings); lit-html places the element in the layout.
  const bookingsHost = document.createElement("div");
  let bookings = null;

  // ---- rendering -----------------------------------------------------------------

  function update() {
    if (disposed) return;
    if (!bookings && s.customer && (role === "owner" || role === "rep")) {
      bookings = mountCustomerBookings(bookingsHost, ctx, key, { customer: () => s.customer, canEdit });
    }
    bookings?.update();
    render(page(), container);
    const title = s.customer ? s.customer.name || s.customer.email || key : s.missing ? "Not found" : "Customer";
    if (document.title !== `${title} · Hearth`) document.title = `${title} · Hearth`;
  }

  const tick = setInterval(update, 60_000); // keeps "3 minutes ago" true

  function canEdit() {
    if (role === "owner") return true;
    if (role === "rep") return Boolean(s.customer) && s.customer.ownerUid === session.uid;
    return false;
  }

  function currency() {
    const c = s.customer && s.customer.balances && s.customer.balances.currency;
    return typeof c === "string" && c ? c : "EUR";
  }

  function teamName(uid) {
    if (!uid) return "";
    if (uid === session.uid) return session.email ? `${session.email} (you)` : "You";
    const t = s.team.get(uid);
    if (t) return t.displayName || t.email || uid;
    return "";
  }

  function ownerText(uid) {
    if (!uid) return "Nobody yet";
    const name = teamName(uid);
    if (name) return name;
    if (isPartner) return "A member of the team";
    return uid;
  }

  function setStatus(kind, text, extra = {}) {
    clearTimeout(statusTimer);
    s.status = { kind, text, ...extra };
    if (kind === "ok") {
      statusTimer = setTimeout(() => {
        if (s.status && s.status.kind === "ok") {
          s.status = null;
          update();
        }
      }, 6000);
    }
  }

  /** The updatedAt to send: the later of the live snapshot's and our last answer's. */
  function currentIso() {
    const snap = s.customer ? isoOf(s.customer.updatedAt) || isoOf(s.customer.createdAt) : null;
    const resp = s.lastResponseIso;
    if (resp && (!snap || isoMicros(resp) > isoMicros(snap))) return resp;
    return snap;
  }

  function page() {
    return html`<div class="cd">
      ${styles}
      <p class="cd-back"><a href="#/customers" data-testid="back">← Customers</a></p>
      ${s.loading
        ? loadingState(s.waiting ? "Waiting for the connection…" : "Loading customer…")
        : s.missing
          ? errorState({ title: NOT_YOURS, message: "Check the link, or go back to the list of customers." })
          : s.loadError
            ? errorState({ title: "Could not load this customer", message: s.loadError, retry: retryLoad })
            : detail()}
    </div>`;
  }

  function detail() {
    const c = s.customer;
    const stage = stageInfo(ctx && ctx.stages, c.stage);
    const editable = canEdit();
    return html`<article class="cd-detail" data-testid="customer-detail" data-key=${key} data-archived=${c.archived ? "true" : "false"}>
      <header class="cd-head">
        <div class="cd-title">
          <h1 data-field="name">${c.name || c.email || key}</h1>
          ${c.company ? html`<p class="cd-sub">${c.company}</p>` : nothing}
        </div>
        <div class="cd-head-tags">
          <span class="pill cd-pill" data-testid="stage-pill" data-field="stage" data-stage=${c.stage || ""} data-group=${stage.group}
            >${stage.label}</span
          >
          ${c.archived ? html`<span class="cd-tag cd-tag-archived" data-testid="archived-badge">Archived</span>` : nothing}
          ${isPartner ? html`<span class="cd-tag" data-testid="read-only">Read-only</span>` : nothing}
        </div>
      </header>

      ${statusTemplate()} ${conflictTemplate()}

      <div class="cd-grid">
        <div class="cd-col">
          ${editable ? actionsTemplate(c) : nothing} ${balancesTemplate(c, editable)}
          ${s.edit ? editTemplate() : fieldsTemplate(c)}
        </div>
        <div class="cd-col">
          ${bookings ? bookingsHost : nothing} ${editable ? noteTemplate() : nothing}
          ${timelineTemplate(s.timeline, {
            stages: ctx && ctx.stages,
            timeZone,
            currency: currency(),
            session,
            teamName,
            onMore: showOlder,
          })}
        </div>
      </div>
    </article>`;
  }

  function statusTemplate() {
    if (!s.status) return nothing;
    return html`<div
      class="cd-status cd-status-${s.status.kind}"
      role=${s.status.kind === "error" ? "alert" : "status"}
      aria-live="polite"
    >
      <span data-testid="status" data-kind=${s.status.kind}>${s.status.text}</span>
      ${s.status.retry
        ? html`<button type="button" class="cd-btn cd-btn-small" data-testid="status-retry" @click=${s.status.retry}>Try again</button>`
        : nothing}
      <button type="button" class="cd-x" aria-label="Dismiss" @click=${() => ((s.status = null), update())}>×</button>
    </div>`;
  }

  function actionsTemplate(c) {
    const stages = stageList(ctx && ctx.stages);
    const shown = s.pendingStage || c.stage;
    const known = stages.some((st) => st.id === shown);
    return html`<section class="cd-card cd-actions" aria-label="Actions">
      <label class="cd-stage-label">
        <span>Stage</span>
        <select
          data-testid="stage-select"
          name="stage"
          ?disabled=${s.busy.stage}
          @change=${(e) => changeStage(e.target.value)}
        >
          ${known ? nothing : html`<option value=${shown || ""} .selected=${live(true)}>${shown || "—"}</option>`}
          ${stages.map(
            (st) => html`<option value=${st.id} data-group=${st.group} .selected=${live(st.id === shown)}>${st.label}</option>`,
          )}
        </select>
        ${s.busy.stage ? html`<span class="cd-muted cd-small">Saving…</span>` : nothing}
      </label>
      ${s.stageError ? html`<p class="cd-error" data-testid="stage-error">${s.stageError}</p>` : nothing}
      <div class="cd-buttons">
        ${s.edit
          ? nothing
          : html`<button type="button" class="cd-btn" data-testid="edit" @click=${openEdit}>Edit</button>`}
        ${c.archived
          ? html`<button type="button" class="cd-btn" data-testid="unarchive" ?disabled=${s.busy.archive} @click=${() => setArchived(false)}>
              Unarchive
            </button>`
          : html`<button type="button" class="cd-btn cd-btn-quiet" data-testid="archive" ?disabled=${s.busy.archive} @click=${() => setArchived(true)}>
              Archive
            </button>`}
      </div>
    </section>`;
  }

  function row(field, label, value, extra = nothing) {
    return html`<div class="cd-row">
      <dt>${label}</dt>
      <dd data-field=${field}>${value}${extra}</dd>
    </div>`;
  }

  function fieldsTemplate(c) {
    const consent = c.consent && typeof c.consent === "object" ? c.consent : {};
    const sources = Array.isArray(c.sources) ? c.sources : [];
    const forms = Array.isArray(c.forms) ? c.forms : [];
    const custom = c.custom && typeof c.custom === "object" ? c.custom : {};
    const customKeys = Object.keys(custom).sort((a, b) => a.localeCompare(b));
    const tel = c.mobile ? telHref(c.mobile) : null;
    const wa = c.mobile ? whatsappHref(c.mobile, c.mobileValid) : null;
    return html`<section class="cd-card" aria-label="Details">
      <h2>Details</h2>
      <dl class="cd-fields">
        ${row("name", "Name", c.name || "—")} ${row("company", "Company", c.company || "—")}
        ${row(
          "email",
          "E-mail",
          c.email ? html`<a href=${`mailto:${c.email}`} class="cd-break">${c.email}</a>` : "—",
        )}
        ${row(
          "mobile",
          "Mobile",
          c.mobile
            ? html`${tel ? html`<a href=${tel}>${c.mobile}</a>` : c.mobile}
              ${wa
                ? html` · <a href=${wa} target="_blank" rel="noopener noreferrer" data-testid="whatsapp">WhatsApp</a>`
                : nothing}
              ${c.mobileValid === false
                ? html`<span class="cd-warn" data-testid="mobile-invalid"
                    >Not a valid number: kept as typed, check it with the customer.</span
                  >`
                : nothing}`
            : "—",
        )}
        ${row("stage", "Stage", stageInfo(ctx && ctx.stages, c.stage).label)}
        ${row(
          "sources",
          "Sources",
          sources.length ? html`${sources.map((src) => html`<span class="cd-chip">${src}</span>`)}` : "—",
        )}
        ${row("firstSource", "First source", c.firstSource || "—")}
        ${row("lastSource", "Last source", c.lastSource || "—")}
        ${row("forms", "Forms used", forms.length ? forms.join(", ") : "—")}
        ${row(
          "consent",
          "Marketing consent",
          consent.marketing === true
            ? html`Yes${consent.at ? html`, given ${formatDateTime(consent.at, timeZone)}` : nothing}`
            : consent.marketing === false
              ? html`No${consent.at ? html`, declined ${formatDateTime(consent.at, timeZone)}` : nothing}`
              : "Not asked yet",
        )}
        ${row("owner", "Owner", ownerText(c.ownerUid))} ${row("segment", "Segment", c.segment || "—")}
        ${row("createdAt", "Created", html`${formatDateTime(c.createdAt, timeZone)}`)}
        ${row(
          "lastContactAt",
          "Last contact",
          c.lastContactAt ? html`${formatDateTime(c.lastContactAt, timeZone)} (${when(c.lastContactAt, timeZone)})` : "—",
        )}
        ${row("updatedAt", "Last change", c.updatedAt ? when(c.updatedAt, timeZone) : "—")}
      </dl>
      <h3>Custom fields</h3>
      ${customKeys.length
        ? html`<dl class="cd-fields" data-testid="custom-fields">
            ${customKeys.map((k) => row(`custom.${k}`, k, valueText(custom[k])))}
          </dl>`
        : html`<p class="cd-muted" data-testid="custom-empty">None yet.${canEdit() ? " Use Edit to add one." : ""}</p>`}
    </section>`;
  }

  function balancesTemplate(c, editable) {
    const b = c.balances && typeof c.balances === "object" ? c.balances : {};
    const cur = currency();
    const digits = currencyDigits(cur);
    const step = digits ? `0.${"0".repeat(digits - 1)}1` : "1";
    return html`<section class="cd-card" data-testid="balances" aria-label="Balances">
      <h2>Balances <span class="cd-muted cd-small">${cur}</span></h2>
      <dl class="cd-balances">
        <div><dt>Pending</dt><dd data-field="pending">${formatMoney(b.pending ?? 0, cur)}</dd></div>
        <div><dt>Paid</dt><dd data-field="paid">${formatMoney(b.paid ?? 0, cur)}</dd></div>
      </dl>
      ${editable
        ? html`<form class="cd-form cd-inline-form" data-testid="payment-form" novalidate @submit=${submitPayment}>
              <label
                >Amount paid (${cur})
                <input
                  name="amount"
                  inputmode="decimal"
                  autocomplete="off"
                  placeholder=${digits ? `e.g. 500.${"0".repeat(digits)}` : "e.g. 500"}
                  aria-invalid=${s.payment.error ? "true" : "false"}
                  .value=${live(s.payment.amount)}
                  @input=${(e) => {
                    s.payment.amount = e.target.value;
                    s.payment.paymentId = null;
                    s.payment.error = null;
                  }}
              /></label>
              <label
                >Note (optional)
                <input
                  name="note"
                  maxlength="500"
                  autocomplete="off"
                  .value=${live(s.payment.note)}
                  @input=${(e) => {
                    s.payment.note = e.target.value;
                    s.payment.paymentId = null;
                  }}
              /></label>
              <button type="submit" class="cd-btn cd-btn-primary" ?disabled=${s.busy.payment}>
                ${s.busy.payment ? "Recording…" : "Record payment"}
              </button>
              ${s.payment.error ? html`<p class="cd-error" data-testid="payment-error">${s.payment.error}</p>` : nothing}
            </form>
            <form class="cd-form cd-inline-form" data-testid="owed-form" novalidate @submit=${submitOwed}>
              <label
                >Set amount owed (${cur})
                <input
                  name="pending"
                  inputmode="decimal"
                  autocomplete="off"
                  placeholder=${`now ${minorToDecimal(b.pending ?? 0, cur)}`}
                  step=${step}
                  aria-invalid=${s.owed.error ? "true" : "false"}
                  .value=${live(s.owed.pending)}
                  @input=${(e) => {
                    s.owed.pending = e.target.value;
                    s.owed.requestId = null;
                    s.owed.error = null;
                  }}
              /></label>
              <button type="submit" class="cd-btn" ?disabled=${s.busy.owed}>${s.busy.owed ? "Saving…" : "Set owed"}</button>
              ${s.owed.error ? html`<p class="cd-error" data-testid="owed-error">${s.owed.error}</p>` : nothing}
            </form>`
        : nothing}
    </section>`;
  }

  function noteTemplate() {
    return html`<section class="cd-card" aria-label="Add a note">
      <form class="cd-form" data-testid="note-form" novalidate @submit=${submitNote}>
        <label
          >Add a note
          <textarea
            name="text"
            rows="3"
            maxlength="5000"
            placeholder="Called, sent the proposal…"
            .value=${live(s.note.text)}
            @input=${(e) => {
              s.note.text = e.target.value;
              s.note.noteId = null;
              s.note.error = null;
            }}
          ></textarea>
        </label>
        <div class="cd-buttons">
          <button type="submit" class="cd-btn cd-btn-primary" ?disabled=${s.busy.note}>${s.busy.note ? "Adding…" : "Add note"}</button>
        </div>
        ${s.note.error ? html`<p class="cd-error" data-testid="note-error">${s.note.error}</p>` : nothing}
      </form>
    </section>`;
  }

  function ownerOptions() {
    const options = [];
    for (const [uid, t] of s.team) {
      if (t.role !== "owner" && t.role !== "rep") continue;
      if (t.disabled && uid !== s.edit.draft.ownerUid) continue;
      options.push({ uid, label: `${t.displayName || t.email || uid}${t.role ? ` (${t.role})` : ""}` });
    }
    const current = s.edit.draft.ownerUid;
    if (current && !options.some((o) => o.uid === current)) options.push({ uid: current, label: current });
    options.sort((a, b) => a.label.localeCompare(b.label));
    return options;
  }

  function editTemplate() {
    const e = s.edit;
    const d = e.draft;
    const err = e.errors;
    const input = (name, label, attrs = {}) => html`<label class="cd-field">
      <span>${label}</span>
      <input
        name=${name}
        maxlength=${attrs.maxlength || 200}
        autocomplete="off"
        inputmode=${attrs.inputmode || "text"}
        aria-invalid=${err[name] ? "true" : "false"}
        .value=${live(d[name] ?? "")}
        @input=${(ev) => {
          d[name] = ev.target.value;
          if (err[name]) {
            delete err[name];
            update();
          }
        }}
      />
      ${err[name] ? html`<span class="cd-error" data-error=${name}>${err[name]}</span>` : nothing}
    </label>`;
    const changedUnder = s.customer && isoMicros(currentIso()) > isoMicros(e.baseIso);
    return html`<section class="cd-card" aria-label="Edit customer">
      <h2>Edit</h2>
      ${changedUnder && !s.conflict
        ? html`<p class="cd-warn" data-testid="changed-while-editing">
            Someone changed this customer while you were editing. Saving will tell you what differs.
          </p>`
        : nothing}
      <form class="cd-form" data-testid="edit-form" novalidate @submit=${submitEdit}>
        ${input("name", "Name")} ${input("company", "Company")}
        ${input("mobile", "Mobile", { maxlength: 40, inputmode: "tel" })}
        ${isOwner
          ? html`${input("segment", "Segment", { maxlength: 64 })}
              <label class="cd-field">
                <span>Owner</span>
                <select
                  name="ownerUid"
                  @change=${(ev) => {
                    d.ownerUid = ev.target.value;
                  }}
                >
                  <option value="" .selected=${live(!d.ownerUid)}>Nobody yet</option>
                  ${ownerOptions().map((o) => html`<option value=${o.uid} .selected=${live(o.uid === d.ownerUid)}>${o.label}</option>`)}
                </select>
                ${err.ownerUid ? html`<span class="cd-error" data-error="ownerUid">${err.ownerUid}</span>` : nothing}
              </label>`
          : nothing}
        <fieldset class="cd-custom" data-testid="custom-editor">
          <legend>Custom fields</legend>
          ${d.custom.length ? nothing : html`<p class="cd-muted cd-small">No custom fields.</p>`}
          ${d.custom.map(
            (r, i) => html`<div class="cd-custom-row" data-testid="custom-row" data-index=${i}>
              <label class="cd-field">
                <span>Field</span>
                <input
                  name="custom-key"
                  maxlength=${MAX_CUSTOM_KEY}
                  autocomplete="off"
                  aria-invalid=${r.keyError ? "true" : "false"}
                  .value=${live(r.key)}
                  @input=${(ev) => {
                    r.key = ev.target.value;
                  }}
                />
              </label>
              <label class="cd-field">
                <span>Value</span>
                <input
                  name="custom-value"
                  maxlength=${MAX_CUSTOM_VALUE}
                  autocomplete="off"
                  .value=${live(r.value)}
                  @input=${(ev) => {
                    r.value = ev.target.value;
                  }}
                />
              </label>
              <button
                type="button"
                class="cd-btn cd-btn-quiet cd-btn-icon"
                data-testid="custom-remove"
                aria-label=${`Remove ${r.key || "this field"}`}
                title="Remove this field"
                @click=${() => {
                  d.custom.splice(i, 1);
                  update();
                }}
              >
                ✕
              </button>
              ${r.keyError ? html`<span class="cd-error cd-custom-error">${r.keyError}</span>` : nothing}
            </div>`,
          )}
          <button
            type="button"
            class="cd-btn cd-btn-small"
            data-testid="custom-add"
            @click=${() => {
              d.custom.push({ key: "", value: "", origKey: null, origValue: undefined });
              update();
            }}
          >
            Add field
          </button>
          ${err.custom ? html`<p class="cd-error" data-error="custom">${err.custom}</p>` : nothing}
        </fieldset>
        ${e.formError ? html`<p class="cd-error" data-testid="edit-error" role="alert">${e.formError}</p>` : nothing}
        <div class="cd-buttons">
          <button type="submit" class="cd-btn cd-btn-primary" ?disabled=${s.busy.edit}>${s.busy.edit ? "Saving…" : "Save"}</button>
          <button type="button" class="cd-btn cd-btn-quiet" data-testid="edit-cancel" @click=${cancelEdit}>Cancel</button>
        </div>
      </form>
    </section>`;
  }

  function conflictTemplate() {
    const k = s.conflict;
    if (!k) return nothing;
    return html`<section class="cd-card cd-conflict" data-testid="conflict" role="alert" tabindex="-1">
      <h2>Someone else changed this customer</h2>
      <p>
        ${k.byline || "Another session saved a change after you opened this customer."} Nothing of yours was saved
        yet. Compare, then keep their version or apply yours on top of it.
      </p>
      <table class="cd-conflict-table">
        <thead>
          <tr><th scope="col">Field</th><th scope="col">Yours</th><th scope="col">Current</th></tr>
        </thead>
        <tbody>
          ${k.fields.map(
            (f) => html`<tr data-testid="conflict-field" data-field=${f.field} data-same=${f.same ? "true" : "false"}>
              <th scope="row">${f.label}</th>
              <td data-testid="conflict-mine">${f.mine}</td>
              <td data-testid="conflict-theirs">${f.theirs}${f.same ? html` <span class="cd-muted">(same)</span>` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${k.others.length
        ? html`<p class="cd-small">Also changed by them:</p>
            <ul class="cd-changes" data-testid="conflict-others">
              ${k.others.map(
                (o) => html`<li data-field=${o.field}>
                  <span class="cd-label">${o.label}:</span> <span class="cd-from">${o.before}</span>
                  <span aria-hidden="true">→</span> <strong class="cd-to">${o.after}</strong>
                </li>`,
              )}
            </ul>`
        : nothing}
      <div class="cd-buttons">
        <button type="button" class="cd-btn" data-testid="conflict-reload" ?disabled=${s.busy.conflict} @click=${takeTheirs}>
          Keep theirs
        </button>
        <button type="button" class="cd-btn cd-btn-primary" data-testid="conflict-overwrite" ?disabled=${s.busy.conflict} @click=${applyMine}>
          ${s.busy.conflict ? "Applying…" : "Apply mine on top"}
        </button>
      </div>
    </section>`;
  }

  // ---- data ----------------------------------------------------------------------

  function subscribe() {
    if (!db) {
      s.loading = false;
      s.loadError = "The database is not available.";
      update();
      return;
    }
    const ref = doc(db, "customers", key);
    unsubs.push(
      onSnapshot(
        ref,
        { includeMetadataChanges: true },
        (snap) => {
          if (disposed) return;
          if (!snap.exists()) {
            if (snap.metadata.fromCache) {
              // Offline: no answer from the server yet. Don't call it missing.
              s.waiting = true;
              update();
              return;
            }
            s.loading = false;
            s.missing = true;
            s.customer = null;
            update();
            return;
          }
          const first = !s.customer;
          s.customer = snap.data({ serverTimestamps: "estimate" });
          s.loading = false;
          s.waiting = false;
          s.missing = false;
          s.loadError = null;
          if (first) {
            afterFirstLoad();
          }
          update();
        },
        (error) => {
          if (disposed) return;
          s.loading = false;
          if (error && error.code === "permission-denied") {
            // Not theirs (or reassigned away while open): the same answer as missing.
            s.missing = true;
            s.customer = null;
          } else {
            s.loadError = firestoreErrorMessage(error);
          }
          update();
        },
      ),
    );
    if (isPartner) {
      s.timeline = { entries: [], loading: false, error: null, hidden: "The timeline is kept for the studio team.", hasMore: false };
    } else {
      subscribeTimeline();
    }
  }

  function subscribeTimeline() {
    if (stopTimeline) stopTimeline();
    const size = timelineSize;
    const q = query(collection(db, "customers", key, "activity"), orderBy("at", "desc"), limit(size));
    let unsub = null;
    unsub = onSnapshot(
      q,
      (snap) => {
        if (disposed) return;
        s.timeline = {
          entries: snap.docs.map((d) => ({ id: d.id, ...d.data({ serverTimestamps: "estimate" }) })),
          loading: false,
          error: null,
          hidden: null,
          hasMore: snap.size >= size,
          loadingMore: false,
        };
        update();
      },
      (error) => {
        if (disposed) return;
        s.timeline = {
          entries: s.timeline.entries,
          loading: false,
          error:
            error && error.code === "permission-denied"
              ? "The timeline is not available to you."
              : `Could not load the timeline. ${firestoreErrorMessage(error)}`,
          hidden: null,
          hasMore: false,
        };
        update();
      },
    );
    stopTimeline = () => {
      if (unsub) unsub();
      unsub = null;
    };
  }

  /** Older entries: the live window grows by a page (one listener, no gaps). */
  function showOlder() {
    if (s.timeline.loadingMore) return;
    timelineSize += TIMELINE_LIMIT;
    s.timeline = { ...s.timeline, loadingMore: true };
    update();
    subscribeTimeline();
  }

  function retryLoad() {
    if (stopTimeline) stopTimeline();
    for (const u of unsubs.splice(0)) {
      try {
        u();
      } catch {
        /* already gone */
      }
    }
    s.loading = true;
    s.loadError = null;
    s.missing = false;
    s.customer = null;
    update();
    subscribe();
  }

  async function afterFirstLoad() {
    // Team names for the owner field (and the owner picker). Owner reads all of team; a
    // rep only their own entry (shown as "you" anyway); a partner none.
    if (!isOwner || s.teamLoaded || !db) return;
    s.teamLoaded = true;
    try {
      const snap = await getDocs(collection(db, "team"));
      snap.forEach((d) => s.team.set(d.id, d.data() || {}));
      update();
    } catch {
      /* names are a nicety: the uid is shown instead */
    }
  }

  // ---- writes --------------------------------------------------------------------

  async function send(method, suffix, body) {
    const path = `/admin/customers/${encodeURIComponent(key)}${suffix}`;
    if (!ctx || !ctx.api || typeof ctx.api.request !== "function") {
      return { ok: false, status: 0, body: null, network: true };
    }
    try {
      const res = await normalise(await ctx.api.request(method, path, body));
      if (res.ok && res.body && res.body.customer && typeof res.body.customer.updatedAt === "string") {
        const iso = res.body.customer.updatedAt;
        if (!s.lastResponseIso || isoMicros(iso) > isoMicros(s.lastResponseIso)) s.lastResponseIso = iso;
        rebaseEdit(res.body.customer);
      }
      return res;
    } catch (error) {
      return { ok: false, status: 0, body: null, network: true, error };
    }
  }

  /**
   * My own write (a stage change, a payment, a note) moves updatedAt under an open edit
   * form. When it left every field the form edits as the form saw them, the form's
   * version moves with it, so saving later is not mistaken for someone else's change.
   */
  function rebaseEdit(customer) {
    const e = s.edit;
    if (!e || !customer || typeof customer.updatedAt !== "string") return;
    if (isoMicros(customer.updatedAt) <= isoMicros(e.baseIso)) return;
    const after = snapshotValues(customer);
    const same = ["name", "company", "mobile", "segment", "ownerUid", "custom"].every((f) => sameValue(after[f], e.base[f]));
    if (!same) return;
    e.baseIso = customer.updatedAt;
    e.base = { ...e.base, stage: after.stage, archived: after.archived, pending: after.pending, paid: after.paid };
  }

  function outcomeText(res, applied) {
    const outcome = res.body && res.body.outcome;
    if (outcome === "unchanged") return "Nothing to change: it was already so.";
    if (outcome === "duplicate") return `${applied} (it had already been saved).`;
    return applied;
  }

  function snapshotValues(c) {
    return {
      name: c.name ?? null,
      company: c.company ?? null,
      mobile: c.mobile ?? null,
      segment: c.segment ?? null,
      ownerUid: c.ownerUid ?? null,
      stage: c.stage ?? null,
      archived: Boolean(c.archived),
      pending: c.balances ? c.balances.pending ?? 0 : 0,
      paid: c.balances ? c.balances.paid ?? 0 : 0,
      custom: c.custom && typeof c.custom === "object" ? { ...c.custom } : {},
    };
  }

  function display(field, value) {
    if (value === null || value === undefined || value === "") return "—";
    if (field === "stage") return stageInfo(ctx && ctx.stages, value).label;
    if (field === "ownerUid") return ownerText(value);
    if (field === "pending" || field === "paid") return formatMoney(value, currency());
    if (field === "archived") return value ? "archived" : "active";
    return valueText(value);
  }

  /** The conflict panel's content: each field I change (mine vs current), and what else they changed. */
  function buildConflict(op, payload, current, base) {
    const cur = current && typeof current === "object" ? current : {};
    const now = snapshotValues({ ...cur, custom: cur.custom });
    const fields = [];
    const touched = new Set();
    if (op === "patch") {
      for (const [field, value] of Object.entries(payload)) {
        if (field === "custom") {
          for (const [ck, cv] of Object.entries(value || {})) {
            touched.add(`custom.${ck}`);
            const theirs = now.custom[ck];
            fields.push({
              field: `custom.${ck}`,
              label: `${ck} (custom field)`,
              mine: cv === null ? "(removed)" : valueText(cv),
              theirs: theirs === undefined ? "(not set)" : valueText(theirs),
              same: sameValue(cv, theirs === undefined ? null : theirs),
            });
          }
        } else {
          touched.add(field);
          fields.push({
            field,
            label: fieldLabel(field),
            mine: display(field, value),
            theirs: display(field, now[field]),
            same: sameValue(value ?? null, now[field] ?? null),
          });
        }
      }
    } else if (op === "owed") {
      touched.add("pending");
      fields.push({
        field: "pending",
        label: "Pending",
        mine: display("pending", payload.pending),
        theirs: display("pending", now.pending),
        same: payload.pending === now.pending,
      });
    }
    const others = [];
    if (base) {
      for (const field of ["name", "company", "mobile", "stage", "segment", "ownerUid", "archived", "pending", "paid"]) {
        if (touched.has(field) || sameValue(base[field], now[field])) continue;
        others.push({ field, label: fieldLabel(field === "pending" || field === "paid" ? `balances.${field}` : field), before: display(field, base[field]), after: display(field, now[field]) });
      }
      const keys = new Set([...Object.keys(base.custom || {}), ...Object.keys(now.custom || {})]);
      for (const ck of keys) {
        if (touched.has(`custom.${ck}`) || sameValue(base.custom[ck], now.custom[ck])) continue;
        others.push({
          field: `custom.${ck}`,
          label: `${ck} (custom field)`,
          before: base.custom[ck] === undefined ? "(not set)" : valueText(base.custom[ck]),
          after: now.custom[ck] === undefined ? "(removed)" : valueText(now.custom[ck]),
        });
      }
    }
    const at = typeof cur.updatedAt === "string" ? cur.updatedAt : null;
    return {
      op,
      payload,
      currentIso: at,
      base: base || null,
      fields,
      others,
      byline: at ? `It was changed ${formatDateTime(at, timeZone)}.` : "",
    };
  }

  function showConflict(op, payload, res, base) {
    s.conflict = buildConflict(op, payload, res.body && res.body.current, base);
    s.status = null;
    // The panel is at the top of the customer; the person is usually at the form.
    queueMicrotask(() => {
      const panel = container.querySelector('[data-testid="conflict"]');
      if (!panel) return;
      panel.scrollIntoView({ block: "start" });
      panel.focus({ preventScroll: true });
    });
  }

  // Stage: saves at once.
  async function changeStage(stage, retryId) {
    const c = s.customer;
    if (!c || !stage || (stage === c.stage && !retryId)) return;
    const base = snapshotValues(c);
    const requestId = retryId || newId();
    const changes = { stage };
    s.pendingStage = stage;
    s.busy.stage = true;
    s.stageError = null;
    update();
    const res = await send("PATCH", "", { expected_updated_at: currentIso(), changes, request_id: requestId });
    s.busy.stage = false;
    s.pendingStage = null;
    const label = stageInfo(ctx && ctx.stages, stage).label;
    if (res.ok) {
      setStatus("ok", outcomeText(res, `Stage changed to ${label}.`));
    } else if (res.status === 409) {
      showConflict("patch", changes, res, base);
    } else {
      const fields = fieldErrors(res.body);
      s.stageError = fields.stage || null;
      const why = fields.stage ? "" : res.network ? "Could not reach the server." : failureText(res);
      setStatus("error", `The stage was not changed to ${label}. ${why}`.trim(), {
        retry: res.network ? () => changeStage(stage, requestId) : undefined,
      });
    }
    update();
  }

  function openEdit() {
    const c = s.customer;
    if (!c) return;
    const custom = c.custom && typeof c.custom === "object" ? c.custom : {};
    s.edit = {
      baseIso: currentIso(),
      base: snapshotValues(c),
      draft: {
        name: c.name ?? "",
        company: c.company ?? "",
        mobile: c.mobile ?? "",
        segment: c.segment ?? "",
        ownerUid: c.ownerUid ?? "",
        custom: Object.keys(custom)
          .sort((a, b) => a.localeCompare(b))
          .map((k) => ({ key: k, value: customText(custom[k]), origKey: k, origValue: custom[k] })),
      },
      errors: {},
      formError: null,
      requestId: null,
      lastChanges: null,
    };
    s.conflict = null;
    update();
    queueMicrotask(() => {
      const first = container.querySelector('[data-testid="edit-form"] input[name="name"]');
      if (first) first.focus();
    });
  }

  function cancelEdit() {
    s.edit = null;
    s.conflict = null;
    update();
  }

  /** The changes the edit form makes against what it was opened on; null with errors set. */
  function editChanges() {
    const e = s.edit;
    const d = e.draft;
    const b = e.base;
    const changes = {};
    e.errors = {};
    e.formError = null;
    for (const name of TEXT_FIELDS) {
      if (name === "segment" && !isOwner) continue;
      const now = blankToNull(d[name]);
      if (now !== blankToNull(b[name])) changes[name] = now;
    }
    if (isOwner && blankToNull(d.ownerUid) !== blankToNull(b.ownerUid)) changes.ownerUid = blankToNull(d.ownerUid);
    const custom = {};
    const seen = new Set();
    let bad = false;
    for (const r of d.custom) {
      r.keyError = null;
      const k = r.key.trim();
      if (!k) {
        if (r.value.trim() === "" && r.origKey === null) continue; // an empty new row: ignore
        r.keyError = "Name this field.";
        bad = true;
        continue;
      }
      if (k.length > MAX_CUSTOM_KEY) {
        r.keyError = `At most ${MAX_CUSTOM_KEY} characters.`;
        bad = true;
      } else if (/^__.*__$/s.test(k)) {
        r.keyError = "Names like __this__ are reserved.";
        bad = true;
      } else if (seen.has(k)) {
        r.keyError = "Two fields have this name.";
        bad = true;
      }
      seen.add(k);
      if (r.value.length > MAX_CUSTOM_VALUE) {
        r.keyError = `The value is longer than ${MAX_CUSTOM_VALUE} characters.`;
        bad = true;
      }
    }
    if (bad) {
      e.formError = "Some custom fields need attention.";
      return null;
    }
    const kept = new Map();
    for (const r of d.custom) {
      const k = r.key.trim();
      if (k) kept.set(k, r);
    }
    for (const origKey of Object.keys(b.custom)) {
      if (!kept.has(origKey)) custom[origKey] = null; // removed or renamed
    }
    for (const [k, r] of kept) {
      const original = b.custom[k];
      const sameRow = r.origKey === k;
      if (original === undefined) {
        custom[k] = customValue(r.value, sameRow ? r.origValue : undefined);
      } else if (customText(original) !== r.value.trim() || !sameRow) {
        const value = customValue(r.value, original);
        if (!sameValue(value, original)) custom[k] = value;
      }
    }
    if (Object.keys(custom).length) changes.custom = custom;
    return changes;
  }

  async function submitEdit(ev) {
    ev.preventDefault();
    const e = s.edit;
    if (!e || s.busy.edit) return;
    const changes = editChanges();
    if (!changes) {
      update();
      return;
    }
    if (!Object.keys(changes).length) {
      s.edit = null;
      setStatus("info", "Nothing changed.");
      update();
      return;
    }
    // A retry of exactly the same changes after a network error keeps its request id.
    if (!e.requestId || !sameValue(e.lastChanges, changes)) e.requestId = newId();
    e.lastChanges = changes;
    s.busy.edit = true;
    update();
    const res = await send("PATCH", "", { expected_updated_at: e.baseIso, changes, request_id: e.requestId });
    s.busy.edit = false;
    if (s.edit !== e) return; // cancelled meanwhile
    if (res.ok) {
      s.edit = null;
      s.conflict = null;
      setStatus("ok", outcomeText(res, "Saved."));
    } else if (res.status === 409) {
      e.requestId = null;
      showConflict("patch", changes, res, e.base);
    } else {
      const fields = fieldErrors(res.body);
      for (const [name, message] of Object.entries(fields)) {
        if (name.startsWith("custom.")) {
          const r = e.draft.custom.find((row) => row.key.trim() === name.slice(7));
          if (r) r.keyError = message;
          else e.errors.custom = message;
        } else e.errors[name] = message;
      }
      e.formError = res.status === 400 && Object.keys(fields).length ? "Some fields need attention." : failureText(res);
    }
    update();
  }

  async function takeTheirs() {
    const k = s.conflict;
    if (!k) return;
    s.conflict = null;
    if (k.op === "patch" && s.edit) s.edit = null;
    if (k.op === "owed") {
      s.owed.pending = "";
      s.owed.requestId = null;
    }
    if (k.currentIso && (!s.lastResponseIso || isoMicros(k.currentIso) > isoMicros(s.lastResponseIso))) {
      s.lastResponseIso = k.currentIso;
    }
    setStatus("info", "Kept the current values. Your change was not applied.");
    update();
  }

  async function applyMine() {
    const k = s.conflict;
    if (!k || s.busy.conflict) return;
    const expected = k.currentIso || currentIso();
    s.busy.conflict = true;
    update();
    let res;
    if (k.op === "patch") {
      res = await send("PATCH", "", { expected_updated_at: expected, changes: k.payload, request_id: newId() });
    } else {
      res = await send("PUT", "/owed", { pending: k.payload.pending, expected_updated_at: expected, request_id: newId() });
    }
    s.busy.conflict = false;
    if (s.conflict !== k) return;
    if (res.ok) {
      s.conflict = null;
      if (k.op === "patch") s.edit = null;
      if (k.op === "owed") {
        s.owed.pending = "";
        s.owed.requestId = null;
      }
      setStatus("ok", outcomeText(res, "Your change was applied on top of the current version."));
    } else if (res.status === 409) {
      showConflict(k.op, k.payload, res, k.base);
    } else {
      const fields = Object.values(fieldErrors(res.body));
      setStatus("error", `Not applied. ${fields.length ? fields.join(" ") : failureText(res)}`);
    }
    update();
  }

  async function submitPayment(ev) {
    ev.preventDefault();
    if (s.busy.payment || !s.customer) return;
    const cur = currency();
    const parsed = parseMoney(s.payment.amount, cur);
    if (!parsed.ok) {
      s.payment.error = parsed.error;
      update();
      return;
    }
    const pending = Number((s.customer.balances && s.customer.balances.pending) || 0);
    if (parsed.value > pending) {
      s.payment.error = `That is more than is pending (${formatMoney(pending, cur)}). Set the amount owed first if the customer owes more.`;
      update();
      return;
    }
    s.payment.paymentId ||= newId();
    s.payment.error = null;
    s.busy.payment = true;
    update();
    const body = { amount: parsed.value, payment_id: s.payment.paymentId };
    if (s.payment.note.trim()) body.note = s.payment.note.trim();
    const res = await send("POST", "/payments", body);
    s.busy.payment = false;
    if (res.ok) {
      s.payment = { amount: "", note: "", error: null, paymentId: null };
      setStatus("ok", outcomeText(res, `Payment of ${formatMoney(parsed.value, cur)} recorded.`));
    } else {
      const fields = fieldErrors(res.body);
      s.payment.error = fields.amount || fields.note || fields.payment_id || failureText(res);
      if (fields.payment_id) s.payment.paymentId = null;
      if (!res.network) s.payment.paymentId = null;
    }
    update();
  }

  async function submitOwed(ev) {
    ev.preventDefault();
    if (s.busy.owed || !s.customer) return;
    const cur = currency();
    const parsed = parseMoney(s.owed.pending, cur, { allowZero: true });
    if (!parsed.ok) {
      s.owed.error = parsed.error;
      update();
      return;
    }
    const base = snapshotValues(s.customer);
    s.owed.requestId ||= newId();
    s.owed.error = null;
    s.busy.owed = true;
    update();
    const res = await send("PUT", "/owed", {
      pending: parsed.value,
      expected_updated_at: currentIso(),
      request_id: s.owed.requestId,
    });
    s.busy.owed = false;
    if (res.ok) {
      s.owed = { pending: "", error: null, requestId: null };
      setStatus("ok", outcomeText(res, `Amount owed set to ${formatMoney(parsed.value, cur)}.`));
    } else if (res.status === 409) {
      s.owed.requestId = null;
      showConflict("owed", { pending: parsed.value }, res, base);
    } else {
      const fields = fieldErrors(res.body);
      s.owed.error = fields.pending || failureText(res);
      if (!res.network) s.owed.requestId = null;
    }
    update();
  }

  async function submitNote(ev) {
    ev.preventDefault();
    if (s.busy.note) return;
    const text = s.note.text.trim();
    if (!text) {
      s.note.error = "Write something first.";
      update();
      return;
    }
    s.note.noteId ||= newId();
    s.note.error = null;
    s.busy.note = true;
    update();
    const res = await send("POST", "/notes", { text, note_id: s.note.noteId });
    s.busy.note = false;
    if (res.ok) {
      s.note = { text: "", error: null, noteId: null };
      setStatus("ok", outcomeText(res, "Note added."));
    } else {
      const fields = fieldErrors(res.body);
      s.note.error = fields.text || fields.note_id || failureText(res);
      if (!res.network) s.note.noteId = null;
    }
    update();
  }

  async function setArchived(archived) {
    if (s.busy.archive) return;
    s.archiveRetryId ||= newId();
    s.busy.archive = true;
    update();
    const res = await send("POST", archived ? "/archive" : "/unarchive", { request_id: s.archiveRetryId });
    s.busy.archive = false;
    if (res.ok) {
      s.archiveRetryId = null;
      setStatus(
        "ok",
        outcomeText(res, archived ? "Archived: hidden from the list, nothing deleted." : "Back from the archive."),
      );
    } else {
      if (!res.network) s.archiveRetryId = null;
      setStatus("error", `${archived ? "Not archived" : "Not brought back"}. ${failureText(res)}`, {
        retry: res.network ? () => setArchived(archived) : undefined,
      });
    }
    update();
  }

  // ---- start ---------------------------------------------------------------------

  update();
  subscribe();
  if (ctx && typeof ctx.onChange === "function") {
    try {
      const off = ctx.onChange("stages", () => update());
      if (typeof off === "function") stopStages = off;
    } catch {
      /* the shell may not offer change events: stages are read at each render anyway */
    }
  }

  return function cleanup() {
    disposed = true;
    clearInterval(tick);
    clearTimeout(statusTimer);
    if (stopStages) stopStages();
    if (stopTimeline) stopTimeline();
    bookings?.cleanup();
    for (const u of unsubs.splice(0)) {
      try {
        u();
      } catch {
        /* already gone */
      }
    }
  };
}

// Scoped styles for this view (the shell's styles.css may refine them). Static text,
// no bindings: lit-html keeps it as is.
const styles = html`<style>
  .cd { --cd-gap: 12px; --cd-border: var(--line, #e3e5e8); --cd-muted: var(--muted, #5f6670); --cd-radius: 14px; --cd-primary: var(--accent, #1f2937); --cd-primary-ink: var(--accent-ink, #fff); box-sizing: border-box; }
  .cd *, .cd *::before, .cd *::after { box-sizing: border-box; }
  .cd h1 { font-size: 1.45rem; margin: 0; overflow-wrap: anywhere; line-height: 1.25; }
  .cd h2 { font-size: 1.05rem; margin: 0 0 10px; }
  .cd h3 { font-size: 0.95rem; margin: 14px 0 6px; }
  .cd-back { margin: 0 0 10px; }
  .cd-back a { text-decoration: none; }
  .cd-card { background: var(--surface, #fff); border: 1px solid var(--cd-border); border-radius: var(--cd-radius); box-shadow: var(--shadow, none); padding: 14px; margin-bottom: var(--cd-gap); }
  .cd-state { padding: 24px; text-align: center; }
  .cd-head { display: flex; flex-wrap: wrap; align-items: flex-start; justify-content: space-between; gap: 8px; margin-bottom: var(--cd-gap); }
  .cd-title { min-width: 0; flex: 1 1 220px; }
  .cd-sub { margin: 2px 0 0; color: var(--cd-muted); overflow-wrap: anywhere; }
  .cd-head-tags { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  .cd-pill { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: 0.85rem; font-weight: 650; color: #fff; background: var(--lead, #c0392b); white-space: nowrap; }
  .cd-pill[data-group="production"] { background: var(--production, #1f6fd1); }
  .cd-pill[data-group="delivered"] { background: var(--delivered, #1e8e4e); }
  .cd-tag { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 0.78rem; background: #eef0f3; color: #333; }
  .cd-tag-archived { background: #6b7280; color: #fff; }
  .cd-grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 var(--cd-gap); }
  @media (min-width: 900px) { .cd-grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
  .cd-col { min-width: 0; }
  .cd-fields { margin: 0; }
  .cd-row { display: grid; grid-template-columns: 1fr; gap: 2px; padding: 7px 0; border-top: 1px solid #f0f1f3; }
  .cd-row:first-child { border-top: 0; }
  @media (min-width: 480px) { .cd-row { grid-template-columns: 150px minmax(0, 1fr); gap: 10px; } }
  .cd-row dt { color: var(--cd-muted); font-size: 0.85rem; }
  .cd-row dd { margin: 0; overflow-wrap: anywhere; }
  .cd-chip { display: inline-block; margin: 0 4px 4px 0; padding: 1px 8px; border-radius: 6px; background: #f1f3f5; font-size: 0.85rem; }
  .cd-break { overflow-wrap: anywhere; word-break: break-word; }
  .cd-muted { color: var(--cd-muted); }
  .cd-small { font-size: 0.85rem; }
  .cd-warn { display: block; color: #9a5b00; font-size: 0.85rem; margin-top: 2px; }
  .cd-error { color: var(--danger, #b42318); font-size: 0.88rem; margin: 6px 0 0; display: block; }
  .cd-actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; justify-content: space-between; }
  .cd-stage-label { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .cd-stage-label > span:first-child { font-weight: 600; }
  .cd select, .cd input, .cd textarea { font: inherit; padding: 8px 10px; border: 1px solid var(--line-strong, #c8ccd2); border-radius: 8px; background: #fff; min-height: 40px; max-width: 100%; }
  .cd textarea { width: 100%; resize: vertical; }
  .cd [aria-invalid="true"] { border-color: var(--danger, #b42318); }
  .cd-buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
  .cd-actions .cd-buttons { margin-top: 0; }
  .cd-btn { font: inherit; font-weight: 550; min-height: 40px; padding: 8px 14px; border-radius: 8px; border: 1px solid var(--line-strong, #c8ccd2); background: var(--surface, #fff); color: var(--ink, #17202b); cursor: pointer; }
  .cd-btn:hover:not(:disabled) { background: #f0f2f5; }
  .cd-btn:disabled { opacity: 0.6; cursor: default; }
  .cd-btn-primary { background: var(--cd-primary); border-color: var(--cd-primary); color: var(--cd-primary-ink); }
  .cd-btn-primary:hover:not(:disabled) { background: var(--cd-primary); filter: brightness(0.9); }
  .cd-btn-quiet { background: transparent; }
  .cd-btn-small { min-height: 34px; padding: 4px 10px; font-size: 0.88rem; }
  .cd-x { border: 0; background: transparent; font-size: 1.2rem; cursor: pointer; margin-left: auto; line-height: 1; padding: 4px 8px; }
  .cd-form label, .cd-field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 10px; font-size: 0.9rem; }
  .cd-field input, .cd-field select { width: 100%; }
  .cd-inline-form { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin-top: 12px; padding-top: 12px; border-top: 1px solid #f0f1f3; }
  .cd-inline-form label { flex: 1 1 120px; margin-bottom: 0; }
  .cd-inline-form input { width: 100%; }
  .cd-inline-form .cd-error { flex-basis: 100%; }
  .cd-balances { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin: 0; }
  .cd-balances dt { color: var(--cd-muted); font-size: 0.85rem; }
  .cd-balances dd { margin: 0; font-size: 1.3rem; font-weight: 600; font-variant-numeric: tabular-nums; }
  .cd-custom { border: 1px solid var(--cd-border); border-radius: 8px; padding: 10px; margin: 0 0 10px; min-width: 0; }
  .cd-custom-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) 40px; gap: 6px; align-items: end; }
  .cd-btn-icon { width: 40px; padding: 0; color: var(--muted, #5f6670); }
  .cd-btn-icon:hover:not(:disabled) { color: var(--danger, #b42318); }
  .cd-custom-row .cd-field { margin-bottom: 8px; }
  .cd-custom-row > .cd-btn { margin-bottom: 8px; }
  .cd-custom-error { grid-column: 1 / -1; margin-top: -4px; margin-bottom: 8px; }
  .cd-status { display: flex; gap: 10px; align-items: center; padding: 10px 12px; border-radius: 8px; margin-bottom: var(--cd-gap); border: 1px solid; }
  .cd-status-ok { background: #ecfdf3; border-color: #abefc6; color: #05603a; }
  .cd-status-info { background: #f0f5ff; border-color: #c7d7fe; color: #1d3a8a; }
  .cd-status-error { background: #fef3f2; border-color: #fecdca; color: #912018; }
  .cd-conflict { border-color: #f5b041; background: #fffaf0; scroll-margin-top: 72px; }
  .cd-conflict:focus { outline: none; }
  .cd-conflict-table { width: 100%; border-collapse: collapse; margin: 8px 0; table-layout: fixed; }
  .cd-conflict-table th, .cd-conflict-table td { text-align: left; padding: 6px; border-bottom: 1px solid #f1e2c4; vertical-align: top; overflow-wrap: anywhere; font-size: 0.9rem; }
  .cd-conflict-table thead th { color: var(--cd-muted); font-weight: 600; }
  .cd-timeline-list { list-style: none; margin: 0; padding: 0; }
  .cd-item { padding: 10px 0 10px 14px; border-left: 2px solid var(--cd-border); margin-left: 4px; position: relative; }
  .cd-item::before { content: ""; position: absolute; left: -6px; top: 15px; width: 10px; height: 10px; border-radius: 50%; background: #9aa3ad; }
  .cd-item[data-type="form_submission"]::before { background: #1f6fd1; }
  .cd-item[data-type="payment"]::before { background: #1e8e4e; }
  .cd-item[data-type="note"]::before { background: #b7791f; }
  .cd-item-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 2px 10px; }
  .cd-item-title { overflow-wrap: anywhere; }
  .cd-item-meta { color: var(--cd-muted); font-size: 0.82rem; overflow-wrap: anywhere; }
  .cd-answers { margin: 6px 0 0; display: grid; gap: 4px; }
  .cd-answers > div { display: grid; grid-template-columns: minmax(90px, 35%) minmax(0, 1fr); gap: 8px; font-size: 0.9rem; }
  .cd-answers dt { color: var(--cd-muted); overflow-wrap: anywhere; }
  .cd-answers dd { margin: 0; overflow-wrap: anywhere; }
  .cd-note-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 0; }
  .cd-changes { margin: 6px 0 0; padding-left: 18px; font-size: 0.9rem; }
  .cd-changes li { overflow-wrap: anywhere; }
  .cd-from { color: var(--cd-muted); text-decoration: line-through; text-decoration-color: #c3c7cd; }
  .cd-label { color: var(--cd-muted); }
  .cd-more { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: space-between; margin-top: 8px; }
  .cd-also-said { margin: 6px 0 0; padding-left: 18px; font-size: 0.9rem; color: #7a4b00; }
</style>`;
