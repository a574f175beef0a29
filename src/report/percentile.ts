/**
 * Percentiles by linear interpolation between closest ranks: the "inclusive"
 * definition (numpy's default, Excel's PERCENTILE.INC). For p in [0, 1] over
 * sorted values v[0..n-1], rank h = (n - 1) * p and the result is
 * v[floor h] + (h - floor h) * (v[floor h + 1] - v[floor h]). The median
 * (p = 0.5) is the middle value, or the mean of the two middle values.
 */
export function percentile(sortedValues: ArrayLike<number>, p: number): number | null {
  const n = sortedValues.length;
  if (n === 0) return null;
  if (p <= 0) return sortedValues[0]!;
  if (p >= 1) return sortedValues[n - 1]!;
  const rank = (n - 1) * p;
  const low = Math.floor(rank);
  const lowValue = sortedValues[low]!;
  const highValue = sortedValues[Math.min(low + 1, n - 1)]!;
  return lowValue + (rank - low) * (highValue - lowValue);
}

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
