/**
 * "Did you mean" for config keys and names: the closest candidate, if it is
 * close enough to be a typo rather than a different word.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | null {
  const wanted = normalize(input);
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const normalized = normalize(candidate);
    // "timeZone", "max-pages", "Topics": same word, different spelling conventions
    if (normalized === wanted) return candidate;
    const distance = editDistance(wanted, normalized);
    if (distance <= typoBudget(normalized) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  if (best) return best.candidate;
  // "monday" for "mon", "holiday" for "holidays"
  return candidates.find((c) => isPrefixVariant(wanted, normalize(c))) ?? null;
}

function isPrefixVariant(wanted: string, candidate: string): boolean {
  if (wanted.length < 3 || candidate.length < 3) return false;
  return wanted.startsWith(candidate) || candidate.startsWith(wanted);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    const row = d[i]!;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      row[j] = value;
    }
  }
  return at(a.length, b.length);
}

/** Short words tolerate one slip, longer ones two: "url" → "uri" is a typo, "url" → "id" is not. */
function typoBudget(word: string): number {
  return word.length <= 4 ? 1 : 2;
}

function normalize(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match ? ` (did you mean "${match}"?)` : '';
}
