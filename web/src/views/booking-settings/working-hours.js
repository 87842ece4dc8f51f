// The booking settings' working hours: a row per weekday with its ranges (several a day,
// or none: closed), and the time zone they are in.
//
// Its own component because a range is checked and put back beside its input on its own
// (hours.tue.0), and adding one moves the focus; the form around it owns the state and
// the save (editor: see settings-form.js).
import { html } from "lit-html";
import { DAY_NAMES, WEEKDAYS } from "./model.js";

export function workingHours(editor) {
  const { s, container, edited, fieldError, invalid, setField, businessZone } = editor;

  function setRange(day, index, value) {
    s.form.hours[day][index] = value;
    delete s.errors[`hours.${day}`];
    edited(`hours.${day}.${index}`);
  }

  function clearDayErrors(day) {
    for (const path of Object.keys(s.errors)) if (path.startsWith(`hours.${day}`)) delete s.errors[path];
  }

  function addRange(day) {
    const ranges = s.form.hours[day];
    ranges.push(ranges.length ? "" : "09:00-17:00");
    clearDayErrors(day);
    edited("hours");
    queueMicrotask(() => {
      const inputs = container.querySelectorAll(`[data-testid=hours-range][data-day=${day}]`);
      const last = inputs[inputs.length - 1];
      last?.focus();
      last?.select();
    });
  }

  function removeRange(day, index) {
    s.form.hours[day].splice(index, 1);
    clearDayErrors(day);
    edited("hours");
  }

  function dayRow(day, ranges) {
    const name = DAY_NAMES[day];
    return html`<div class="bs-day ${ranges.length ? "" : "bs-closed"}" data-testid="day" data-day=${day}>
      <span class="bs-dayname">${name}</span>
      <div class="bs-ranges">
        ${ranges.length
          ? ranges.map((text, i) => {
              const path = `hours.${day}.${i}`;
              return html`<span class="bs-range">
                <span class="bs-range-line">
                  <input class="bs-range-input" data-testid="hours-range" data-day=${day} data-index=${i} autocomplete="off"
                    spellcheck="false" placeholder="09:00-17:00" aria-label=${`${name}, hours ${i + 1}`} .value=${text}
                    aria-invalid=${invalid(path)} aria-describedby=${`err-${path}`}
                    @input=${(e) => setRange(day, i, e.target.value)} />
                  <button type="button" class="bs-x" data-testid="hours-remove" aria-label=${`Remove ${name}, hours ${i + 1}`}
                    title="Remove" @click=${() => removeRange(day, i)}>×</button>
                </span>
                ${fieldError(path)}
              </span>`;
            })
          : html`<span class="bs-closed-text" data-testid="day-closed">Closed</span>`}
        ${fieldError(`hours.${day}`)}
      </div>
      <button type="button" class="button bs-small" data-testid="hours-add" data-day=${day} aria-label=${ranges.length ? `Add hours on ${name}` : `Open on ${name}`}
        @click=${() => addRange(day)}>${ranges.length ? "+ Hours" : "Open"}</button>
    </div>`;
  }

  function template(f) {
    return html`<fieldset class="bs-card" data-testid="hours">
        <legend class="bs-legend">Working hours</legend>
        <p class="bs-help">
          Times like <code>09:00-12:30</code>, on five-minute steps; a day may have several, and may end at
          <code>24:00</code>. A day without hours is closed.
        </p>
        ${fieldError("hours")}
        <div class="bs-days">${WEEKDAYS.map((day) => dayRow(day, f.hours[day]))}</div>
        <label class="bs-field bs-zone">
          <span class="bs-label">Time zone of these hours</span>
          <input name="timeZone" data-testid="settings-timeZone" list="bs-zones" autocomplete="off" spellcheck="false"
            placeholder=${`${businessZone} (the business time zone)`} .value=${f.timeZone}
            aria-invalid=${invalid("timeZone")} aria-describedby="err-timeZone"
            @input=${(e) => setField("timeZone", e.target.value)} />
          <span class="bs-hint">Leave empty for ${businessZone}. Visitors always see times in their own zone.</span>
          ${fieldError("timeZone")}
        </label>
      </fieldset>`;
  }

  return { template };
}
