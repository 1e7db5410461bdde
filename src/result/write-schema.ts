// `npm run schema`: writes the result document's JSON Schema to
// docs/her2cn-result.schema.json and the PoN's compiled field check to
// src/pon/shape-check.ts (tests keep both equal to the code).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../pipeline/shipped.js';
import { shapeCheckSource } from '../pon/shape-check-source.js';
import { schemaText } from './schema.js';

writeFileSync(join(PACKAGE_ROOT, 'docs', 'her2cn-result.schema.json'), schemaText());
writeFileSync(join(PACKAGE_ROOT, 'src', 'pon', 'shape-check.ts'), shapeCheckSource());
