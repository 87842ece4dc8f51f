// Every Firestore query and listener the admin page makes, in one file.
//
// Why one file: a reader (or whoever changes firestore.rules) sees here everything the
// page reads, and so everything the rules must allow; the views only call these named
// functions. Besides web/src/firebase.js (which opens the database), this is the only
// module that imports "firebase/firestore". The page never writes Firestore: every
// change goes through the admin API (data/api.js).

// --- Bookings, calendar and booking settings (W2) ---
