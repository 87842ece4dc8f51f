// The customer's timeline (customers/{key}/activity), newest first.
//
// Every value comes from the database and is rendered through lit-html bindings, so
// it is always text (never markup). Entry shapes are functions/hearth/activity.py's:
// form submissions (fields, answers, consent, source, page, conflicts) and staff
// actions (change, owed, payment, archive, unarchive, note) with their actor; calls
// (booking, booking_cancelled, booking_rescheduled, from hearth/bookings.py); follow-ups
// (task, task_done, from hearth/store/timeline.py); WhatsApp and e-mail; merges. Any
// other type gets a generic rendering.
//
// Each entry shows its icon, title and one summary line (entry-summary.js); what else
// it holds (a form's answers, the fields changed, an e-mail's body) opens under it with
// "Show details", and "Expand all" opens every one. A WhatsApp message, a follow-up and
// a merge (with its Undo) are short enough to stay open.

import { html, nothing } from "lit-html";
import { watchTimeline } from "../../data/firestore.js";
import { formatDateTime, formatMoney, formatTime, toDate } from "../../lib/format.js";
import { mergesApi } from "../../data/merges-api.js";
import { safeUrl } from "../../lib/urls.js";
import { firestoreErrorMessage } from "../states.js";
import { clip, summaryOf } from "./entry-summary.js";
import { mergeContent, mergeTitle } from "./merge-entry.js";
import { typedText } from "./typed-fields.js";
import { fieldLabel, humanize, stageInfo, valueText, when } from "./values.js";

function actorText(actor, opts) {
  if (!actor || typeof actor !== "object") return "";
  if (actor.kind === "staff") {
    const who = actor.email || opts.teamName?.(actor.uid) || actor.uid || "staff";
    return actor.uid && opts.session?.uid === actor.uid ? `${who} (you)` : who;
  }
  if (actor.kind === "public_form") return "";
  return actor.email || actor.name || "";
}

const TYPE_TITLES = {
  change: "Changed",
  owed: "Amount owed set",
  payment: "Payment recorded",
  archive: "Archived",
  unarchive: "Brought back from the archive",
  note: "Note",
  booking: "Booking",
  message: "Message",
};

/**
 * The timeline section.
 * state: {entries: [{id, ...data}], loading, error, hidden (reason text), hasMore, loadingMore}
 * opts: {stages, timeZone, currency, session, teamName(uid) -> text|undefined, onMore()}
 */
// Each kind of entry at a glance (decoration: the title says the same in words).
const ICONS = {
  form_submission: "📝",
  import: "📥",
  change: "✏️",
  owed: "💶",
  payment: "💶",
  note: "🗒️",
  archive: "📦",
  unarchive: "📦",
  booking: "📅",
  booking_cancelled: "📅",
  booking_rescheduled: "📅",
  task: "☑️",
  task_done: "✅",
  whatsapp: "💬",
  email: "✉️",
  merged: "🔗",
  unmerged: "🔗",
  routed: "🧭",
  handover: "🤝",
};

const SHOWN = {
  all: { label: "Everything", keep: () => true },
  whatsapp: { label: "The WhatsApp conversation", keep: (e) => e.type === "whatsapp" },
  email: { label: "E-mails", keep: (e) => e.type === "email" },
};

