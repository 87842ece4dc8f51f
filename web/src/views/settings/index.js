// The owner's settings screens other than booking (#/settings/<section>, owner only):
// today "pipeline", the stages (stages.js) and the lead sources (sources.js). Reads
// settings/pipeline and sources live from Firestore and saves through the admin
// function (data/pipeline-api.js), never Firestore itself. Loaded lazily, as its own
// chunk; each section is a component of one job, assembled here under the settings nav.
import { html, nothing, render } from "lit-html";
import { pipelineApi } from "../../data/pipeline-api.js";
import { settingsNav } from "./nav.js";
import { sourcesEditor } from "./sources.js";
import { stagesEditor } from "./stages.js";

const TITLES = { pipeline: "Pipeline and sources" };

export function renderSettings(container, ctx, section = "pipeline") {
  let disposed = false;
  const screen = {
    container,
    ctx,
    api: pipelineApi(ctx.api),
    update,
    disposed: () => disposed,
  };
  const parts = [stagesEditor(screen), sourcesEditor(screen)];

  function update() {
    if (!disposed) render(template(), container);
  }

  function template() {
    return html`<section class="bs settings" data-testid="settings" data-section=${section}>
      <header class="page-head bs-head">
        <div>
          <h1 class="page-title">${TITLES[section]}</h1>
          <p class="page-sub bs-sub">The stages a deal moves through, and where your customers come from.</p>
        </div>
      </header>
      ${settingsNav(section)}
      ${parts.map((part) => part.template())}
    </section>`;
  }

  document.title = `${TITLES[section]} · Hearth`;
  update();

  return () => {
    disposed = true;
    for (const part of parts) part.stop();
    render(nothing, container);
  };
}
