// Temporary: moved to data/api.js; kept only while W2's meeting.js imports it from here (the lead removes it).
export * from "./data/api.js";
