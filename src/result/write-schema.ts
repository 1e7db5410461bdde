// `npm run schema`: writes the result document's JSON Schema to
// docs/her2cn-result.schema.json (a test keeps the file equal to the code).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../pipeline/shipped.js';
import { schemaText } from './schema.js';

writeFileSync(join(PACKAGE_ROOT, 'docs', 'her2cn-result.schema.json'), schemaText());
