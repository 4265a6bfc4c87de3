// Bundles the web console (console/src, Preact + TSX) into dist/console (or the directory given as
// the first argument): index.html plus assets/ with content-hashed names. Part of `npm run build`.
// No CDN and no inline script: the page loads only these files (see src/http/console/).
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildConsole(outDir = path.join(root, 'dist', 'console')) {
  const assets = path.join(outDir, 'assets');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });
  const result = await build({
    entryPoints: { app: path.join(root, 'console', 'src', 'main.tsx') },
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['es2020'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    outdir: assets,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((f) => f.endsWith('.js'));
  const style = outputs.find((f) => f.endsWith('.css'));
  if (!script || !style) throw new Error(`the console bundle lacks its script or style: ${outputs.join(', ')}`);
  const template = await readFile(path.join(root, 'console', 'index.html'), 'utf8');
  await writeFile(path.join(outDir, 'index.html'), template.replace('{{SCRIPT}}', script).replace('{{STYLE}}', style));
  return { outDir, script, style };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildConsole(process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    ({ outDir, script }) => console.log(`console built into ${path.relative(process.cwd(), outDir) || '.'} (${script})`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
