// Adding a note to the customer's timeline (those who may edit only).

import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { refuse, startSending, typing } from "./drafts.js";

export function customerNote(view) {
  const { s } = view;

  function template() {
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
            @input=${typing(s, "note", "text", "noteId")}
          ></textarea>
        </label>
        <div class="cd-buttons">
          <button type="submit" class="cd-btn cd-btn-primary" ?disabled=${s.busy.note}>${s.busy.note ? "Adding…" : "Add note"}</button>
        </div>
        ${s.note.error ? html`<p class="cd-error" data-testid="note-error">${s.note.error}</p>` : nothing}
      </form>
    </section>`;
  }

  async function submitNote(ev) {
    ev.preventDefault();
    if (s.busy.note) return;
    const text = s.note.text.trim();
    if (!text) return refuse(view, "note", "Write something first.");
    startSending(view, "note", "noteId");
    const res = await view.send("POST", "/notes", { text, note_id: s.note.noteId });
    s.busy.note = false;
    if (res.ok) {
      s.note = { text: "", error: null, noteId: null };
      view.setStatus("ok", outcomeText(res, "Note added."));
    } else {
      const fields = fieldErrors(res.body);
      s.note.error = fields.text || fields.note_id || failureText(res);
      if (!res.network) s.note.noteId = null;
    }
    view.update();
  }

  return { template };
}
