// Files shipped with her2cn, found relative to the installed package.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_PANEL = join(PACKAGE_ROOT, 'panels', 'her2cn-demo-grch38.bed');
export const DEFAULT_PON = join(PACKAGE_ROOT, 'panels', 'her2cn-demo-grch38.pon.json');

/** How a path is recorded in result files: files shipped with her2cn by name, so results do not depend on where it is installed. */
export function displayPath(path: string): string {
  const shipped = join(PACKAGE_ROOT, 'panels');
  return path.startsWith(shipped + '/') ? `her2cn:panels/${path.slice(shipped.length + 1)}` : path;
}
