/** Splits an answer into plain and highlighted parts where the evaluator's evidence quotes occur (case-insensitive;
 * a quote not found in the answer is simply not highlighted). */
export interface Part {
  text: string;
  quoted: boolean;
}

export function highlight(answer: string, quotes: string[]): Part[] {
  const lower = answer.toLowerCase();
  const ranges: [number, number][] = [];
  for (const quote of quotes) {
    const needle = quote.trim().toLowerCase();
    if (!needle) continue;
    const at = lower.indexOf(needle);
    if (at >= 0) ranges.push([at, at + needle.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: Part[] = [];
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (end <= cursor) continue;
    const from = Math.max(start, cursor);
    if (from > cursor) parts.push({ text: answer.slice(cursor, from), quoted: false });
    parts.push({ text: answer.slice(from, end), quoted: true });
    cursor = end;
  }
  if (cursor < answer.length) parts.push({ text: answer.slice(cursor), quoted: false });
  return parts;
}
