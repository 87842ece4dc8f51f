// "Preview last 30 days" for a rules editor: asks the server what the rules as edited
// (saved or not) would have done (POST .../preview, which writes nothing), so the preview
// and the real run decide with the same code. One copy of the asking, the busy button,
// the refusal shown beside the inputs and the "out of date" notice once the rules change;
// each editor shows its own result.
import { html, nothing } from "lit-html";

/**
 * screen: {container, update, disposed()}; api: {preview(body)}; body(): what to send, or
 * null when the editor refused it itself; refused(res): the editor shows a 400's field
 * errors beside its inputs; button: the button's test id; prefix: the other test ids'
 * prefix; title, hint: what the result and the button say; show(result, sent): the
 * result's own content.
 */
export function previewRunner(screen, { api, body, refused, button, prefix, title, hint, show }) {
  const { container, update } = screen;
  const p = { busy: false, result: null, sent: null, outdated: false, error: "" };

  async function run() {
    if (p.busy) return;
    const sent = body();
    if (!sent) return;
    p.busy = true;
    p.error = "";
    update();
    const res = await api.preview(sent);
    p.busy = false;
    if (screen.disposed()) return;
    if (!res.ok) {
      p.result = null;
      if (res.status === 400) refused(res);
      else p.error = res.message;
      update();
      return;
    }
    p.result = res.body || {};
    p.sent = sent;
    p.outdated = false;
    update();
    queueMicrotask(() => container.querySelector(`[data-testid=${prefix}preview-result]`)?.focus());
  }

  /** The rules changed since the last preview. */
  function changed() {
    if (p.result) p.outdated = true;
  }

  function result() {
    return html`<section class="au-pv" data-testid="${prefix}preview-result" tabindex="-1" aria-labelledby="${prefix}pv-title">
      <h3 class="bs-subtitle" id="${prefix}pv-title">${title}</h3>
      ${p.outdated
        ? html`<p class="bs-status bs-status-dirty" data-testid="${prefix}preview-outdated">The rules changed since: preview again to
            see what they do now.</p>`
        : nothing}
      ${show(p.result, p.sent)}
    </section>`;
  }

  function template() {
    return html`<div class="au-pv-bar">
        <button type="button" class="button" data-testid=${button} ?disabled=${p.busy} @click=${run}>
          ${p.busy ? "Previewing…" : "Preview last 30 days"}</button>
        <span class="bs-hint">${hint}</span>
      </div>
      ${p.error ? html`<p class="bs-alert" role="alert" data-testid="${prefix}preview-error">${p.error}</p>` : nothing}
      ${p.result ? result() : nothing}`;
  }

  return { template, changed };
}
