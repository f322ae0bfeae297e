// Shared layer (pure): keeps the dashboard's charts small however long a run gets — min/max bucketing for curves,
// and a bounded, evenly thinned set of training steps for the per-time-step gradient charts. No DOM, no vscode.

/**
 * Indices of `values` worth drawing, at most `maxPoints` of them, ascending. Min/max bucketing: the first and last
 * points are always kept; the rest is cut into equal buckets and each bucket keeps its smallest and largest finite
 * value (so every spike and every dip survives, which averaging or striding would lose) and its first non-finite
 * value (so a diverged step is never thinned away: the chart must mark it, not skip it).
 * Invariants: the result is sorted, has no duplicates, keeps the global finite minimum and maximum, and keeps the
 * first non-finite index of the whole series.
 */
export function downsampleIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length;
  if (!(maxPoints >= 3)) throw new RangeError(`maxPoints must be at least 3, got ${maxPoints}`);
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  // First and last, plus up to three per bucket (min, max, first non-finite).
  const buckets = Math.floor((maxPoints - 2) / 3);
  const kept: number[] = [0];
  const inner = n - 2;
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);   // exclusive
    let minIndex = -1;
    let maxIndex = -1;
    let nonFiniteIndex = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        if (nonFiniteIndex < 0) nonFiniteIndex = i;
        continue;
      }
      if (minIndex < 0 || v < values[minIndex]) minIndex = i;
      if (maxIndex < 0 || v > values[maxIndex]) maxIndex = i;
    }
    const inBucket = [minIndex, maxIndex, nonFiniteIndex].filter((i) => i >= 0).sort((a, b2) => a - b2);
    for (const i of inBucket) if (kept[kept.length - 1] !== i) kept.push(i);
  }
  kept.push(n - 1);
  return kept;
}

/** `count` indices into a list of `length` items: the first, the last and evenly spaced between (fewer if short). */
export function evenlySpacedIndices(length: number, count: number): number[] {
  if (length <= 0 || count <= 0) return [];
  if (length <= count) return Array.from({ length }, (_, i) => i);
  if (count === 1) return [length - 1];
  const indices = new Set<number>();
  for (let i = 0; i < count; i++) indices.add(Math.round((i * (length - 1)) / (count - 1)));
  return [...indices].sort((a, b) => a - b);
}

/**
 * A bounded memory of training steps for the per-time-step charts: it keeps at most `capacity` items, evenly spread
 * over all the items offered so far, plus always the latest one. Offered items are numbered 0, 1, 2, …; while the
 * store is full, every other kept item is dropped and the stride doubles, so the kept ones are always those whose
 * number is a multiple of the stride — the first item is never dropped.
 */
export class StepReservoir<T> {
  private readonly kept: { ordinal: number; item: T }[] = [];
  private stride = 1;
  private offered = 0;
  private latestItem: { ordinal: number; item: T } | null = null;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 2)) throw new RangeError(`capacity must be a whole number of at least 2, got ${capacity}`);
  }

  /** Number of items ever offered. */
  get size(): number {
    return this.offered;
  }

  offer(item: T): void {
    const ordinal = this.offered++;
    this.latestItem = { ordinal, item };
    if (ordinal % this.stride !== 0) return;
    this.kept.push({ ordinal, item });
    if (this.kept.length > this.capacity) {
      this.stride *= 2;
      let write = 0;
      for (const entry of this.kept) if (entry.ordinal % this.stride === 0) this.kept[write++] = entry;
      this.kept.length = write;
    }
  }

  /** The kept items in the order offered, ending with the latest one (at most capacity + 1 items). */
  items(): T[] {
    const result = this.kept.map((entry) => entry.item);
    const latest = this.latestItem;
    if (latest && this.kept[this.kept.length - 1]?.ordinal !== latest.ordinal) result.push(latest.item);
    return result;
  }

  latest(): T | undefined {
    return this.latestItem?.item;
  }
}
