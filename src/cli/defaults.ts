// Files shipped with her2cn, found relative to the installed package.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_PANEL = join(PACKAGE_ROOT, 'panels', 'her2cn-demo-grch38.bed');
