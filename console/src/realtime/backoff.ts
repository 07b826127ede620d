/** Reconnection delays: doubling from `first` up to `max`, with up to a quarter of random spread. */
export function backoffDelay(attempt: number, random: () => number = Math.random, first = 500, max = 15_000): number {
  const base = Math.min(max, first * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.25));
}
