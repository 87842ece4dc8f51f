// A form's draft of one write (a payment, the amount owed, a note). The draft keeps the
// write's id, so that sending it again after a lost answer is not applied twice; once the
// person types something else it is another write, so the id goes, and with it the error
// about the old input.
import { newId } from "../../lib/ids.js";

/**
 * The @input handler of `field` in the draft s[form], whose write id is s[form][idKey].
 * keepError: a field the error is never about (the payment's note) leaves it shown.
 */
export function typing(s, form, field, idKey, { keepError = false } = {}) {
  return (e) => {
    const draft = s[form];
    draft[field] = e.target.value;
    draft[idKey] = null;
    if (!keepError) draft.error = null;
  };
}

/** Refuses the draft s[form] before it is sent: `message` shows under its form. */
export function refuse(view, form, message) {
  view.s[form].error = message;
  view.update();
}

/** The draft s[form] is on its way: its write id (made once, kept for a retry), no error, busy. */
export function startSending(view, form, idKey) {
  const draft = view.s[form];
  draft[idKey] ||= newId();
  draft.error = null;
  view.s.busy[form] = true;
  view.update();
}
