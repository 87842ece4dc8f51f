// The booking links: the live list of bookingLinks (each with its address to copy, its
// time zone, Change and Delete with a confirmation) and the form that creates or changes
// one. A link credits every call booked through it to its source.
//
// Saves through the admin function, never Firestore itself:
//   PUT    <functions>/admin/booking-links/<source>    {label, timeZone} -> {link: {url, …}}
//   DELETE <functions>/admin/booking-links/<source>
// The site's address is taken from the first link the function answers with, and
// remembered in this browser, so the addresses shown match the ones it makes.
import { html, nothing } from "lit-html";
import { watchBookingLinks } from "../../data/firestore.js";
import { readStored, writeStored } from "../../lib/stored.js";
import { follow, listState } from "../live.js";
import { SOURCE, plain, slugOf } from "./model.js";

const SITE_KEY = "hearth:siteUrl";
const EMPTY_LINK = Object.freeze({ source: "", label: "", timeZone: "", sourceEdited: false, editing: null });
const LINKS_STATE = {
  quiet: "bs-help",
  alert: "bs-alert",
  testid: "links",
  loading: "Loading links…",
  failed: "The links could not be loaded.",
  empty: "No booking links yet.",
};

/** screen: {container, ctx, send, update, disposed()}. Returns {template(), stop()}. */
export function bookingLinks(screen) {
  const { container, ctx, send, update } = screen;
  const s = {
    links: [],
    status: "loading", // loading | ready | error
    error: null,
    link: { ...EMPTY_LINK },
    errors: {},
    formError: "",
    busy: false,
    created: null, // {source, url} from the last PUT
    confirming: null, // source whose delete is being confirmed
    deleting: null,
    rowErrors: {}, // source -> message
    copied: "", // which Copy button worked last, for a moment
  };
  let siteUrl = String(ctx.config.siteUrl || "").replace(/\/+$/, "") || readStored(SITE_KEY) || location.origin;
  let copiedTimer = 0;

  const unsubscribe = follow(
    screen,
    s,
    (onChange, onError) => watchBookingLinks(ctx.db, onChange, onError),
    (links) => {
      s.links = links.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    },
  );

  function stop() {
    clearTimeout(copiedTimer);
    unsubscribe();
  }

  // --- the form ------------------------------------------------------------------------

  function setLink(field, value) {
    s.link[field] = value;
    delete s.errors[field];
    if (field === "source") s.link.sourceEdited = Boolean(value);
    if (field === "label" && !s.link.sourceEdited && !s.link.editing) {
      s.link.source = slugOf(value);
      delete s.errors.source;
    }
    s.formError = "";
    update();
  }

  function editLink(link) {
    s.link = {
      source: link.source,
      label: typeof link.label === "string" ? link.label : "",
      timeZone: typeof link.timeZone === "string" ? link.timeZone : "",
      sourceEdited: true,
      editing: link.source,
    };
    s.errors = {};
    s.formError = "";
    s.created = null;
    update();
    queueMicrotask(() => container.querySelector("[data-testid=link-label]")?.focus());
  }

  function resetLinkForm() {
    s.link = { ...EMPTY_LINK };
    s.errors = {};
    s.formError = "";
  }

  async function saveLink(event) {
    event.preventDefault();
    if (s.busy) return;
    const source = s.link.source.trim();
    s.errors = {};
    s.formError = "";
    if (!source) s.errors.source = "Give the link a source, e.g. spring-show-2026.";
    else if (!SOURCE.test(source)) s.errors.source = "Use lowercase letters, digits, '-' and '.', e.g. spring-show-2026.";
    if (Object.keys(s.errors).length) {
      update();
      return;
    }
    s.busy = true;
    update();
    const body = { label: s.link.label.trim() || null, timeZone: s.link.timeZone.trim() || null };
    const res = await send("PUT", `/admin/booking-links/${encodeURIComponent(source)}`, body);
    s.busy = false;
    if (screen.disposed()) return;
    if (res.ok) {
      const link = (res.body && res.body.link) || {};
      const url = typeof link.url === "string" ? link.url : linkUrl(source);
      const marker = url.indexOf("/site/book.html");
      if (marker > 0) {
        siteUrl = url.slice(0, marker);
        writeStored(SITE_KEY, siteUrl);
      }
      s.created = { source, url, updated: Boolean(s.link.editing) };
      resetLinkForm();
      update();
      queueMicrotask(() => container.querySelector("[data-testid=link-created]")?.focus());
      return;
    }
    const fields = (res.body && res.body.fields) || {};
    const others = [];
    for (const [name, message] of Object.entries(fields)) {
      if (["label", "source", "timeZone"].includes(name)) s.errors[name] = plain(String(message));
      else others.push(`${name}: ${message}`);
    }
    if (res.status === 404) s.errors.source = res.message;
    s.formError = [res.status === 400 ? "Some fields need attention. Nothing was saved." : res.message, ...others].join(" ");
    update();
  }

  async function deleteLink(source) {
    if (s.deleting) return;
    s.deleting = source;
    delete s.rowErrors[source];
    update();
    const res = await send("DELETE", `/admin/booking-links/${encodeURIComponent(source)}`);
    s.deleting = null;
    if (screen.disposed()) return;
    if (res.ok) {
      s.confirming = null;
      if (s.created && s.created.source === source) s.created = null;
      if (s.link.editing === source) resetLinkForm();
    } else {
      s.rowErrors[source] = res.message;
    }
    update();
  }

  function linkUrl(source) {
    return `${siteUrl}/site/book.html?source=${encodeURIComponent(source)}`;
  }

  async function copy(url, which, event) {
    const field = event.currentTarget.closest("[data-copy]")?.querySelector("input");
    let done = false;
    try {
      await navigator.clipboard.writeText(url);
      done = true;
    } catch {
      // No clipboard permission (an old browser, an iframe): select it for Ctrl-C instead.
      if (field) {
        field.focus();
        field.select();
        try {
          done = document.execCommand("copy");
        } catch {
          done = false;
        }
      }
    }
    if (screen.disposed()) return;
    s.copied = done ? which : "";
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => {
      s.copied = "";
      update();
    }, 2500);
    if (!done && field) {
      field.focus();
      field.select();
    }
    update();
  }

  // --- rendering -----------------------------------------------------------------------

  /** A booking-link form error beside its field. */
  function linkError(name) {
    const message = s.errors[name];
    return message
      ? html`<span class="bs-error" id=${`link-err-${name}`} data-testid="field-error" data-field=${`link.${name}`}>${message}</span>`
      : nothing;
  }

  function template() {
    const list =
      listState(s, s.links.length, LINKS_STATE) ??
      html`<ul class="bs-links" data-testid="links">${s.links.map((link) => linkRow(link))}</ul>`;
    const editing = s.link.editing;
    return html`<section class="bs-card bs-links-card" data-testid="booking-links" aria-labelledby="bs-links-title">
      <h2 class="bs-legend" id="bs-links-title">Booking links</h2>
      <p class="bs-help">
        A link credits every call booked through it to its source, e.g. a trade show, and may keep its hours in
        another time zone.
      </p>
      ${s.created ? createdBox() : nothing}
      ${list}
      <form class="bs-link-form" data-testid="link-form" novalidate @submit=${saveLink}>
        <h3 class="bs-subtitle">${editing ? html`Change <code>${editing}</code>` : "New link"}</h3>
        <div class="bs-link-fields">
          <label class="bs-field">
            <span class="bs-label">Label</span>
            <input data-testid="link-label" maxlength="80" autocomplete="off" placeholder="Spring Show 2026" .value=${s.link.label}
              aria-invalid=${s.errors.label ? "true" : "false"} @input=${(e) => setLink("label", e.target.value)} />
            ${linkError("label")}
          </label>
          <label class="bs-field">
            <span class="bs-label">Source</span>
            <input data-testid="link-source" maxlength="100" autocomplete="off" spellcheck="false" placeholder="spring-show-2026"
              .value=${s.link.source} ?readonly=${Boolean(editing)} aria-invalid=${s.errors.source ? "true" : "false"}
              aria-describedby="link-err-source"
              @input=${(e) => setLink("source", e.target.value)} />
            <span class="bs-hint">Lowercase letters, digits, '-' and '.'.</span>
            ${linkError("source")}
          </label>
          <label class="bs-field">
            <span class="bs-label">Time zone of its hours</span>
            <input data-testid="link-timeZone" list="bs-zones" autocomplete="off" spellcheck="false" placeholder="Same as the settings"
              .value=${s.link.timeZone} aria-invalid=${s.errors.timeZone ? "true" : "false"} aria-describedby="link-err-timeZone"
              @input=${(e) => setLink("timeZone", e.target.value)} />
            ${linkError("timeZone")}
          </label>
        </div>
        ${s.formError ? html`<p class="bs-alert" role="alert" data-testid="link-error">${s.formError}</p>` : nothing}
        <div class="bs-actions">
          ${editing
            ? html`<button type="button" class="button button-quiet" @click=${() => (resetLinkForm(), update())}>Cancel</button>`
            : nothing}
          <button type="submit" class="button button-primary" data-testid="link-save" ?disabled=${s.busy}>
            ${s.busy ? "Saving…" : editing ? "Save link" : "Create link"}
          </button>
        </div>
      </form>
    </section>`;
  }

  function copyField(url, testid, which) {
    return html`<span class="bs-copy" data-copy>
      <input readonly class="bs-url" data-testid=${testid} .value=${url} aria-label="Link address" @focus=${(e) => e.target.select()} />
      <button type="button" class="button bs-small" data-testid="link-copy" @click=${(e) => copy(url, which, e)}>
        ${s.copied === which ? "Copied" : "Copy"}
      </button>
    </span>`;
  }

  function createdBox() {
    const { source, url, updated } = s.created;
    return html`<div class="bs-created" data-testid="link-created" tabindex="-1" role="status">
      <p><strong>${updated ? "Link saved" : "Link created"}:</strong> share this address; bookings made there count for
        <code>${source}</code>.</p>
      ${copyField(url, "link-created-url", "created")}
    </div>`;
  }

  function linkRow(link) {
    const label = typeof link.label === "string" && link.label ? link.label : "";
    const zone = typeof link.timeZone === "string" && link.timeZone ? link.timeZone : "";
    const confirming = s.confirming === link.source;
    const busy = s.deleting === link.source;
    return html`<li class="bs-link" data-testid="link" data-source=${link.source}>
      <div class="bs-link-head">
        <span class="bs-link-name"><strong data-testid="link-label-text">${label || link.source}</strong>
          ${label ? html`<code class="bs-muted">${link.source}</code>` : nothing}</span>
        <span class="bs-muted bs-small-text" data-testid="link-zone">${zone ? `Hours in ${zone}` : "Hours as in the settings"}</span>
      </div>
      ${copyField(linkUrl(link.source), "link-url", `link:${link.source}`)}
      ${confirming
        ? html`<div class="bs-confirm" data-testid="link-confirm">
            <span>Delete this link? Calls booked through it keep their source; the address then books as a plain source.</span>
            <span class="bs-actions">
              <button type="button" class="button bs-small bs-danger" data-testid="link-delete-yes" ?disabled=${busy}
                @click=${() => deleteLink(link.source)}>${busy ? "Deleting…" : "Delete"}</button>
              <button type="button" class="button bs-small" ?disabled=${busy} @click=${() => ((s.confirming = null), update())}>Keep it</button>
            </span>
          </div>`
        : html`<span class="bs-actions">
            <button type="button" class="button button-quiet bs-small" data-testid="link-edit" @click=${() => editLink(link)}>Change</button>
            <button type="button" class="button button-quiet bs-small" data-testid="link-delete"
              @click=${() => ((s.confirming = link.source), delete s.rowErrors[link.source], update())}>Delete</button>
          </span>`}
      ${s.rowErrors[link.source] ? html`<p class="bs-error" role="alert">${s.rowErrors[link.source]}</p>` : nothing}
    </li>`;
  }

  return { template, stop };
}
