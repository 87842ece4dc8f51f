// Temporary: moved to lib/search.js; kept only while a W2 file imports it from here (the lead removes it).
export * from "./lib/search.js";
