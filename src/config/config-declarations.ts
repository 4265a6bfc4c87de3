import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { listConfigFiles } from './load-hub-config';

/**
 * Where each config-managed entity is declared (file and line), so that a refused change can say
 * where to make it instead. Read once at start from the same files the hub config is loaded from.
 */
export type DeclaredKind = 'organization' | 'user' | 'trust-group' | 'collection' | 'api-root';

export interface ConfigDeclarations {
  /**
   * `collections/file.yaml:LINE` (the config folder's name and the file within it, or the config
   * file's name: no absolute path of the server in an answer an org-admin reads), or undefined when
   * the entity is declared in none of the files.
   */
  whereDeclared(kind: DeclaredKind, id: string): string | undefined;
}

/** Each section of the config, the entity kind it declares and the key that holds the entity's id. */
const SECTIONS: readonly { readonly section: string; readonly kind: DeclaredKind; readonly key: string }[] = [
  { section: 'organizations', kind: 'organization', key: 'id' },
  { section: 'users', kind: 'user', key: 'username' },
  { section: 'trust_groups', kind: 'trust-group', key: 'id' },
  { section: 'collections', kind: 'collection', key: 'id' },
  { section: 'api_roots', kind: 'api-root', key: 'id' },
];

const keyOf = (kind: DeclaredKind, id: string): string => `${kind}\u0000${id}`;

/** The declarations in the config at `configPath` (a file or a folder); empty when it cannot be read. */
export async function readConfigDeclarations(configPath: string): Promise<ConfigDeclarations> {
  const found = new Map<string, string>();
  const files = await listConfigFiles(configPath);
  for (const file of files.ok ? files.paths : []) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines });
    for (const { section, kind, key } of SECTIONS) {
      const list = document.get(section, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (!isMap(item)) continue;
        const id = item.get(key, true);
        if (!isScalar(id) || (typeof id.value !== 'string' && typeof id.value !== 'number')) continue;
        const line = item.range ? lines.linePos(item.range[0]).line : undefined;
        const root = path.resolve(configPath);
        const shown = path.resolve(file) === root ? path.basename(root) : path.join(path.basename(root), path.relative(root, path.resolve(file)));
        const where = line === undefined ? shown : `${shown}:${line}`;
        if (!found.has(keyOf(kind, String(id.value)))) found.set(keyOf(kind, String(id.value)), where);
      }
    }
  }
  return { whereDeclared: (kind, id) => found.get(keyOf(kind, id)) };
}
