// Contig naming: panels, BAMs and panels of normals may use 'chr17' or '17'
// for the same chromosome. Matching is by name first, then with the 'chr'
// prefix added or removed (and chrM <-> MT).

/** The name a chromosome has without any 'chr' prefix, mitochondria as 'M'. */
export function canonicalContig(name: string): string {
  const bare = name.replace(/^chr/i, '');
  return bare === 'MT' ? 'M' : bare;
}

/** Finds `name` among `available` under either naming convention, or undefined. */
export function resolveContig(name: string, available: Iterable<string>): string | undefined {
  const names = [...available];
  if (names.includes(name)) return name;
  const want = canonicalContig(name);
  return names.find(n => canonicalContig(n) === want);
}

/** Sort key putting 1..22, X, Y, M first in that order, then the rest by name. */
export function contigRank(name: string): [number, string] {
  const c = canonicalContig(name);
  if (/^\d+$/.test(c)) return [Number(c), ''];
  const special: Record<string, number> = { X: 23, Y: 24, M: 25 };
  return [special[c] ?? 26, c];
}

export function compareContigs(a: string, b: string): number {
  const [ra, sa] = contigRank(a);
  const [rb, sb] = contigRank(b);
  return ra !== rb ? ra - rb : sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** True for chromosomes 1-22. */
export function isAutosome(name: string): boolean {
  return /^\d+$/.test(canonicalContig(name)) && Number(canonicalContig(name)) <= 22;
}
