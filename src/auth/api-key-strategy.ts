import passport from 'passport';
import type { Request } from 'express';
import type { Principal } from '../domain/principal';

/**
 * A passport strategy for API keys presented as `Authorization: Bearer <token>` or
 * `Authorization: Token <token>` (the form taxii2-client's TokenAuth sends).
 */
const TOKEN_HEADER = /^(?:Bearer|Token)[ \t]+(\S+)[ \t]*$/i;

export function apiKeyTokenOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : TOKEN_HEADER.exec(authorization)?.[1];
}

export type ApiKeyVerifyDone = (error: unknown, principal?: Principal | false) => void;
export type ApiKeyVerify = (req: Request, token: string, done: ApiKeyVerifyDone) => void;

export class ApiKeyStrategy extends passport.Strategy {
  override name = 'api-key';

  constructor(private readonly verify: ApiKeyVerify) {
    super();
  }

  override authenticate(req: Request): void {
    const token = apiKeyTokenOf(req.headers.authorization);
    if (token === undefined) {
      this.fail(401);
      return;
    }
    this.verify(req, token, (error, principal) => {
      if (error) this.error(error);
      else if (principal) this.success(principal);
      else this.fail(401);
    });
  }
}
