// The units a metric may be in; src/present/format.ts formats each one.
export type Unit = "req/s" | "req/CPU-s" | "us" | "bytes" | "B/req" | "1/s" | "%" | "x" | "count";
