// The customers list: the screen the owner opens every morning.
//
// One indexed query per page, never a read of the whole collection:
//   customers [rep: ownerUid == me] [partner: segment in my segments]
//             [owner filter: ownerUid == x] [archived == false unless shown]
//             [stage == x] [firstSource == x] [search array-contains token]
//             orderBy(lastContactAt | createdAt, desc) limit(25 + 1) [startAfter(last row)]
// The current page is live (onSnapshot), so a lead sent from a form appears without a
// reload; the count is an aggregation on the same query without the limit. Every query
// carries the condition the rules require of the role, so none is refused.
import { html, nothing, render } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import { countCustomers, customerScope, listTeam, watchCustomersPage } from "../data/firestore.js";
import { formatDateTime, formatMoney, relativeTime, text, toDate } from "../lib/format.js";
import { listenWhileShown } from "../lib/page-events.js";
import { queryToken } from "../lib/search.js";
import { readStored, writeStored } from "../lib/stored.js";
import { empty, error as errorState, firestoreErrorMessage, loading } from "./states.js";

export const PAGE_SIZE = 25;
const UNASSIGNED = "__unassigned__";
const SEARCH_DELAY_MS = 250;
const COMMON_SOURCES = ["direct", "instagram", "facebook", "google", "linkedin", "tiktok", "referral", "newsletter"];

// Filters and page survive a visit to a customer and back; a new session starts afresh.
let remembered = null;

function freshFilters(uid) {
  return {
    uid,
    text: "",
    token: null,
    stage: "",
    source: "",
    owner: "",
    consent: "", // "" any, "given", "not-given": marketing consent
    showArchived: false,
    sort: "lastContactAt",
    cursors: [], // cursors[i]: the last document of page i (startAfter for page i + 1)
    scrollY: 0,
    sources: new Set(COMMON_SOURCES),
    lastVisit: lastVisit(uid),
  };
}

/** The time of the previous visit (rows contacted since then are marked new); now is stored for the next one. */
function lastVisit(uid) {
  const name = `hearth:lastVisit:${uid}`;
  const previous = Number(readStored(name)) || null; // without storage: nothing is marked new
  writeStored(name, String(Date.now()));
  return previous;
}

/** Who may query customers at all: the manager reads aggregates only. */
export function canListCustomers(role) {
  return role === "owner" || role === "rep" || role === "partner";
}

