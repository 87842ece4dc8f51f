// A form's draft of one write (a payment, the amount owed, a note). The draft keeps the
// write's id, so that sending it again after a lost answer is not applied twice; once the
// person types something else it is another write, so the id goes, and with it the error
// about the old input.

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
