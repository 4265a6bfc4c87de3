import { hubError } from '../../domain/errors';
import { ajvProblems } from '../../validation/ajv-problems';
import { compileShared } from '../../validation/shared-ajv';

export interface SignInBody {
  readonly username: string;
  readonly password: string;
}

const signInSchema = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 256 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

const isSignIn = compileShared<SignInBody>('plain', signInSchema);

/** The sign-in body, or VALIDATION_FAILED naming each problem. */
export function parseSignIn(body: unknown): SignInBody {
  if (isSignIn(body)) return body;
  const problems = body === undefined ? [{ path: '(root)', message: 'send {"username": "...", "password": "..."}' }] : ajvProblems(isSignIn.errors);
  throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
}
