import fs from 'node:fs/promises';
import path from 'node:path';

/** A file to import and its size in bytes (the progress bar measures bytes). */
export interface ImportFile {
  readonly path: string;
  readonly size: number;
}

/** What a file holds, judged by its shape alone; the services check the content. */
export type ImportDocument =
  | { readonly kind: 'stix'; readonly objects: readonly unknown[] }
  | { readonly kind: 'submission'; readonly document: Readonly<Record<string, unknown>> }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * The files under `target`: the file itself, or every file ending in .json below the folder
 * (recursively), sorted by path so that an import runs in the same order every time.
 */
export async function findImportFiles(target: string): Promise<ImportFile[]> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat === undefined) throw new Error(`${target}: there is no such file or folder`);
  if (stat.isFile()) return [{ path: target, size: stat.size }];
  if (!stat.isDirectory()) throw new Error(`${target} is neither a file nor a folder`);
  const found: ImportFile[] = [];
  await collectJsonFiles(target, found);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function collectJsonFiles(folder: string, found: ImportFile[]): Promise<void> {
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await collectJsonFiles(full, found);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) found.push({ path: full, size: (await fs.stat(full)).size });
  }
}

/**
 * Classifies a file's text: a STIX bundle (`type: "bundle"`) or a TAXII envelope (an `objects`
 * array) gives STIX objects; an object with an `indicators` array is a unified submission.
 */
export function readImportDocument(text: string): ImportDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: 'unreadable', reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'unreadable', reason: 'not a JSON object: expected a STIX bundle, a TAXII envelope or a unified submission' };
  }
  const doc = parsed as Record<string, unknown>;
  if (doc.type === 'bundle') {
    if (doc.objects === undefined) return { kind: 'stix', objects: [] };
    return Array.isArray(doc.objects) ? { kind: 'stix', objects: doc.objects } : { kind: 'unreadable', reason: 'the bundle\'s "objects" is not an array' };
  }
  if (Array.isArray(doc.indicators)) return { kind: 'submission', document: doc };
  if (Array.isArray(doc.objects)) return { kind: 'stix', objects: doc.objects };
  return { kind: 'unreadable', reason: 'neither a STIX bundle, a TAXII envelope ("objects") nor a unified submission ("indicators")' };
}
