// The owner's settings screens other than booking (#/settings/<section>, owner only):
// "pipeline", the stages (stages.js) and the lead sources (sources.js); "fields", the
// custom fields (fields.js); "automations", the follow-up rules (automations.js);
// "routing", who gets each new lead (routing.js); "email", the e-mail templates
// (email-templates.js). Reads the settings live from Firestore
// and saves through the admin function (data/pipeline-api.js, data/fields-api.js,
// data/automations-api.js, data/routing-api.js), never Firestore
// itself. Loaded lazily, as its own
// chunk; each section is a component of one job, assembled here under the settings nav.
import { html, nothing, render } from "lit-html";
import { automationsApi } from "../../data/automations-api.js";
import { emailApi } from "../../data/email-api.js";
import { fieldsApi } from "../../data/fields-api.js";
import { pipelineApi } from "../../data/pipeline-api.js";
import { routingApi } from "../../data/routing-api.js";
import { automationsEditor } from "./automations.js";
import { emailTemplatesEditor } from "./email-templates.js";
import { fieldsEditor } from "./fields.js";
import { settingsNav } from "./nav.js";
import { routingEditor } from "./routing.js";
import { sourcesEditor } from "./sources.js";
import { stagesEditor } from "./stages.js";

const SECTIONS = {
  pipeline: {
    title: "Pipeline and sources",
    sub: "The stages a deal moves through, and where your customers come from.",
    api: pipelineApi,
    parts: [stagesEditor, sourcesEditor],
  },
  fields: {
    title: "Custom fields",
    sub: "What else you keep about each customer, typed so the export and reports add up.",
    api: fieldsApi,
    parts: [fieldsEditor],
  },
  automations: {
    title: "Automations",
    sub: "Follow-up tasks that make themselves when something happens, or when nothing does.",
    api: automationsApi,
    parts: [automationsEditor],
  },
  email: {
    title: "E-mail templates",
    sub: "What the customer pages offer to send, with the customer's details merged in.",
    api: emailApi,
    parts: [emailTemplatesEditor],
  },
  routing: {
    title: "Lead routing",
    sub: "Who gets each new lead, at once: rules in order, round robin within a group, and the fallback.",
    api: routingApi,
    parts: [routingEditor],
  },
};

export function renderSettings(container, ctx, section = "pipeline") {
  let disposed = false;
  const shown = SECTIONS[section] || SECTIONS.pipeline;
  const screen = {
    container,
    ctx,
    api: shown.api(ctx.api),
    update,
    disposed: () => disposed,
  };
  const parts = shown.parts.map((part) => part(screen));

  function update() {
    if (!disposed) render(template(), container);
  }

  function template() {
    return html`<section class="bs settings" data-testid="settings" data-section=${section}>
      <header class="page-head bs-head">
        <div>
          <h1 class="page-title">${shown.title}</h1>
          <p class="page-sub bs-sub">${shown.sub}</p>
        </div>
      </header>
      ${settingsNav(section)}
      ${parts.map((part) => part.template())}
    </section>`;
  }

  document.title = `${shown.title} · Hearth`;
  update();

  return () => {
    disposed = true;
    for (const part of parts) part.stop();
    render(nothing, container);
  };
}