export function timelineTemplate(state, opts) {
  const shown = SHOWN[opts.show] || SHOWN.all;
  const entries = (state.entries || []).filter(shown.keep);
  let body;
  if (state.hidden) {
    body = html`<p class="cd-muted" data-testid="timeline-hidden">${state.hidden}</p>`;
  } else if (state.error) {
    body = html`<p class="cd-error" data-testid="timeline-error" role="alert">${state.error}</p>`;
  } else if (state.loading && !entries.length) {
    body = html`<p class="cd-muted" data-testid="timeline-loading">Loading the timeline…</p>`;
  } else if (!entries.length) {
    body = html`<p class="cd-muted" data-testid="timeline-empty">${shown === SHOWN.all
      ? "Nothing on the timeline yet."
      : "Nothing of this kind on the timeline yet."}</p>`;
  } else {
    body = html`<ol class="cd-timeline-list">
      ${entries.map((entry) => itemTemplate(entry, opts))}
    </ol>`;
  }
  return html`<section class="cd-card cd-timeline" data-testid="timeline" aria-label="Timeline">
    <h2>Timeline</h2>
    ${opts.expand && entries.length
      ? html`<button type="button" class="cd-btn cd-btn-small cd-expand-all" data-testid="timeline-expand-all"
          aria-pressed=${opts.expand.all ? "true" : "false"} @click=${opts.expand.toggleAll}>
          ${opts.expand.all ? "Collapse all" : "Expand all"}</button>`
      : nothing}
    ${opts.onShow
      ? html`<label class="cd-small">Show
          <select data-testid="timeline-show" .value=${opts.show || "all"} @change=${(e) => opts.onShow(e.target.value)}>
            ${Object.entries(SHOWN).map(([id, s]) => html`<option value=${id}>${s.label}</option>`)}
          </select>
        </label>`
      : nothing}
    ${body}
    ${state.hasMore && !state.hidden && !state.error
      ? html`<div class="cd-more">
          <span class="cd-muted cd-small">Showing the latest ${entries.length} entries.</span>
          ${opts.onMore
            ? html`<button type="button" class="cd-btn cd-btn-small" data-testid="timeline-more" ?disabled=${state.loadingMore} @click=${opts.onMore}>
                ${state.loadingMore ? "Loading…" : "Show older"}
              </button>`
            : nothing}
        </div>`
      : nothing}
  </section>`;
}

const STATUS_TEXT = {
  sending: "Sending",
  accepted: "Accepted by WhatsApp",
  unconfirmed: "Sent; not confirmed yet",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
  not_sent: "Not sent: the mail server was out of reach",
};

/** A sent message's status as it stands (opts.statuses, from the messages the rules let this user read). */
function statusTemplate(entry, opts) {
  if (entry.direction !== "out" || !opts.statuses) return nothing;
  const found = opts.statuses.get(entry.messageId);
  if (!found || !found.status) return nothing;
  const text = STATUS_TEXT[found.status] || found.status;
  return html`<p class="cd-hint" data-testid="message-status" data-status=${found.status}>${text}${found.reason
    ? html`: ${found.reason}`
    : nothing}</p>`;
}

