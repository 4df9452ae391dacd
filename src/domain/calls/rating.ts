/**
 * Kazoo's per-minute call cost (`kapps_call_util:calculate_call/1`), from the rating channel
 * variables hotornot sets on a leg: `Rate` and `Surcharge` in units (1/10000 of the currency),
 * `Rate-Increment` and `Rate-Minimum` in seconds, `Rate-NoCharge-Time`, `Discount-Percentage`,
 * `Billing-Seconds-Offset`. Values arrive as strings; Kazoo reads them as integers.
 */
import type { JsonObject } from '../json.js';

const unitsPerCurrency = 10_000;

function int(vars: JsonObject, key: string, fallback = 0): number {
  const value = vars[key];
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  // kz_term:to_integer rounds a float string, and a leg without the variable counts as 0.
  return Number.isFinite(n) ? Math.round(n) : fallback;
}

/** The leg's cost in units; 0 for an unrated leg or one that never connected. */
export function legCostUnits(ccvs: JsonObject, billingSeconds: number): number {
  const seconds = billingSeconds - int(ccvs, 'Billing-Seconds-Offset');
  if (seconds <= 0 || seconds <= int(ccvs, 'Rate-NoCharge-Time')) return 0;
  const rate = int(ccvs, 'Rate');
  const increment = int(ccvs, 'Rate-Increment', 60) || 60;
  const minimum = int(ccvs, 'Rate-Minimum');
  const surcharge = int(ccvs, 'Surcharge');
  const cost =
    seconds <= minimum
      ? Math.trunc(surcharge + (minimum / 60) * rate)
      : Math.trunc(surcharge + (minimum / 60) * rate + Math.ceil((seconds - minimum) / increment) * ((increment / 60) * rate));
  const discount = Math.trunc(int(ccvs, 'Discount-Percentage') * 0.01 * cost);
  return Math.trunc(cost - discount);
}

/** Units as Atende's decimal string: `"17.28"`, `"2.7"`, `"0.0"`. */
export function formatAmount(units: number): string {
  const text = String(units / unitsPerCurrency);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}
