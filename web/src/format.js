// Temporary: moved to lib/format.js; kept only while a W2 file imports it from here (the lead removes it).
export * from "./lib/format.js";
