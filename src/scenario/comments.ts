// Scenario files may carry whole-line `//` comments (evbench init writes them to explain each
// field). They are blanked, not removed, so JSON's error positions still name the right line.
export function blankLineComments(text: string): string {
  return text
    .split("\n")
    .map((l) => (/^\s*\/\//.test(l) ? "" : l))
    .join("\n");
}
