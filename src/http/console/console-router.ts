import { Router } from 'express';
import type { Authenticator } from '../../auth/authenticator';
import type { ConsoleSessionService } from '../../services/console-sessions/console-session-service';
import { consoleAssetRoutes, DEFAULT_CONSOLE_ASSETS_DIR } from './console-assets';
import { sessionRoutes } from './session-routes';

export interface ConsoleRouterDeps {
  readonly sessions: ConsoleSessionService;
  readonly authenticator: Pick<Authenticator, 'checkPassword'>;
  /** Where the built console is (dist/console by default). */
  readonly assetsDir?: string;
}

/** The web console, mounted at CONSOLE_PREFIX: its page and bundle, and its session. */
export function createConsoleRouter(deps: ConsoleRouterDeps): Router {
  const router = Router();
  router.use(sessionRoutes(deps));
  router.use(consoleAssetRoutes(deps.assetsDir ?? DEFAULT_CONSOLE_ASSETS_DIR));
  return router;
}
