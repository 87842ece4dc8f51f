// A rep's away dates on the team screen: from and until (business dates, both included;
// either may be left empty: "from now", "until cleared"), Save and Clear, through
// PUT /admin/team/{uid}/away. Routing skips a rep away today and says so on the lead's
// timeline. A date the server refuses is shown beside its input.
import { html, nothing } from "lit-html";

/**
 * member: the team entry {uid, away}; view: {update(), disposed()}; api: teamApi.
 * Returns {template(), sync(member)}: sync takes a newer stored entry unless edited.
 */
export function awayEditor(member, view, api) {
  const s = { from: "", until: "", dirty: false, busy: false, errors: {}, message: "", saved: "" };
  const uid = member.uid;

  function sync(entry) {
    if (s.dirty || s.busy) return;
    const away = entry.away && typeof entry.away === "object" ? entry.away : {};
    s.from = typeof away.from === "string" ? away.from : "";
    s.until = typeof away.until === "string" ? away.until : "";
  }
  sync(member);

  function set(part, value) {
    s[part] = value;
    s.dirty = true;
    s.saved = "";
    delete s.errors[part];
    view.update();
  }

  async function send(from, until) {
    if (s.busy) return;
    s.busy = true;
    s.message = "";
    view.update();
    const res = await api.setAway(uid, { from: from || null, until: until || null });
    s.busy = false;
    if (view.disposed()) return;
    if (res.ok) {
      const away = (res.body && res.body.away) || null;
      s.dirty = false;
      s.errors = {};
      s.from = (away && away.from) || "";
      s.until = (away && away.until) || "";
      s.saved = away ? "Away dates saved." : "Not away.";
    } else {
      const fields = (res.body && res.body.fields) || {};
      s.errors = { from: fields.from, until: fields.until };
      s.message = res.message;
    }
    view.update();
  }

  function save(event) {
    event.preventDefault();
    send(s.from, s.until);
  }

  function dateInput(part, label) {
    const id = `away-${uid}-${part}`;
    const error = s.errors[part];
    return html`<label class="bs-field tm-date">
      <span class="bs-label">${label}</span>
      <input type="date" data-testid=${`away-${part}`} .value=${s[part]} aria-invalid=${error ? "true" : "false"}
        aria-describedby=${error ? `${id}-err` : nothing} @input=${(e) => set(part, e.target.value)} />
      ${error ? html`<span class="bs-error" id=${`${id}-err`} data-testid="field-error" data-part=${part}>${error}</span>` : nothing}
    </label>`;
  }

  function template() {
    const away = s.from || s.until;
    return html`<form class="tm-away" data-testid="away" @submit=${save} novalidate>
      <fieldset>
        <legend class="bs-label">Away (routing skips them)</legend>
        <div class="tm-away-inputs">
          ${dateInput("from", "From")} ${dateInput("until", "Until (included)")}
          <button type="submit" class="button" data-testid="away-save" ?disabled=${s.busy || !s.dirty}>
            ${s.busy ? "Saving…" : "Save dates"}</button>
          ${away && !s.dirty
            ? html`<button type="button" class="button button-quiet" data-testid="away-clear" ?disabled=${s.busy}
                @click=${() => send("", "")}>Clear</button>`
            : nothing}
        </div>
      </fieldset>
      ${s.message
        ? html`<p class="bs-alert" role="alert" data-testid="away-error">${s.message}</p>`
        : html`<p class="bs-status ${s.saved ? "bs-status-saved" : ""}" role="status" data-testid="away-status">${s.saved}</p>`}
    </form>`;
  }

  return { template, sync };
}
