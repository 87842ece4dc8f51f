// Balances and payments: what the customer owes and has paid (integer minor units of
// the customer's currency), and for those who may edit, recording a payment and setting
// the amount owed (which can meet a conflict like any edit).

import { html, nothing } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { currencyDigits, formatMoney, minorToDecimal, parseMoney } from "../../lib/format.js";
import { failureText, fieldErrors, outcomeText } from "./answers.js";
import { refuse, startSending, typing } from "./drafts.js";
import { snapshotValues } from "./versions.js";

export function customerBalances(view) {
  const { s } = view;

  function template(c, editable) {
    const b = c.balances && typeof c.balances === "object" ? c.balances : {};
    const cur = view.currency();
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
                  @input=${typing(s, "payment", "amount", "paymentId")}
              /></label>
              <label
                >Note (optional)
                <input
                  name="note"
                  maxlength="500"
                  autocomplete="off"
                  .value=${live(s.payment.note)}
                  @input=${typing(s, "payment", "note", "paymentId", { keepError: true })}
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
                  @input=${typing(s, "owed", "pending", "requestId")}
              /></label>
              <button type="submit" class="cd-btn" ?disabled=${s.busy.owed}>${s.busy.owed ? "Saving…" : "Set owed"}</button>
              ${s.owed.error ? html`<p class="cd-error" data-testid="owed-error">${s.owed.error}</p>` : nothing}
            </form>`
        : nothing}
    </section>`;
  }

  async function submitPayment(ev) {
    ev.preventDefault();
    if (s.busy.payment || !s.customer) return;
    const cur = view.currency();
    const parsed = parseMoney(s.payment.amount, cur);
    if (!parsed.ok) return refuse(view, "payment", parsed.error);
    const pending = Number((s.customer.balances && s.customer.balances.pending) || 0);
    if (parsed.value > pending) {
      const owes = formatMoney(pending, cur);
      return refuse(view, "payment", `That is more than is pending (${owes}). Set the amount owed first if the customer owes more.`);
    }
    startSending(view, "payment", "paymentId");
    const body = { amount: parsed.value, payment_id: s.payment.paymentId };
    if (s.payment.note.trim()) body.note = s.payment.note.trim();
    const res = await view.send("POST", "/payments", body);
    s.busy.payment = false;
    if (res.ok) {
      s.payment = { amount: "", note: "", error: null, paymentId: null };
      view.setStatus("ok", outcomeText(res, `Payment of ${formatMoney(parsed.value, cur)} recorded.`));
    } else {
      const fields = fieldErrors(res.body);
      s.payment.error = fields.amount || fields.note || fields.payment_id || failureText(res);
      if (fields.payment_id) s.payment.paymentId = null;
      if (!res.network) s.payment.paymentId = null;
    }
    view.update();
  }

  async function submitOwed(ev) {
    ev.preventDefault();
    if (s.busy.owed || !s.customer) return;
    const cur = view.currency();
    const parsed = parseMoney(s.owed.pending, cur, { allowZero: true });
    if (!parsed.ok) return refuse(view, "owed", parsed.error);
    const base = snapshotValues(s.customer);
    startSending(view, "owed", "requestId");
    const res = await view.send("PUT", "/owed", {
      pending: parsed.value,
      expected_updated_at: view.currentIso(),
      request_id: s.owed.requestId,
    });
    s.busy.owed = false;
    if (res.ok) {
      s.owed = { pending: "", error: null, requestId: null };
      view.setStatus("ok", outcomeText(res, `Amount owed set to ${formatMoney(parsed.value, cur)}.`));
    } else if (res.status === 409) {
      s.owed.requestId = null;
      view.showConflict("owed", { pending: parsed.value }, res, base);
    } else {
      const fields = fieldErrors(res.body);
      s.owed.error = fields.pending || failureText(res);
      if (!res.network) s.owed.requestId = null;
    }
    view.update();
  }

  return { template };
}