function itemTemplate(entry, opts) {
  const type = typeof entry.type === "string" && entry.type ? entry.type : "other";
  const who = actorText(entry.actor, opts);
  let title;
  let content;
  let after = nothing; // shown open or closed: a sent message's status
  switch (type) {
    case "form_submission":
      title = html`Form <strong>${entry.form || "unknown"}</strong> sent${entry.customerCreated
          ? html` <span class="cd-tag">first contact</span>`
          : nothing}`;
      content = submissionTemplate(entry, opts);
      break;
    case "change":
      title = changeTitle(entry, opts);
      content = changesTemplate(entry, opts);
      break;
    case "owed":
      title = html`${TYPE_TITLES.owed}`;
      content = changesTemplate(entry, opts);
      break;
    case "payment":
      title = html`Payment of
        <strong data-testid="payment-amount"
          >${formatMoney(entry.amount, entry.currency || opts.currency)}</strong
        >
        recorded`;
      content = html`${entry.note ? html`<p class="cd-note-text">${entry.note}</p>` : nothing}
      ${changesTemplate(entry, opts)}`;
      break;
    case "note":
      title = html`${TYPE_TITLES.note}`;
      content = html`<p class="cd-note-text">${entry.text ?? ""}</p>`;
      break;
    case "archive":
    case "unarchive":
      title = html`${TYPE_TITLES[type]}`;
      content = nothing;
      break;
    case "booking":
    case "booking_cancelled":
    case "booking_rescheduled":
      title = html`${bookingTitle(entry, opts)}`;
      content = bookingTemplate(entry, opts);
      break;
    case "task":
    case "task_done":
      title = html`${type === "task" ? "Follow-up set" : "Follow-up done"}: <strong>${entry.title ?? ""}</strong>`;
      content = type === "task" && entry.due
        ? html`<p class="cd-muted cd-small">Due ${formatDateTime(entry.due, opts.timeZone)}${entry.rule ? " · set by an automation" : ""}</p>`
        : nothing;
      break;
    case "whatsapp":
      // A WhatsApp message: its one-line summary (text, "Voice message", "Location: …").
      title = html`WhatsApp ${entry.direction === "out" ? "sent" : `from ${entry.profileName || entry.from || "the customer"}`}`;
      content = html`<p class="cd-note-text" data-testid="whatsapp-summary">${entry.summary ?? ""}</p>
        ${statusTemplate(entry, opts)}`;
      break;
    case "email":
      // An e-mail, in or out: its subject, and its HTML (an inbound one's) or its text.
      title = html`E-mail ${entry.direction === "out" ? "sent" : `from ${entry.from || "the customer"}`}: <strong>${entry.subject ?? ""}</strong>`;
      content = entry.html
        ? // Cleaned when it arrived, and shown in a frame that may run nothing, reach
          // nothing and read nothing of this page (sandbox without any allowance).
          html`<iframe class="cd-mail" sandbox="" referrerpolicy="no-referrer" data-testid="email-html"
            title=${`The e-mail: ${entry.subject ?? ""}`} srcdoc=${entry.html}></iframe>`
        : html`<p class="cd-note-text" data-testid="email-text-shown">${entry.text ?? ""}</p>`;
      content = html`${entry.replyTo && entry.replyTo.subject
        ? html`<p class="cd-hint" data-testid="email-reply-to">In reply to “${entry.replyTo.subject}”</p>`
        : nothing}${content}`;
      after = statusTemplate(entry, opts);
      break;
    case "merged":
    case "unmerged":
      title = mergeTitle(entry);
      content = mergeContent(entry, opts.undo);
      break;
    default:
      title = html`${TYPE_TITLES[type] || humanize(type)}`;
      content = genericTemplate(entry, opts, []);
  }
  const summary = summaryOf({ ...entry, type });
  const folds = content !== nothing && Boolean(opts.expand) && foldable(entry, type);
  const open = !folds || opts.expand.isOpen(entry.id);
  const bodyId = `cd-entry-${entry.id || ""}`;
  return html`<li class="cd-item" data-testid="timeline-item" data-type=${type} data-id=${entry.id || ""}
      data-open=${open ? "true" : "false"}>
    <div class="cd-item-head">
      <span class="cd-item-title"><span class="cd-icon" aria-hidden="true">${ICONS[type] || "•"}</span>${title}</span>
      <span class="cd-item-meta">
        ${who ? html`<span class="cd-actor" data-testid="timeline-actor">by ${who}</span> · ` : nothing}
        ${when(entry.at, opts.timeZone)}
      </span>
    </div>
    ${folds && !open && summary ? html`<p class="cd-item-summary" data-testid="timeline-summary">${summary}</p>` : nothing}
    ${after}
    ${folds
      ? html`<button type="button" class="cd-btn cd-btn-quiet cd-btn-small cd-item-toggle" data-testid="timeline-toggle" aria-expanded=${open ? "true" : "false"}
          aria-controls=${bodyId} @click=${() => opts.expand.toggle(entry.id)}>${open ? "Hide details" : "Show details"}</button>`
      : nothing}
    <div class="cd-item-body" id=${bodyId} ?hidden=${!open}>${content}</div>
  </li>`;
}

// Short enough to read at a glance, or carrying an action (a merge's Undo): never folded.
const OPEN_TYPES = new Set(["whatsapp", "task", "task_done", "merged", "unmerged", "archive", "unarchive"]);

function foldable(entry, type) {
  if (OPEN_TYPES.has(type)) return false;
  if (type === "note") return clip(entry.text) !== String(entry.text ?? "").trim(); // a long note
  return true;
}

