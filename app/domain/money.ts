/** Money is integer cents; rates are basis points. Never floats. */

/** "25", "25.5", "25.50" → 2550. Null for anything else (negative, three decimals, letters). */
export function parseMoneyToCents(input: string): number | null {
  const match = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** "15" → 1500, "12.5" → 1250, "0.25" → 25. At most two decimals, at most 100%. */
export function parsePercentToBps(input: string): number | null {
  const match = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return bps <= 10_000 ? bps : null;
}

export function centsToInput(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** A royalty on `cents` at `bps`, rounded half up to the cent: the same rule everywhere. */
export function royaltyCents(cents: number, bps: number): number {
  return Math.floor((cents * bps + 5000) / 10000);
}
