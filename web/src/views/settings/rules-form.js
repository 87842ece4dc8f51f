// The saving half of a rules editor (follow-up rules, routing rules): how the rules as
// edited are checked, sent, refused input by input and saved, and how an edit is
// discarded. One copy, so both screens answer a refusal, a failure and a save alike:
// every message beside the input it names, the focus on the first of them, nothing typed
// lost.
import { moveRow, removeRow } from "./row-moves.js";

/**
 * screen: {container, api, update, disposed()}; s: the editor's state ({rows, stored,
 * dirty, busy, errors, formError, saved}); name: the test-id stem ("automations",
 * "routing"); check(fault): the body to send, or null after calling fault(key, part,
 * message) for each input it refuses itself; place(path): [errorKey, part] for a field path of a 400, or
 * null; reload(settings): rows from stored settings; savedText; firstFocus: a selector;
 * preview: {changed()}; rows: {max, make(takenIds), input: the selector of a row's first
 * input, changed(key, part)} for adding, moving and removing rules.
 */
export function rulesForm(screen, s, { name, check, place, reload, savedText, firstFocus, preview, rows }) {
  const { container, api, update } = screen;

  function fault(key, part, message) {
    s.errors[key] = { ...(s.errors[key] || {}), [part]: message };
  }

  function focusFirstError() {
    queueMicrotask(() => {
      const first = container.querySelector(`[data-testid=${name}] :is([aria-invalid=true], [data-invalid=true])`);
      (first || container.querySelector(`[data-testid=${name}-error]`))?.focus();
    });
  }

  /** The body to send, or null (the reasons shown beside their inputs). */
  function checked() {
    const body = check(fault);
    if (body === null) {
      s.formError = "Some rules need attention: each says what beside it.";
      update();
      focusFirstError();
      return null;
    }
    s.formError = "";
    return body;
  }

  /** A 400 from saving or previewing: each message beside the input it names. */
  function refused(res) {
    const fields = (res.body && res.body.fields) || {};
    const others = [];
    for (const [path, message] of Object.entries(fields)) {
      const where = place(path);
      if (where) fault(where[0], where[1], String(message));
      else others.push(String(message));
    }
    s.formError = [res.message, ...others].join(" ");
    update();
    focusFirstError();
  }

  async function save(event) {
    event.preventDefault();
    if (s.busy) return;
    const body = checked();
    if (!body) return;
    s.busy = true;
    update();
    const res = await api.save(body);
    s.busy = false;
    if (screen.disposed()) return;
    if (res.ok) {
      s.dirty = false;
      s.errors = {};
      s.formError = "";
      s.saved = savedText;
      const settings = res.body && res.body.settings;
      if (settings) {
        s.stored = settings;
        reload(settings);
      }
      update();
      queueMicrotask(() => container.querySelector(`[data-testid=${name}-status]`)?.focus());
      return;
    }
    if (res.status === 400) {
      refused(res);
      return;
    }
    s.formError = res.message;
    update();
    focusFirstError();
  }

  function discard() {
    s.dirty = false;
    s.errors = {};
    s.formError = "";
    reload(s.stored);
    preview.changed();
    update();
    queueMicrotask(() => container.querySelector(firstFocus)?.focus());
  }

  const keyOf = (row) => row.rk;

  function move(row, by, which) {
    if (moveRow(container, s.rows, row, by, which, keyOf)) rows.changed(null);
  }

  function remove(row) {
    removeRow(container, s.rows, row, keyOf, { focus: rows.input, fallback: firstFocus });
    delete s.errors[row.rk];
    rows.changed(null);
  }

  function add() {
    if (s.rows.length >= rows.max) return;
    const row = rows.make(new Set(s.rows.map((r) => r.id)));
    s.rows.push(row);
    rows.changed(null);
    queueMicrotask(() => container.querySelector(`[data-row="${row.rk}"] ${rows.input}`)?.focus());
  }

  return { checked, refused, save, discard, move, remove, add };
}