function changeTitle(entry, opts) {
  const changes = entry.changes && typeof entry.changes === "object" ? entry.changes : {};
  const keys = Object.keys(changes);
  if (keys.length === 1 && keys[0] === "stage") {
    const from = stageInfo(opts.stages, changes.stage?.from);
    const to = stageInfo(opts.stages, changes.stage?.to);
    return html`Stage
      <span class="cd-from">${changes.stage?.from == null ? "—" : from.label}</span>
      <span aria-hidden="true">→</span>
      <strong class="cd-to">${to.label}</strong>`;
  }
  return html`${TYPE_TITLES.change}
  ${keys.length ? keys.map((k) => fieldLabel(k)).join(", ") : nothing}`;
}

function changeValue(field, value, entry, opts) {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "stage") return stageInfo(opts.stages, value).label;
  if (field === "balances.pending" || field === "balances.paid") {
    return formatMoney(value, entry.currency || opts.currency);
  }
  if (field === "ownerUid") return opts.teamName?.(value) || String(value);
  if (field === "archived") return value ? "archived" : "active";
  const defined = definedField(field, opts);
  if (defined) return typedText(defined, value, entry.currency || opts.currency);
  return valueText(value);
}

/** The owner's typed field a "custom.<key>" change is about, if it is one. */
function definedField(field, opts) {
  if (!field.startsWith("custom.") || !Array.isArray(opts.fields)) return null;
  return opts.fields.find((f) => f.key === field.slice(7)) || null;
}

function changesTemplate(entry, opts) {
  const changes = entry.changes && typeof entry.changes === "object" ? entry.changes : {};
  const keys = Object.keys(changes).sort();
  if (!keys.length) return nothing;
  if (entry.type === "change" && keys.length === 1 && keys[0] === "stage") return nothing;
  return html`<ul class="cd-changes">
    ${keys.map((field) => {
      const c = changes[field] && typeof changes[field] === "object" ? changes[field] : {};
      const removed = field.startsWith("custom.") && c.to === null;
      const added = field.startsWith("custom.") && (c.from === null || c.from === undefined);
      return html`<li data-change=${field}>
        <span class="cd-label">${definedField(field, opts)?.label || fieldLabel(field)}${field.startsWith("custom.") ? " (custom)" : ""}:</span>
        ${removed
          ? html`<span class="cd-from">${changeValue(field, c.from, entry, opts)}</span> removed`
          : added
            ? html`set to <strong class="cd-to">${changeValue(field, c.to, entry, opts)}</strong>`
            : html`<span class="cd-from">${changeValue(field, c.from, entry, opts)}</span>
                <span aria-hidden="true">→</span>
                <strong class="cd-to">${changeValue(field, c.to, entry, opts)}</strong>`}
      </li>`;
    })}
  </ul>`;
}

const SUBMISSION_FIELDS = ["name", "email", "company", "mobile", "message"];

