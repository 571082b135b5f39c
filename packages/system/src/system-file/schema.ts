import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the JSON Schema of `sf.system.json`, published as `@sf/system/sf.system.schema.json`. */
export const SYSTEM_SCHEMA_FILE: string = fileURLToPath(schemaUrl());

/** The JSON Schema of `sf.system.json`. */
export const SYSTEM_SCHEMA: Readonly<Record<string, unknown>> = JSON.parse(readFileSync(SYSTEM_SCHEMA_FILE, 'utf8'));

/** The schema sits at the package root; this module is in `src/system-file/` or bundled in `dist/`. */
function schemaUrl(): URL {
  const bundled = new URL('../sf.system.schema.json', import.meta.url);
  return import.meta.url.includes('/src/') ? new URL('../../sf.system.schema.json', import.meta.url) : bundled;
}
