// Where this site's Hearth scripts send things, in one place: the functions' base
// address. /forms.js posts to its /intake and /track.js to its /track; /book.js asks
// its /availability and /book and manages bookings at its /booking. A page or a test
// may set any of these variables before this file runs to override it. The forms' action attributes keep the default
// intake address for visitors without JavaScript.
window.HEARTH_FUNCTIONS_URL = window.HEARTH_FUNCTIONS_URL || 'http://127.0.0.1:5001';
window.HEARTH_INTAKE_URL = window.HEARTH_INTAKE_URL || window.HEARTH_FUNCTIONS_URL + '/intake';
window.HEARTH_TRACK_URL = window.HEARTH_TRACK_URL || window.HEARTH_FUNCTIONS_URL + '/track';