function submissionTemplate(entry, opts) {
  const fields = entry.fields && typeof entry.fields === "object" ? entry.fields : {};
  const answers = entry.answers && typeof entry.answers === "object" ? entry.answers : {};
  const conflicts = entry.conflicts && typeof entry.conflicts === "object" ? entry.conflicts : {};
  const mobile = entry.mobile && typeof entry.mobile === "object" ? entry.mobile : null;
  const rows = [];
  const seen = new Set();
  for (const name of SUBMISSION_FIELDS) {
    seen.add(name);
    const value = fields[name];
    if (value === null || value === undefined || value === "") continue;
    rows.push({ name, label: fieldLabel(name), value, invalid: name === "mobile" && mobile && mobile.valid === false });
  }
  for (const [name, value] of Object.entries(fields)) {
    if (seen.has(name) || value === null || value === undefined || value === "") continue;
    rows.push({ name, label: humanize(name), value });
  }
  const answerKeys = Object.keys(answers);
  const conflictKeys = Object.keys(conflicts);
  const meta = [];
  if (entry.source) meta.push(html`via <span data-testid="submission-source">${entry.source}</span>`);
  if (entry.page) meta.push(html`on <span class="cd-break">${entry.page}</span>`);
  const erased = entry.erasedBefore && entry.erasedBefore.at;
  return html`
    ${erased
      ? html`<p class="cd-muted cd-small" data-testid="erased-before">
          An earlier record of this person was erased on ${formatDateTime(erased, opts.timeZone)}.
        </p>`
      : nothing}
    ${meta.length ? html`<p class="cd-muted cd-small">${meta.map((m, i) => html`${i ? " " : ""}${m}`)}</p>` : nothing}
    ${rows.length || answerKeys.length || entry.consent !== undefined
      ? html`<dl class="cd-answers" data-testid="submission-answers">
          ${rows.map(
            (r) => html`<div data-answer=${r.name}>
              <dt>${r.label}</dt>
              <dd class=${r.name === "message" ? "cd-note-text" : ""}>${valueText(r.value)}${r.invalid
                  ? html` <span class="cd-warn">(not a valid number)</span>`
                  : nothing}</dd>
            </div>`,
          )}
          ${answerKeys.map(
            (k) => html`<div data-answer=${k}>
              <dt>${humanize(k)}</dt>
              <dd class="cd-note-text">${valueText(answers[k])}</dd>
            </div>`,
          )}
          ${entry.consent === true || entry.consent === false
            ? html`<div data-answer="consent" data-testid="submission-consent">
                <dt>Marketing consent</dt>
                <dd>${entry.consent ? "yes, opted in" : "no, declined"}</dd>
              </div>`
            : nothing}
        </dl>`
      : nothing}
    ${conflictKeys.length
      ? html`<ul class="cd-also-said" data-testid="also-said">
          ${conflictKeys.map((k) => {
            const c = conflicts[k] && typeof conflicts[k] === "object" ? conflicts[k] : {};
            return html`<li data-conflict=${k}>
              ${fieldLabel(k)} — also said: <strong>${valueText(c.submitted)}</strong>
              <span class="cd-muted">(kept: ${valueText(c.stored)})</span>
            </li>`;
          })}
        </ul>`
      : nothing}
  `;
}

function bookingTitle(entry, opts) {
  const start = toDate(entry.start);
  const label = entry.typeLabel || entry.bookingType || "call";
  const at = start ? formatDateTime(start, opts.timeZone) : "";
  if (entry.type === "booking_rescheduled") {
    const before = toDate(entry.previous?.start);
    return `Call moved: ${label}${before ? ` from ${formatDateTime(before, opts.timeZone)}` : ""}${at ? ` to ${at}` : ""}`;
  }
  const what = entry.type === "booking_cancelled" || entry.status === "cancelled" ? "Call cancelled" : "Call booked";
  return `${what}: ${label}${at ? ` for ${at}` : ""}`;
}

/** A call on the timeline: when, the video link, the customer's own zone, notes, reason. */
function bookingTemplate(entry, opts) {
  const start = toDate(entry.start);
  const end = toDate(entry.end);
  const link = entry.type === "booking_cancelled" ? null : safeUrl(entry.videoLink);
  const rows = [];
  if (start) rows.push(["When", `${formatDateTime(start, opts.timeZone)}${end ? `–${formatTime(end, opts.timeZone)}` : ""}`]);
  if (link) rows.push(["Video link", html`<a href=${link} target="_blank" rel="noopener noreferrer">${link}</a>`]);
  if (start && entry.tz && entry.tz !== opts.timeZone) rows.push(["Customer's time", `${formatDateTime(start, entry.tz)} (${entry.tz})`]);
  if (entry.source && entry.source !== "booking") rows.push(["Booked through", entry.source]);
  if (entry.notes) rows.push(["Notes", entry.notes]);
  if (entry.reason) rows.push(["Reason", entry.reason]);
  return rows.length
    ? html`<dl class="cd-answers" data-testid="booking-entry">
        ${rows.map(([label, value]) => html`<div><dt>${label}</dt><dd class="cd-note-text">${value}</dd></div>`)}
      </dl>`
    : nothing;
}

const GENERIC_SKIP = new Set(["type", "at", "actor", "requestId", "changes", "customerKey", "ownerUid", "noteId", "paymentId"]);

