// Where every Hearth form on this site sends its submissions (read by
// /forms.js at submit time). Change it here, in one place. A page or a test
// may set window.HEARTH_INTAKE_URL before this file runs to override it.
// The forms' action attributes keep the default for visitors without JS.
window.HEARTH_INTAKE_URL = window.HEARTH_INTAKE_URL || 'http://127.0.0.1:5001/intake';
