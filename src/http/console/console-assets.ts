import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { hubError } from '../../domain/errors';
import { setConsoleSecurityHeaders } from './console-security';

/**
 * The console's built files (dist/console: index.html and assets/ with content-hashed names, made
 * by `npm run build`, see scripts/build-console.mjs). index.html is revalidated on every load; the
 * hashed assets are cached for a year, since a new build gives them new names.
 */

/** dist/console at the package root, whether this file runs from src/ (tests) or dist/ (the hub). */
export const DEFAULT_CONSOLE_ASSETS_DIR = path.resolve(__dirname, '..', '..', '..', 'dist', 'console');

export function consoleAssetRoutes(assetsDir: string): Router {
  const router = Router();
  const indexFile = path.join(assetsDir, 'index.html');
  const notBuilt = () => hubError('NOT_FOUND', { description: `The console is not built (no ${indexFile}); run npm run build` });

  const index: RequestHandler = (req, res, next) => {
    // Relative asset URLs need the trailing slash: /console -> /console/
    if (!(req.originalUrl.split('?')[0] ?? '').endsWith('/')) {
      res.redirect(301, '/console/');
      return;
    }
    // Read on each load (about 500 bytes), so a rebuilt console is served without a restart.
    const indexHtml = existsSync(indexFile) ? readFileSync(indexFile) : undefined;
    if (!indexHtml) {
      next(notBuilt());
      return;
    }
    setConsoleSecurityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(indexHtml);
  };
  router.get('/', index);

  const files = express.static(path.join(assetsDir, 'assets'), {
    index: false,
    redirect: false,
    fallthrough: false,
    immutable: true,
    maxAge: '365d',
  });
  router.get('/assets/:file', (req, res, next) => {
    const file = String(req.params.file);
    const missing = () => hubError('NOT_FOUND', `There is no console file ${file}`);
    // Only the bundle's own names (app-<hash>.js/.css): nothing with a path in it reaches the disk.
    if (!/^[A-Za-z0-9_-]+\.(js|css|map)$/.test(file)) {
      next(missing());
      return;
    }
    setConsoleSecurityHeaders(res);
    req.url = `/${file}`;
    files(req, res, (error?: unknown) => next(error === undefined ? undefined : missing()));
  });
  return router;
}
