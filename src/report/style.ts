// The report's stylesheet, inlined into every page so a report opens offline from a file.
// Values never wrap (a number split over two lines misreads); headers and prose may, and a row's
// labels (its name, its load) may break after a "/" or at a space. A table too
// wide for the page scrolls inside its own box, and a chart scales down to its figure.
export const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1248px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.6rem; }
div.table { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: .6rem 0; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; }
table.summary { font-size: 10.5px; } table.summary th, table.summary td { padding: 3px 3px; } /* the widest table: 20 columns (run-queue p50/p99 among them) within a laptop screen */
th { background: #f4f4f4; text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td { white-space: nowrap; } td.wrap { white-space: normal; min-width: 16rem; }
td.name { white-space: normal; } td.name span { white-space: nowrap; } /* labels break after a "/" or a space only */
tr.cb td { background: #fdecea; } tr.invalid td, tr.failed td { background: #f8d7da; } tr.noisy td { background: #fff4e5; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
code { word-break: break-all; }
.charts { display: flex; flex-wrap: wrap; gap: 1.2rem; }
figure { margin: 1rem 0 1.6rem; max-width: 560px; min-width: 0; } figcaption { color: #555; font-size: 12.5px; }
figure svg { max-width: 100%; height: auto; display: block; }
.warn { background: #fff4e5; border-left: 4px solid #f0a020; padding: .4rem .7rem; }
.div { color: #b00020; } .note { color: #555; }
ul { padding-left: 1.4rem; } li { overflow-wrap: anywhere; }
`;
