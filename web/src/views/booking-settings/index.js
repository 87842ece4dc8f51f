// The owner's booking settings and booking links (#/settings/booking, owner only).
//
// Reads settings/booking and bookingLinks from Firestore (the rules let the owner read
// both), live: a change saved in another tab shows here while nothing is typed. Saves
// through the admin function, never Firestore itself:
//   PUT    <functions>/admin/settings/booking          the whole document, JSON spelling
//   PUT    <functions>/admin/booking-links/<source>    {label, timeZone} -> {link: {url, …}}
//   DELETE <functions>/admin/booking-links/<source>
// A 400 names the fields at fault (hours.tue.0, types.intro.label, bufferMinutes…): each
// message is shown beside its input, and nothing typed is lost on any refusal. The page
// checks working hours itself first (the server reports a bad range for "hours" as a
// whole, and only the first one), and only sends numbers that are whole numbers; the
// rest (limits, multiples of five, time zones, labels) is the server's to judge, so the
// page and the booking functions can never disagree about what works.
//
// This file assembles the screen: the settings form (settings-form.js, with its working
// hours and kinds of call) and the booking links (booking-links.js), over one form model
// (model.js). Loaded lazily, as its own chunk.
import { html, nothing, render } from "lit-html";
import { settingsNav } from "../settings/nav.js";
import { bookingLinks } from "./booking-links.js";
import { settingsMessage, zoneNames } from "./model.js";
import { settingsForm } from "./settings-form.js";

export function renderBookingSettings(container, ctx) {
  let disposed = false;
  const screen = {
    container,
    ctx,
    send: (method, path, body) => ctx.api.request(method, path, body, { explain: settingsMessage }),
    update,
    disposed: () => disposed,
  };
  const settings = settingsForm(screen);
  const links = bookingLinks(screen);
  const zones = zoneNames();

  function update() {
    if (!disposed) render(template(), container);
  }

  function template() {
    return html`<section class="bs" data-testid="booking-settings">
        <header class="page-head bs-head">
          <div>
            <h1 class="page-title">Booking settings</h1>
            <p class="page-sub bs-sub">When visitors can book a call, which kinds of call there are, and the links you share.</p>
          </div>
          <a class="button" href="#/calendar">Calendar</a>
        </header>
        ${settingsNav("booking")}
        ${settings.template()}
        ${links.template()}
        <datalist id="bs-zones">${zones.map((zone) => html`<option value=${zone}></option>`)}</datalist>
      </section>`;
  }

  document.title = "Booking settings · Hearth";
  update();

  return () => {
    disposed = true;
    settings.stop();
    links.stop();
    render(nothing, container);
  };
}
