// Numbers as users write them in options and tables: a typo must be refused,
// never read as a silently different value.

/** A finite decimal number (optionally signed, with exponent), or undefined for anything else. */
export function parseDecimal(value: string): number | undefined {
  const v = value.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
