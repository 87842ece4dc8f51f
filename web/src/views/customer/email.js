// E-mail from the customer page: one of the owner's templates (the one for the
// customer's stage offered first) or a one-off, both with merge fields, previewed as the
// customer will read it (the server renders it, and says which fields were empty), then
// sent. A send keeps its id until it is answered, so a retried click never sends twice.
import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { watchEmailTemplates } from "../../data/firestore.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { refuse, startSending } from "./drafts.js";

const ONE_OFF = "";

export function customerEmail(view) {
  const { s } = view;
  s.email ||= { template: null, subject: "", text: "", preview: null, error: null, sendId: null };
  s.busy.email = false;
  let templates = [];
  let stop = null;

  function start() {
    if (!view.ctx || !view.ctx.db) return;
    stop = watchEmailTemplates(
      view.ctx.db,
      (data) => {
        templates = data && Array.isArray(data.templates) ? data.templates : [];
        view.update();
      },
      () => {},
    );
  }

  /** The templates, the one for the customer's stage first. */
  function ordered() {
    const stage = s.customer?.stage;
    return [...templates].sort((a, b) => Number(b.stage === stage) - Number(a.stage === stage));
  }

  function chosenId() {
    const e = s.email;
    if (e.template !== null) return e.template;
    const first = ordered()[0];
    return first ? first.id : ONE_OFF;
  }

  function changed() {
    s.email.preview = null;
    s.email.sendId = null;
    s.email.error = null;
    view.update();
  }

  function draft() {
    const id = chosenId();
    if (id) return { template: id };
    return { subject: s.email.subject.trim(), text: s.email.text.trim() };
  }

  async function preview() {
    const body = draft();
    if (!body.template && (!body.subject || !body.text)) return refuse(view, "email", "Write a subject and a text first.");
    const res = await view.send("POST", "/email/preview", body);
    if (res.ok) {
      s.email.preview = res.body.preview;
      s.email.error = null;
    } else {
      const fields = fieldErrors(res.body);
      s.email.error = fields.template || fields.subject || fields.text || fields.email || failureText(res);
    }
    view.update();
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy.email) return;
    const body = draft();
    if (!body.template && (!body.subject || !body.text)) return refuse(view, "email", "Write a subject and a text first.");
    startSending(view, "email", "sendId");
    const res = await view.send("POST", "/email", { id: s.email.sendId, ...body });
    s.busy.email = false;
    if (res.ok) {
      s.email = { template: null, subject: "", text: "", preview: null, error: null, sendId: null };
      view.setStatus("ok", outcomeText(res, "E-mail sent."));
    } else {
      const fields = fieldErrors(res.body);
      s.email.error = fields.email || fields.template || fields.subject || fields.text || failureText(res);
      if (!res.network && res.status !== 503) s.email.sendId = null; // 503: the same id retries
    }
    view.update();
  }

  function previewTemplate(p) {
    return html`<div class="cd-preview" data-testid="email-preview" aria-label="The e-mail as it will read">
      <p><strong>To:</strong> ${p.to || ""}</p>
      <p><strong>Subject:</strong> <span data-testid="email-preview-subject">${p.subject}</span></p>
      <p class="cd-note-text" data-testid="email-preview-text">${p.text}</p>
      ${p.empty && p.empty.length
        ? html`<p class="cd-hint" data-testid="email-empty">Empty for this customer: ${p.empty.join(", ")}.</p>`
        : nothing}
    </div>`;
  }

  function template(c) {
    if (!c || !c.email) return nothing;
    const e = s.email;
    const id = chosenId();
    return html`<section class="cd-card" aria-labelledby="email-title" data-testid="email-composer">
      <h2 id="email-title">E-mail</h2>
      <form class="cd-form" novalidate @submit=${submit}>
        <label>Template
          <select data-testid="email-template" .value=${live(id)}
            @change=${(ev) => ((s.email.template = ev.target.value), changed())}>
            ${ordered().map(
              (t) => html`<option value=${t.id}>${t.name}${t.stage && t.stage === c.stage ? " (for this stage)" : ""}</option>`,
            )}
            <option value=${ONE_OFF}>A one-off e-mail</option>
          </select>
        </label>
        ${id
          ? nothing
          : html`<label>Subject
                <input type="text" maxlength="500" data-testid="email-subject" .value=${live(e.subject)}
                  @input=${(ev) => ((s.email.subject = ev.target.value), changed())} />
              </label>
              <label>Text <span class="cd-hint">(merge fields such as {{ customer.first_name }} work here)</span>
                <textarea rows="4" data-testid="email-text" .value=${live(e.text)}
                  @input=${(ev) => ((s.email.text = ev.target.value), changed())}></textarea>
              </label>`}
        ${e.preview ? previewTemplate(e.preview) : nothing}
        <div class="cd-buttons">
          <button type="button" class="cd-btn" data-testid="email-preview-button" @click=${preview}>Preview</button>
          <button type="submit" class="cd-btn cd-btn-primary" data-testid="email-send" ?disabled=${s.busy.email}>
            ${s.busy.email ? "Sending…" : "Send e-mail"}</button>
        </div>
        ${e.error ? html`<p class="cd-error" role="alert" data-testid="email-error">${e.error}</p>` : nothing}
      </form>
    </section>`;
  }

  return { template, start, stop: () => stop?.() };
}
