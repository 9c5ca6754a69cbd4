// How numbers, durations and times read on the page.

export const NO_VALUE = '—';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in its two largest units: "4d 5h", "3h 18m", "35m", "40s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return NO_VALUE;
  const s = Math.round(seconds);
  if (s < MINUTE) return `${s}s`;
  const units: [number, string][] = [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
  ];
  const first = units.findIndex(([size]) => s >= size);
  const [size, unit] = units[first];
  const whole = Math.floor(s / size);
  const next = units[first + 1];
  if (!next || whole >= 10) return `${whole}${unit}`;
  const rest = Math.floor((s - whole * size) / next[0]);
  return rest > 0 ? `${whole}${unit} ${rest}${next[1]}` : `${whole}${unit}`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return NO_VALUE;
  return `${(ratio * 100).toFixed(1)}%`;
}

/** Deployments per day, in the unit that keeps the number readable. */
export function formatFrequency(perDay: number): { value: string; unit: string } {
  if (perDay >= 1) return { value: trimmed(perDay), unit: 'per day' };
  if (perDay * 7 >= 1) return { value: trimmed(perDay * 7), unit: 'per week' };
  return { value: trimmed(perDay * 30), unit: 'per month' };
}

function trimmed(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** "2026-11-20 09:14 UTC": the API's times are UTC and shown so, to match what it says. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return NO_VALUE;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 10);
}
