import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hourlySeries, statsWindow, totalsOf, type HourTally } from '../../src/domain/delivery-stats.js';
import { addTo, bucketOf, bucketValue, lastBucket, percentile, type LatencyHistogram } from '../../src/domain/latency-histogram.js';

const hour = 3_600_000;

function histogram(durations: number[]): LatencyHistogram {
  const h: LatencyHistogram = {};
  for (const d of durations) addTo(h, d);
  return h;
}

describe('latency histogram', () => {
  it('reports percentiles within 9% of the exact value', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 7919) % 5000) / 3);
    const sorted = [...durations].sort((a, b) => a - b);
    const h = histogram(durations);
    for (const p of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(p * sorted.length) - 1] ?? 0;
      const approx = percentile(h, p) ?? 0;
      assert.ok(Math.abs(approx - exact) / exact < 0.09, `p${p * 100}: ${approx} vs ${exact}`);
    }
    assert.equal(percentile({}, 0.5), null);
  });

  it('puts sub-millisecond and very long durations in the end buckets', () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(0.3), 0);
    assert.equal(bucketOf(1), 1);
    assert.equal(bucketOf(3_600_000), lastBucket);
    assert.ok(bucketValue(bucketOf(1000)) > 900 && bucketValue(bucketOf(1000)) < 1100);
  });
});

describe('delivery stats', () => {
  const now = Date.UTC(2026, 0, 30, 14, 25);
  const window = statsWindow(3, now);

  it('covers whole hours up to the end of the current one', () => {
    assert.equal(window.from.toISOString(), '2026-01-30T12:00:00.000Z');
    assert.equal(window.to.toISOString(), '2026-01-30T15:00:00.000Z');
  });

  it('sums counts and histograms across hours and hooks; every hour of the window has a point', () => {
    const tallies: HourTally[] = [
      { hour: new Date(Date.UTC(2026, 0, 30, 12)), succeeded: 3, failed: 1, latency: histogram([10, 10, 10, 2000]) },
      { hour: new Date(Date.UTC(2026, 0, 30, 12)), succeeded: 1, failed: 0, latency: histogram([10]) },
      { hour: new Date(Date.UTC(2026, 0, 30, 14)), succeeded: 0, failed: 2, latency: histogram([100, 100]) },
    ];
    const totals = totalsOf(tallies);
    assert.deepEqual([totals.succeeded, totals.failed, totals.total, totals.success_rate], [4, 3, 7, 0.571]);
    assert.ok(Math.abs((totals.latency_ms.p50 ?? 0) - 10) < 1);
    assert.ok(Math.abs((totals.latency_ms.p99 ?? 0) - 2000) / 2000 < 0.09);
    const series = hourlySeries(tallies, window);
    assert.deepEqual(
      series.map((p) => [p.hour.slice(11, 13), p.succeeded, p.failed, p.p50_ms === null]),
      [
        ['12', 4, 1, false],
        ['13', 0, 0, true],
        ['14', 0, 2, false],
      ],
    );
    assert.equal(totalsOf([]).success_rate, null);
    assert.equal(series.length * hour, window.to.getTime() - window.from.getTime());
  });
});
