// The one exporter interface: a model in, bytes out. Compare's text/Markdown/JSON and the report's
// Markdown/HTML implement it. An exporter formats what it is given and computes no statistics.
export interface Exporter<T> {
  /** The name users pick it by (--format text, report.html...). */
  readonly format: string;
  serialize(input: T): Uint8Array;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
