// The meeting dialog's "who": the customer given (the customer page, a move), one found
// by a search as you type (the customers list's own query, so its indexes serve it), or
// a new person by e-mail (the owner only: a rep books calls for their own customers, and
// the server refuses anyone else).
//
// The dialog (index.js) owns the state; this picker reads and sets its customer, search
// and person.
import { html, nothing } from "lit-html";
import { findCustomersToBook } from "../../data/firestore.js";
import { text } from "../../lib/format.js";
import { queryToken } from "../../lib/search.js";

const SEARCH_DELAY_MS = 250;
const SEARCH_LIMIT = 8;

/** dlg: {s, db, session, dialog, update(), closed(), fieldError(name)}. Returns {template(), stop()}. */
export function customerPicker(dlg) {
  const { s, db, session, dialog, update, fieldError } = dlg;
  let searchTimer = 0;
  let generation = 0;

  async function searchCustomers() {
    const token = s.search.token;
    const mine = ++generation;
    if (!token) {
      s.search = { ...s.search, results: [], status: "idle" };
      update();
      return;
    }
    s.search = { ...s.search, status: "loading" };
    update();
    // Active customers, most recently in touch first. A rep's query must name them as
    // owner, or the rules refuse it.
    const ownerUid = session.role !== "owner" ? session.uid : undefined;
    try {
      const found = await findCustomersToBook(db, { token, ownerUid, max: SEARCH_LIMIT });
      if (dlg.closed() || mine !== generation) return;
      const results = found.map(({ id, data: c }) => ({ key: id, email: text(c.email) || id, name: text(c.name), company: text(c.company) }));
      s.search = { ...s.search, results, status: "ready" };
    } catch (err) {
      if (dlg.closed() || mine !== generation) return;
      console.error(err);
      s.search = { ...s.search, results: [], status: "error" };
    }
    update();
  }

  function onSearch(event) {
    s.search.text = event.currentTarget.value;
    const token = queryToken(s.search.text);
    clearTimeout(searchTimer);
    if (token === s.search.token) return update();
    s.search.token = token;
    searchTimer = setTimeout(searchCustomers, SEARCH_DELAY_MS);
    update();
  }

  function pick(result) {
    s.customer = result;
    delete s.errors.email;
    delete s.errors.customer;
    update();
    dialog.querySelector("[data-testid=meeting-type]")?.focus();
  }

  function setWho(who) {
    s.who = who;
    s.customer = who === "new" ? null : s.customer;
    s.errors = {};
    update();
    queueMicrotask(() => dialog.querySelector(who === "new" ? "input[name=email]" : "input[name=search]")?.focus());
  }

  function template() {
    if (s.customerFixed || (s.who === "existing" && s.customer)) {
      const c = s.customer;
      return html`<div class="mt-field">
        <span class="mt-label">Customer</span>
        <div class="mt-picked" data-testid="meeting-customer" data-key=${c.key || ""}>
          <span><strong>${c.name || c.email}</strong>${c.name ? html` <span class="mt-muted">${c.email}</span>` : nothing}</span>
          ${s.customerFixed
            ? nothing
            : html`<button type="button" class="button button-quiet mt-small" data-testid="meeting-change-customer"
                @click=${() => ((s.customer = null), update())}>Change</button>`}
        </div>
        ${fieldError("email")}
      </div>`;
    }
    // A rep books calls for their own customers only (the server refuses anyone else).
    const newPeople = session.role === "owner";
    return html`<fieldset class="mt-field mt-who">
      <legend class="mt-label">Customer</legend>
      ${newPeople ? html`<div class="mt-tabs" role="group">
        <button type="button" class="button mt-small" data-testid="meeting-existing" aria-pressed=${s.who === "existing" ? "true" : "false"}
          @click=${() => setWho("existing")}>Existing customer</button>
        <button type="button" class="button mt-small" data-testid="meeting-new-person" aria-pressed=${s.who === "new" ? "true" : "false"}
          @click=${() => setWho("new")}>New person</button>
      </div>` : nothing}
      ${s.who === "existing"
        ? html`<input type="search" name="search" data-testid="meeting-search" placeholder="Name, company, e-mail or mobile"
              autocomplete="off" spellcheck="false" aria-label="Find a customer" .value=${s.search.text} @input=${onSearch}
              aria-invalid=${s.errors.customer ? "true" : "false"} />
            ${fieldError("customer")} ${searchResults()}`
        : html`<label class="mt-field">
              <span>E-mail</span>
              <input type="email" name="email" data-testid="meeting-email" autocomplete="off" required .value=${s.person.email}
                aria-invalid=${s.errors.email ? "true" : "false"}
                @input=${(e) => {
                  s.person.email = e.target.value;
                }} />
              ${fieldError("email")}
            </label>
            <label class="mt-field">
              <span>Name</span>
              <input name="name" data-testid="meeting-name" autocomplete="off" maxlength="200" .value=${s.person.name}
                aria-invalid=${s.errors.name ? "true" : "false"}
                @input=${(e) => {
                  s.person.name = e.target.value;
                }} />
              ${fieldError("name")}
            </label>`}
    </fieldset>`;
  }

  function searchResults() {
    const { status, results, token, text: typed } = s.search;
    if (!typed.trim()) return nothing;
    if (!token) return html`<p class="mt-muted mt-small">Type at least 2 letters or 3 digits.</p>`;
    if (status === "loading" && !results.length) return html`<p class="mt-muted mt-small">Searching…</p>`;
    if (status === "error") return html`<p class="mt-error">The search did not answer. Try again.</p>`;
    if (!results.length) {
      return html`<p class="mt-muted mt-small" data-testid="meeting-no-results">
        Nobody found.
        ${session.role === "owner"
          ? html`<button type="button" class="mt-linkish" @click=${() => setWho("new")}>Book a new person</button>`
          : "You can book calls for your own customers."}
      </p>`;
    }
    return html`<ul class="mt-results">
      ${results.map(
        (r) => html`<li>
          <button type="button" class="mt-result" data-testid="meeting-result" data-key=${r.key} @click=${() => pick(r)}>
            <strong>${r.name || r.email}</strong>
            <span class="mt-muted">${r.email}${r.company ? ` · ${r.company}` : ""}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  return {
    template,
    stop() {
      clearTimeout(searchTimer);
    },
  };
}