export function mountCustomers(container, ctx) {
  const { db, session, config } = ctx;
  if (!remembered || remembered.uid !== session.uid) remembered = freshFilters(session.uid);
  const f = remembered; // filters (persisted)
  const s = {
    // this mount's data
    status: "loading", // loading | ready | error
    fromCache: false,
    rows: [],
    hasNext: false,
    count: null,
    countFailed: false,
    error: null,
    team: [],
    exporting: false, // or what is being exported: "customers" | "timeline"
    message: "",
    seenKeys: null, // keys of the previous snapshot, to mark rows that arrive live
    fresh: new Set(),
  };
  const scope = customerScope(session);
  let unsubscribe = () => {};
  let generation = 0;
  let searchTimer = 0;
  let countTimer = 0;
  let restoreScroll = f.scrollY > 0;
  const readOnly = session.role === "partner";

  // --- queries ------------------------------------------------------------------

  /** The page's filters on top of the role's scope, as data/firestore.js takes them. */
  function filters() {
    const out = { ...scope };
    if (session.role === "owner" && f.owner) out.ownerUid = f.owner === UNASSIGNED ? null : f.owner;
    if (!f.showArchived) out.archived = false;
    if (f.stage) out.stage = f.stage;
    if (f.source) out.firstSource = f.source;
    if (f.token) out.searchToken = f.token;
    if (f.consent) out.consent = f.consent;
    return out;
  }

  function listen() {
    unsubscribe();
    const mine = ++generation;
    s.status = "loading";
    s.error = null;
    s.seenKeys = null;
    s.fresh = new Set();
    update();
    if (!scope) return;
    unsubscribe = watchCustomersPage(
      db,
      filters(),
      // One more than a page tells whether there is a next page.
      { sort: f.sort, after: f.cursors[f.cursors.length - 1], size: PAGE_SIZE + 1 },
      (snap) => {
        if (mine !== generation) return;
        // From the local cache before the server answered: show it only when it has
        // something, so an empty cache never flashes "no customers".
        if (snap.metadata.fromCache && snap.empty && s.status === "loading") return;
        const docs = snap.docs;
        s.hasNext = docs.length > PAGE_SIZE;
        const page = docs.slice(0, PAGE_SIZE);
        const keys = new Set(page.map((d) => d.id));
        // After the first answer from the server, rows that join the page arrived live
        // (a new lead, an edit elsewhere): mark them, and count again.
        const live = Boolean(s.seenKeys) && !snap.metadata.fromCache;
        if (live) {
          for (const key of keys) if (!s.seenKeys.has(key)) s.fresh.add(key);
        }
        if (!snap.metadata.fromCache) s.seenKeys = keys;
        s.rows = page;
        s.fromCache = snap.metadata.fromCache;
        s.status = "ready";
        for (const d of page) {
          const source = d.get("firstSource");
          if (typeof source === "string" && source) f.sources.add(source);
        }
        if (live && snap.docChanges().some((c) => c.type !== "modified")) scheduleCount();
        update();
        if (restoreScroll) {
          restoreScroll = false;
          requestAnimationFrame(() => window.scrollTo(0, f.scrollY));
        }
      },
      (err) => {
        if (mine !== generation) return;
        s.status = "error";
        s.error = err;
        update();
      },
    );
  }

  async function countNow() {
    if (!scope) return;
    const mine = generation;
    try {
      const count = await countCustomers(db, filters());
      if (mine !== generation) return;
      s.count = count;
      s.countFailed = false;
    } catch {
      if (mine !== generation) return;
      s.count = null;
      s.countFailed = true;
    }
    update();
  }

  function scheduleCount() {
    clearTimeout(countTimer);
    countTimer = setTimeout(countNow, 800);
  }

  function refresh({ keepPage = false } = {}) {
    if (!keepPage) f.cursors = [];
    s.count = null;
    s.countFailed = false;
    listen();
    countNow();
  }

  async function loadTeam() {
    if (session.role !== "owner") return;
    try {
      s.team = (await listTeam(db))
        .filter((m) => !m.disabled || m.uid === f.owner)
        .sort((a, b) => teamName(a).localeCompare(teamName(b)));
      update();
    } catch {
      // Without the directory the owner filter offers "unassigned" only.
    }
  }

  // --- events -------------------------------------------------------------------

  function onSearchInput(event) {
    f.text = event.currentTarget.value;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applySearch, SEARCH_DELAY_MS);
    update();
  }

  function applySearch() {
    const token = queryToken(f.text);
    if (token === f.token) return;
    f.token = token;
    refresh();
  }

  function onSearchKey(event) {
    if (event.key === "Enter") {
      clearTimeout(searchTimer);
      applySearch();
    } else if (event.key === "Escape") {
      if (f.text) {
        f.text = "";
        event.currentTarget.value = "";
        clearTimeout(searchTimer);
        applySearch();
        update();
      } else {
        event.currentTarget.blur();
      }
    }
  }

  function setFilter(name) {
    return (event) => {
      const target = event.currentTarget;
      f[name] = target.type === "checkbox" ? target.checked : target.value;
      refresh();
    };
  }

  function clearFilters() {
    Object.assign(f, { text: "", token: null, stage: "", source: "", owner: "", consent: "", showArchived: false });
    const input = container.querySelector("[data-testid=search]");
    if (input) input.value = "";
    refresh();
  }

  function next() {
    if (!s.hasNext || !s.rows.length) return;
    f.cursors = [...f.cursors, s.rows[s.rows.length - 1]];
    listen();
    window.scrollTo(0, 0);
  }

  function prev() {
    if (!f.cursors.length) return;
    f.cursors = f.cursors.slice(0, -1);
    listen();
    window.scrollTo(0, 0);
  }

  /** what: "customers" (one row each) or "timeline" (one row per timeline entry). */
  async function exportCsv(what = "customers") {
    if (s.exporting) return;
    s.exporting = what;
    s.message = what === "timeline" ? "Preparing the timeline export…" : "Preparing the export…";
    update();
    // The file holds what the consent filter shows: a mailing list from "given", and
    // the timelines of those same customers.
    const result = await ctx.api.exportCustomers("csv", f.consent || undefined, what);
    s.exporting = false;
    s.message = result.ok ? `Downloaded ${result.body.filename}.` : result.message;
    update();
  }

  function onKeydown(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const input = container.querySelector("[data-testid=search]");
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  }

  function onScroll() {
    f.scrollY = window.scrollY;
  }

  // --- rendering ----------------------------------------------------------------

  function update() {
    render(template(), container);
  }

  function template() {
    return html`<section class="customers" data-testid="customers">
      <header class="page-head">
        <div class="page-title-row">
          <h1 class="page-title">Customers</h1>
          ${readOnly ? html`<span class="badge" title="Partners see their segments' customers, read-only">Read-only</span>` : nothing}
          <span class="count" data-testid="customer-count" aria-live="polite">${countText()}</span>
        </div>
        <div class="page-actions">
          ${session.role === "owner" || session.role === "rep"
            ? // aria-disabled, not disabled, while one runs: a disabled button drops the
              // keyboard's focus to the page, and exportCsv ignores a second press anyway.
              html`<button type="button" class="button" data-testid="export-csv" @click=${() => exportCsv("customers")}
                  aria-disabled=${s.exporting ? "true" : "false"}>
                  ${s.exporting === "customers" ? "Exporting…" : "Export CSV"}
                </button>
                <button type="button" class="button" data-testid="export-timeline" @click=${() => exportCsv("timeline")}
                  aria-disabled=${s.exporting ? "true" : "false"}>
                  ${s.exporting === "timeline" ? "Exporting…" : "Export timeline"}
                </button>`
            : nothing}
        </div>
      </header>
      ${s.message ? html`<p class="status-line" data-testid="status" role="status">${s.message}</p>` : nothing}
      ${filtersBar()}
      ${body()}
    </section>`;
  }

  function countText() {
    if (!scope) return "";
    const from = f.cursors.length * PAGE_SIZE + 1;
    const to = f.cursors.length * PAGE_SIZE + s.rows.length;
    if (s.count === null) {
      if (s.status !== "ready") return "";
      return s.rows.length ? `${from}–${to} shown` : "";
    }
    const total = `${s.count.toLocaleString("en-GB")} customer${s.count === 1 ? "" : "s"}`;
    if (!s.rows.length || s.count <= PAGE_SIZE) return total;
    return `${from}–${to} of ${total}`;
  }

  function filtersBar() {
    const stages = ctx.stages.list;
    const sources = [...f.sources].sort();
    if (f.source && !f.sources.has(f.source)) sources.push(f.source);
    const hint = f.text.trim() && !queryToken(f.text) ? "Type at least 2 letters or 3 digits." : "";
    return html`<div class="filters" role="search">
      <div class="search-box">
        <svg class="search-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor"
          d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z"/></svg>
        <input type="search" data-testid="search" placeholder="Name, company, e-mail or mobile"
          aria-label="Search customers" autocomplete="off" spellcheck="false" .value=${f.text}
          @input=${onSearchInput} @keydown=${onSearchKey} />
        <kbd class="search-kbd" aria-hidden="true">/</kbd>
      </div>
      ${hint ? html`<p class="search-hint">${hint}</p>` : nothing}
      <div class="filter-row">
        <label class="filter"><span>Stage</span>
          <select data-testid="filter-stage" @change=${setFilter("stage")}>
            <option value="" ?selected=${!f.stage}>All stages</option>
            ${stages.map((st) => html`<option value=${st.id} ?selected=${f.stage === st.id}>${st.label}</option>`)}
          </select>
        </label>
        <label class="filter"><span>Source</span>
          <select data-testid="filter-source" @change=${setFilter("source")}>
            <option value="" ?selected=${!f.source}>All sources</option>
            ${sources.map((src) => html`<option value=${src} ?selected=${f.source === src}>${src}</option>`)}
          </select>
        </label>
        ${session.role === "owner"
          ? html`<label class="filter"><span>Owner</span>
              <select data-testid="filter-owner" @change=${setFilter("owner")}>
                <option value="" ?selected=${!f.owner}>Everyone</option>
                <option value=${UNASSIGNED} ?selected=${f.owner === UNASSIGNED}>Unassigned</option>
                ${s.team.map((m) => html`<option value=${m.uid} ?selected=${f.owner === m.uid}>${teamName(m)}</option>`)}
              </select>
            </label>`
          : nothing}
        <label class="filter"><span>Marketing consent</span>
          <select data-testid="filter-consent" @change=${setFilter("consent")}>
            <option value="" ?selected=${!f.consent}>Any</option>
            <option value="given" ?selected=${f.consent === "given"}>Given</option>
            <option value="not-given" ?selected=${f.consent === "not-given"}>Not given</option>
          </select>
        </label>
        <label class="filter"><span>Sort</span>
          <select data-testid="sort" @change=${setFilter("sort")}>
            <option value="lastContactAt" ?selected=${f.sort === "lastContactAt"}>Last contact</option>
            <option value="createdAt" ?selected=${f.sort === "createdAt"}>Newest first</option>
          </select>
        </label>
        <label class="filter filter-check">
          <input type="checkbox" data-testid="show-archived" .checked=${f.showArchived} @change=${setFilter("showArchived")} />
          <span>Show archived</span>
        </label>
      </div>
    </div>`;
  }

  function filtered() {
    return Boolean(f.token || f.stage || f.source || f.owner || f.consent || f.showArchived);
  }

  function body() {
    if (!scope) {
      return empty({
        title: "No customers to show yet",
        body:
          session.role === "partner"
            ? "Your account is not linked to any segment. Ask the owner to add you to one."
            : "Your role does not include the customer list.",
      });
    }
    if (s.status === "error") {
      return errorState({
        title: "Customers could not be loaded",
        message: firestoreErrorMessage(s.error),
        retry: () => refresh({ keepPage: true }),
      });
    }
    if (s.status === "loading") return loading("Loading customers…", { rows: 6 });
    if (!s.rows.length) {
      if (f.cursors.length) {
        return empty({ title: "No more customers", body: "This page is empty now.", action: { label: "Back to the first page", onClick: () => refresh() } });
      }
      if (filtered()) {
        return empty({
          title: f.token ? `Nobody matches “${f.text.trim()}”` : "No customers match these filters",
          body: f.token ? "Search looks at the start of names, companies and e-mails, and at any mobile format." : "Try another stage or source.",
          action: { label: "Clear filters", onClick: clearFilters },
          icon: "⌕",
        });
      }
      return empty({
        title: "No customers yet",
        body:
          session.role === "rep"
            ? "Customers assigned to you appear here as soon as the owner assigns them."
            : "Every form sent from your website becomes a customer here, live.",
      });
    }
    return html`<div class="table" role="table" aria-label="Customers">
        <div class="table-head" role="row">
          <span role="columnheader">Stage</span>
          <span role="columnheader">Customer</span>
          <span role="columnheader">Contact</span>
          <span role="columnheader" class="num">Balance</span>
          <span role="columnheader" class="num">${f.sort === "createdAt" ? "Created" : "Last contact"}</span>
        </div>
        ${repeat(s.rows, (d) => d.id, (d) => row(d))}
      </div>
      ${pager()}`;
  }

  function row(d) {
    const c = d.data();
    const key = d.id;
    const stageId = typeof c.stage === "string" ? c.stage : "";
    const group = ctx.stages.group(stageId);
    const name = shown(c.name);
    const company = shown(c.company);
    const email = shown(c.email) || key;
    const mobile = shown(c.mobile);
    const balances = c.balances && typeof c.balances === "object" ? c.balances : {};
    const currency = typeof balances.currency === "string" ? balances.currency : "EUR";
    const pending = Number(balances.pending) || 0;
    const paid = Number(balances.paid) || 0;
    const when = f.sort === "createdAt" ? c.createdAt : c.lastContactAt;
    const contactDate = toDate(c.lastContactAt);
    const isNew = Boolean(f.lastVisit && contactDate && contactDate.getTime() > f.lastVisit) || s.fresh.has(key);
    const owner = session.role === "owner" && c.ownerUid ? s.team.find((m) => m.uid === c.ownerUid) : null;
    return html`<a class="row ${c.archived ? "archived" : ""} ${s.fresh.has(key) ? "arrived" : ""}" role="row"
      data-testid="customer-row" data-key=${key} href=${`#/customers/${encodeURIComponent(key)}`}>
      <span class="cell cell-stage" role="cell">
        <span class="pill pill-${group}" data-testid="stage-pill" data-group=${group} data-stage=${stageId}>${ctx.stages.label(stageId)}</span>
      </span>
      <span class="cell cell-name" role="cell">
        <span class="name-line">
          ${isNew ? html`<span class="new-dot" title="New since your last visit" aria-label="new"></span>` : nothing}
          <strong class="customer-name" data-testid="customer-name">${name || email}</strong>
          ${c.archived ? html`<span class="tag">Archived</span>` : nothing}
        </span>
        ${company ? html`<span class="company">${company}</span>` : nothing}
        ${owner ? html`<span class="owner-line muted">${teamName(owner)}</span>` : nothing}
      </span>
      <span class="cell cell-contact" role="cell">
        <span class="email" data-testid="customer-email">${email}</span>
        ${mobile
          ? html`<span class="mobile ${c.mobileValid === false ? "invalid" : ""}" data-testid="customer-mobile"
              title=${c.mobileValid === false ? "Not a valid number: kept as typed" : ""}>${mobile}</span>`
          : nothing}
      </span>
      <span class="cell cell-balance num" role="cell" data-testid="customer-balance">
        ${pending > 0 ? html`<span class="owed">Owes ${formatMoney(pending, currency)}</span>` : nothing}
        ${paid > 0 ? html`<span class="paid muted">Paid ${formatMoney(paid, currency)}</span>` : nothing}
        ${pending <= 0 && paid <= 0 ? html`<span class="muted no-balance">—</span>` : nothing}
      </span>
      <span class="cell cell-when num" role="cell" title=${formatDateTime(when, config.businessTimeZone)}>
        <span class="when-label">${f.sort === "createdAt" ? "Created " : "Last contact "}</span>${relativeTime(when) || "—"}
      </span>
    </a>`;
  }

  function pager() {
    if (!f.cursors.length && !s.hasNext) return nothing;
    return html`<nav class="pager" aria-label="Pages">
      <button type="button" class="button" data-testid="prev-page" @click=${prev} ?disabled=${!f.cursors.length}>← Previous</button>
      <span class="muted">Page ${f.cursors.length + 1}${s.count !== null ? html` of ${Math.max(1, Math.ceil(s.count / PAGE_SIZE))}` : nothing}</span>
      <button type="button" class="button" data-testid="next-page" @click=${next} ?disabled=${!s.hasNext}>Next →</button>
    </nav>`;
  }

  // --- lifecycle ----------------------------------------------------------------

  const offStages = ctx.onChange ? ctx.onChange("stages", update) : () => {};
  const unlisten = listenWhileShown([
    [document, "keydown", onKeydown],
    [window, "scroll", onScroll, { passive: true }],
  ]);
  document.title = "Customers · Hearth";
  listen();
  countNow();
  loadTeam();

  return () => {
    generation += 1;
    unsubscribe();
    offStages();
    clearTimeout(searchTimer);
    clearTimeout(countTimer);
    unlisten();
    render(nothing, container);
  };
}

// A row shows a field whatever type it was stored as (a mobile kept as a number still shows).
function shown(value) {
  return typeof value === "string" || value == null ? text(value) : String(value);
}

function teamName(member) {
  return shown(member.displayName) || shown(member.email) || member.uid;
}
