// Studio Lumen's own page behaviour: the pricing wizard and small niceties.
// Sending the forms is /forms.js's job; this file never posts anything.
// Without JavaScript every step of the wizard is simply shown as one form.
(() => {
  const FIELDS = 'input:not([type=hidden]), select, textarea';
  // /track.js (loaded before this file) counts the wizard's funnel; without it, nothing.
  const track = (name, props) => window.hearth && window.hearth.track(name, props);

  for (const form of document.querySelectorAll('form[data-wizard]')) {
    const steps = Array.from(form.querySelectorAll('[data-step]'));
    const indicator = form.querySelector('[data-step-indicator]');
    const back = form.querySelector('[data-wizard-back]');
    const next = form.querySelector('[data-wizard-next]');
    const submit = form.querySelector('[type=submit]');
    const last = steps.length - 1;
    let current = 0;
    const counted = new Set(); // the steps this page has counted, each once
    const reached = (i) => {
      if (counted.has(i)) return;
      if (!counted.size) track('wizard_start');
      counted.add(i);
      track('wizard_step', { step: i + 1 });
    };

    // We check one step at a time ourselves; native validation of the whole
    // form would stop at required fields in steps that are not shown yet.
    form.noValidate = true;
    form.classList.add('is-wizard');
    indicator.hidden = false;

    const show = (i, focus) => {
      current = i;
      steps.forEach((step, n) => (step.hidden = n !== i));
      indicator.textContent = `Step ${i + 1} of ${steps.length}`;
      back.hidden = i === 0;
      next.hidden = i === last;
      submit.hidden = i !== last;
      form.dataset.step = i + 1;
      if (focus) steps[i].querySelector(FIELDS).focus();
      if (counted.size) reached(i); // step 1 counts once the visitor starts on it
    };

    // True when step i is complete; otherwise shows that step and lets the
    // browser point at the first problem.
    const check = (i) => {
      const bad = Array.from(steps[i].querySelectorAll(FIELDS)).find((el) => !el.checkValidity());
      if (!bad) return true;
      if (i !== current) show(i);
      bad.reportValidity();
      return false;
    };

    next.addEventListener('click', () => check(current) && show(current + 1, true));
    back.addEventListener('click', () => show(current - 1, true));

    // Runs before forms.js (which listens on the document) and cancels the
    // submit unless the whole form is ready; forms.js leaves cancelled
    // submits alone. Enter on an early step therefore acts as "Next".
    form.addEventListener('submit', (e) => {
      if (current < last) {
        e.preventDefault();
        if (check(current)) show(current + 1, true);
      } else if (!steps.every((step, i) => check(i))) {
        e.preventDefault();
      }
    });

    // The wizard starts when the visitor first touches its first step.
    form.addEventListener('focusin', () => reached(current));
    form.addEventListener('change', () => reached(current));
    form.addEventListener('hearth:sent', () => track('wizard_complete'));

    // forms.js resets the form after a successful send.
    form.addEventListener('reset', () => show(0));

    // The server may reject a field on an earlier step: show that step
    // (the document listener below then focuses the field).
    form.addEventListener('hearth:error', () => {
      const bad = form.querySelector('[aria-invalid]');
      const i = steps.findIndex((step) => step.contains(bad));
      if (i >= 0) show(i);
    });

    show(0);
  }

  // When the server rejects fields, forms.js marks them aria-invalid and
  // shows the messages; move the focus to the first so it is not missed.
  document.addEventListener('hearth:error', (e) => {
    const bad = e.target.querySelector && e.target.querySelector('[aria-invalid]');
    if (bad) bad.focus();
  });

  // No booking requests for days already gone.
  const today = new Date(Date.now() - new Date().getTimezoneOffset() * 6e4).toISOString().slice(0, 10);
  for (const input of document.querySelectorAll('input[type=date][data-min-today]')) input.min = today;
})();
