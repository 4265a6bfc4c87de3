import 'passport';
import type { Request } from 'express';
import type { Principal } from '../domain/principal';
import { hubError } from '../domain/errors';

declare global {
  // passport stores the authenticated user on req.user; ours is always a Principal.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
  }
}

/** The authenticated principal of a request that passed the authenticator. */
export function requirePrincipal(req: Request): Principal {
  if (!req.user) throw hubError('AUTHENTICATION_REQUIRED');
  return req.user;
}
