/**
 * Attempt durations as a log-scale histogram, so hourly tallies can be summed and still yield
 * percentiles: bucket 0 holds durations under 1 ms, bucket k ≥ 1 those in [2^((k-1)/4), 2^(k/4)) ms
 * (four buckets per doubling). A percentile is reported as its bucket's geometric middle, within
 * 9% of the true value; durations from about 4.4 minutes up share the last bucket. Pure.
 */

/** Bucket index (as a string key, the way both stores keep it) → attempts. */
export type LatencyHistogram = Record<string, number>;

const perDoubling = 4;
/** From 2^18 ms (about 4.4 minutes) up, every duration shares this bucket. */
export const lastBucket = 1 + 18 * perDoubling;

export function bucketOf(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return Math.min(lastBucket, 1 + Math.floor(Math.log2(durationMs) * perDoubling));
}

/** The value reported for a bucket: its geometric middle, in milliseconds. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0.5;
  return 2 ** ((bucket - 0.5) / perDoubling);
}

export function addTo(histogram: LatencyHistogram, durationMs: number, count = 1): void {
  const key = String(bucketOf(durationMs));
  histogram[key] = (histogram[key] ?? 0) + count;
}

export function mergeInto(target: LatencyHistogram, source: Readonly<LatencyHistogram>): void {
  for (const [key, count] of Object.entries(source)) target[key] = (target[key] ?? 0) + count;
}

/** The p-th percentile (0 < p ≤ 1) in milliseconds, rounded to 0.1 ms; null for an empty histogram. */
export function percentile(histogram: Readonly<LatencyHistogram>, p: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([key, count]) => [Number(key), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return Math.round(bucketValue(bucket) * 10) / 10;
  }
  return null;
}
