// Writes schemas/fixture.schema.json from the zod schema (`npm run gen:schemas`).
import fs from 'node:fs';
import { fixtureJsonSchemaText } from '../src/fixtures/json-schema.js';

const out = new URL('./fixture.schema.json', import.meta.url);
fs.writeFileSync(out, fixtureJsonSchemaText());
process.stdout.write(`wrote ${out.pathname}\n`);
