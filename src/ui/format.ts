// The terminal's names for the one formatter (src/present/format.ts), for the live lines of
// `bench` and `load`.
export { formatBytes as fmtBytes, formatCount as fmtCount, formatMicros as fmtUs } from "../present/format.js";
