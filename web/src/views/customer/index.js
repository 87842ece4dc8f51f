// Customer detail: every field, balances, stage, edit (with 409 conflicts), custom
// fields, notes, archive, and the live timeline.
//
// Reads come straight from Firestore (live listeners in data/firestore.js, within
// firestore.rules); every write goes through the admin API (ctx.api.request) with the
// ID token. Everything from the database is rendered through lit-html bindings, i.e.
// as text.
//
// This file holds the screen's state and assembles one component per job: the header
// and actions (header.js), the details (details.js), editing (edit.js) and its
// conflicts (conflict.js), balances and payments (balances.js), notes (note.js), the
// timeline (timeline.js) and the calls (../customer-bookings.js). Each component gets
// `view`: the shared state `s` and the few operations they all use (update, send,
// setStatus, currentIso, ...).

import { html, nothing, render } from "lit-html";
import { listTeam, watchCustomer, watchCustomerMessages, watchFieldSettings, watchMovingMerges } from "../../data/firestore.js";
import { isoTime } from "../../lib/format.js";
import { mountCustomerBookings } from "../customer-bookings.js";
import { mountCustomerTasks } from "../tasks/customer-tasks.js";
import { error as errorState, firestoreErrorMessage, loading as loadingState } from "../states.js";
import { NOT_YOURS, normalise } from "./answers.js";
import { customerBalances } from "./balances.js";
import { customerConflict } from "./conflict.js";
import { customerConsent } from "./consent.js";
import { customerDetails } from "./details.js";
import { customerEdit } from "./edit.js";
import { customerHeader } from "./header.js";
import { mergingBanner } from "./merge-entry.js";
import { customerNote } from "./note.js";
import { customerPersonalData } from "./personal-data.js";
import { customerTimeline } from "./timeline.js";
import { customerWhatsApp } from "./whatsapp.js";
import { customerEmail } from "./email.js";
import { definedFields } from "./typed-fields.js";
import { isoMicros } from "./versions.js";

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
    fields: [], // the owner's typed custom fields (settings/fields), live
  };

  let disposed = false;
  const unsubs = [];
  let statusTimer = null;
  let stopStages = null;
  // The calls section keeps its own element and listener (owner and rep only: the rules
  // give nobody else bookings); lit-html places the element in the layout.
  const bookingsHost = document.createElement("div");
  let bookings = null;
  // The open tasks likewise (owner and rep: the rules give nobody else tasks).
  const tasksHost = document.createElement("div");
  let tasks = null;

  const view = {
    ctx,
    key,
    db,
    session,
    timeZone,
    isOwner,
    isPartner,
    container,
    s,
    get disposed() {
      return disposed;
    },
    update,
    send,
    setStatus,
    currentIso,
    canEdit,
    currency,
    teamName,
    ownerText,
    showConflict: (...args) => conflict.show(...args),
    openEdit: () => edit.open(),
  };
  const header = customerHeader(view);
  const details = customerDetails(view);
  const edit = customerEdit(view);
  const conflict = customerConflict(view);
  const balances = customerBalances(view);
  const note = customerNote(view);
  const timeline = customerTimeline(view);
  const consent = customerConsent(view);
  const personalData = customerPersonalData(view);
  const whatsapp = customerWhatsApp(view);
  const mail = customerEmail(view);

  // ---- rendering -----------------------------------------------------------------

  function update() {
    if (disposed) return;
    if (!bookings && s.customer && (role === "owner" || role === "rep")) {
      bookings = mountCustomerBookings(bookingsHost, ctx, key, { customer: () => s.customer, canEdit });
    }
    bookings?.update();
    if (!tasks && s.customer && (role === "owner" || role === "rep")) {
      tasks = mountCustomerTasks(tasksHost, ctx, key, { canEdit });
    }
    tasks?.update();
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
    const snap = s.customer ? isoTime(s.customer.updatedAt) || isoTime(s.customer.createdAt) : null;
    const resp = s.lastResponseIso;
    if (resp && (!snap || isoMicros(resp) > isoMicros(snap))) return resp;
    return snap;
  }

  function page() {
    return html`<div class="cd">
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
    const editable = canEdit();
    return html`<article class="cd-detail" data-testid="customer-detail" data-key=${key} data-archived=${c.archived ? "true" : "false"}>
      ${header.template(c)} ${personalData.deadlineTemplate()}

      ${statusTemplate()} ${mergingBanner(s.merging, key)} ${conflict.template()}

      <div class="cd-grid">
        <div class="cd-col">
          ${editable ? header.actionsTemplate(c) : nothing} ${balances.template(c, editable)}
          ${s.edit ? edit.template() : details.template(c)} ${consent.template()} ${personalData.template()}
        </div>
        <div class="cd-col">
          ${tasks ? tasksHost : nothing} ${bookings ? bookingsHost : nothing} ${editable ? whatsapp.template(c) : nothing} ${editable ? mail.template(c) : nothing} ${editable ? note.template() : nothing}
          ${timeline.template()}
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

  // ---- data ----------------------------------------------------------------------

  function subscribe() {
    if (!db) {
      s.loading = false;
      s.loadError = "The database is not available.";
      update();
      return;
    }
    unsubs.push(
      watchCustomer(
        db,
        key,
        ({ customer, fromCache }) => {
          if (disposed) return;
          if (!customer) {
            if (fromCache) {
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
          s.customer = customer;
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
    if (!isPartner) {
      // Unreadable settings leave every custom field free-form: labels are not worth an error.
      unsubs.push(
        watchFieldSettings(
          db,
          (settings) => {
            s.fields = definedFields(settings);
            update();
          },
          () => {},
        ),
      );
    }
    if (isOwner) unsubs.push(watchMovingMerges(db, key, (moving) => ((s.merging = moving), update()), () => {}));
    if (isOwner || role === "rep") {
      // What became of each message sent: the rules let a rep read the messages of
      // their own customers, the owner every one.
      const statuses = (found) => {
        s.messageStatuses = new Map(found.map((m) => [m.id, { status: m.status, reason: m.reason }]));
        update();
      };
      unsubs.push(watchCustomerMessages(db, key, statuses, () => {}));
    }
    if (isPartner) {
      s.timeline = { entries: [], loading: false, error: null, hidden: "The timeline is kept for the studio team.", hasMore: false };
    } else {
      timeline.start();
    }
    personalData.start();
    if (!isPartner) {
      whatsapp.start();
      mail.start();
    }
  }

  function stopListening() {
    timeline.stop();
    personalData.stop();
    whatsapp.stop();
    mail.stop();
    for (const u of unsubs.splice(0)) {
      try {
        u();
      } catch {
        /* already gone */
      }
    }
  }

  function retryLoad() {
    stopListening();
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
      for (const member of await listTeam(db)) s.team.set(member.uid, member);
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
        edit.rebase(res.body.customer);
      }
      return res;
    } catch (error) {
      return { ok: false, status: 0, body: null, network: true, error };
    }
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
    bookings?.cleanup();
    tasks?.cleanup();
    stopListening();
  };
}
