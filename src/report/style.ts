// The report's stylesheet, inlined into every page so a report opens offline from a file.
export const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1180px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: 12.5px; }
th, td { border: 1px solid #ddd; padding: 3px 7px; vertical-align: top; }
th { background: #f4f4f4; text-align: left; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.cb td { background: #fdecea; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; }
figure { margin: 1rem 0 1.6rem; max-width: 560px; } figcaption { color: #555; font-size: 12.5px; max-width: 720px; }
.charts { display: flex; flex-wrap: wrap; gap: 1.2rem; }
.warn { background: #fff4e5; border-left: 4px solid #f0a020; padding: .4rem .7rem; }
.div { color: #b00020; } .note { color: #555; }
nav ul { columns: 2; }
`;
