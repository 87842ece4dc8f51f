// The settings sections, as links between the owner's settings screens. A new section
// (custom fields, automations) adds one entry here and its route in main.js.
import { html } from "lit-html";

export const SECTIONS = [
  { id: "booking", href: "#/settings/booking", label: "Booking" },
  { id: "pipeline", href: "#/settings/pipeline", label: "Pipeline and sources" },
  { id: "fields", href: "#/settings/fields", label: "Custom fields" },
  { id: "automations", href: "#/settings/automations", label: "Automations" },
  { id: "routing", href: "#/settings/routing", label: "Lead routing" },
  { id: "email", href: "#/settings/email", label: "E-mail templates" },
];

/** The row of section links; `current` is the id of the section shown. */
export function settingsNav(current) {
  return html`<nav class="settings-nav" aria-label="Settings sections" data-testid="settings-nav">
    ${SECTIONS.map(
      (section) => html`<a class="settings-nav-link" href=${section.href}
        aria-current=${section.id === current ? "page" : "false"}>${section.label}</a>`,
    )}
  </nav>`;
}
