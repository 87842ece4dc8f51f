// Temporary: newId moved to lib/ids.js (the API calls to data/api.js); kept only while a W2 file imports it from here (the lead removes it).
export { newId } from "./lib/ids.js";
