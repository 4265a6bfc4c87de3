import fs from 'node:fs';
import path from 'node:path';

/** The package root: two levels above this file, both from src/validation and dist/validation. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** Reads a JSON Schema from the package's schemas/ folder. */
export function readSchema(fileName: string): Record<string, unknown> & { $id: string } {
  const text = fs.readFileSync(path.join(PACKAGE_ROOT, 'schemas', fileName), 'utf8');
  return JSON.parse(text) as Record<string, unknown> & { $id: string };
}
