/**
 * The store sizes of the scale part, from `max` down by factors of ten to 10,000 (issue 13 point
 * 8 measures 10,000 → 1,000,000): `--max 1000000` gives 10k, 100k, 1M. A `max` under 100,000
 * starts at a tenth of it, so even a smoke run compares two sizes.
 */
export function scaleSizes(max: number): number[] {
  const base = Math.min(10_000, Math.max(1, Math.floor(max / 10)));
  const sizes: number[] = [];
  for (let size = base; size <= max; size *= 10) sizes.push(size);
  return sizes;
}