function genericTemplate(entry, opts, preferred) {
  const keys = [
    ...preferred.filter((k) => k in entry),
    ...Object.keys(entry)
      .filter((k) => !preferred.includes(k))
      .sort(),
  ].filter((k) => k !== "id" && !GENERIC_SKIP.has(k));
  const rows = keys.filter((k) => entry[k] !== null && entry[k] !== undefined && entry[k] !== "");
  return html`${rows.length
    ? html`<dl class="cd-answers">
        ${rows.map((k) => {
          const v = entry[k];
          const link = /link|url/i.test(k) ? safeUrl(v) : null;
          const d = k === "start" || k === "end" ? toDate(v) : null;
          return html`<div>
            <dt>${humanize(k)}</dt>
            <dd class="cd-note-text">${link
                ? html`<a href=${link} target="_blank" rel="noopener noreferrer">${v}</a>`
                : d
                  ? formatDateTime(d, opts.timeZone)
                  : valueText(v)}</dd>
          </div>`;
        })}
      </dl>`
    : nothing}
  ${changesTemplate(entry, opts)}`;
}

const TIMELINE_LIMIT = 50;

/**
 * The live timeline of the customer the view shows: one listener on the newest entries,
 * whose window grows by a page on "Show older" (no gaps, no second query).
 */
export function customerTimeline(view) {
  const { s } = view;
  let size = TIMELINE_LIMIT;
  let stopListening = null;
  const undo = { busy: "", message: "", for: "", run: undoMerge };
  const opened = new Set(); // entry ids shown in full
  const expand = {
    all: false,
    isOpen: (id) => opened.has(id),
    toggle(id) {
      if (opened.has(id)) opened.delete(id);
      else opened.add(id);
      view.update();
    },
    toggleAll() {
      expand.all = !expand.all;
      opened.clear();
      if (expand.all) for (const e of s.timeline.entries || []) opened.add(e.id);
      view.update();
    },
  };

  /** The owner undoes a merge from its entry; the unmerged entry then lands live. */
  async function undoMerge(mergeId) {
    undo.busy = mergeId;
    view.update();
    const answer = await mergesApi(view.ctx.api).undo(mergeId);
    undo.busy = "";
    undo.for = mergeId;
    const kept = answer.ok ? answer.body.merge.kept || [] : [];
    undo.message = answer.ok
      ? `Merge undone.${kept.length ? ` Kept as edited since: ${kept.join(", ")}.` : ""}`
      : answer.message;
    view.update();
  }

  function start() {
    stop();
    const mine = size;
    let unsub = null;
    unsub = watchTimeline(
      view.db,
      view.key,
      mine,
      (entries) => {
        if (view.disposed) return;
        s.timeline = {
          entries,
          loading: false,
          error: null,
          hidden: null,
          hasMore: entries.length >= mine,
          loadingMore: false,
        };
        view.update();
      },
      (error) => {
        if (view.disposed) return;
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
        view.update();
      },
    );
    stopListening = () => {
      if (unsub) unsub();
      unsub = null;
    };
  }

  function stop() {
    if (stopListening) stopListening();
  }

  /** Older entries: the live window grows by a page. */
  function showOlder() {
    if (s.timeline.loadingMore) return;
    size += TIMELINE_LIMIT;
    s.timeline = { ...s.timeline, loadingMore: true };
    view.update();
    start();
  }

  function template() {
    return timelineTemplate(s.timeline, {
      stages: view.ctx && view.ctx.stages,
      timeZone: view.timeZone,
      currency: view.currency(),
      fields: s.fields,
      session: view.session,
      teamName: view.teamName,
      onMore: showOlder,
      statuses: s.messageStatuses,
      expand,
      show: s.timelineShow,
      onShow: (value) => {
        s.timelineShow = value; // a WhatsApp conversation, the e-mails, or everything
        view.update();
      },
      undo: {
        ...undo,
        can: view.session?.role === "owner",
        undone: new Set((s.timeline.entries || []).filter((e) => e.type === "unmerged").map((e) => e.mergeId)),
      },
    });
  }

  return { start, stop, template };
}
