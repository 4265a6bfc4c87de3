import { hubError, type ErrorCode } from '../../domain/errors';

/**
 * Turns PostgreSQL integrity errors into catalogued HubErrors that name the conflict in plain words.
 * Both engines (pg over a server, PGlite through its pg adapter) report the SQLSTATE in `code` and
 * the violated constraint's name in `constraint`.
 */

/** What the caller was doing: a reference violation means "unknown reference" on write, "still in use" on delete. */
export type WriteKind = 'write' | 'delete';

/** A message for one constraint; a bare string takes the code the SQLSTATE implies. */
export type ConstraintRule = string | { readonly code: ErrorCode; readonly description: string };

/** Messages keyed by constraint name (e.g. 'users_username_key'). */
export type ConstraintMessages = Readonly<Record<string, ConstraintRule>>;

interface PgErrorFields {
  readonly code: string;
  readonly constraint: string | undefined;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
/** Raised instead of 23503 by newer PostgreSQL (PGlite) for ON DELETE RESTRICT references. */
const RESTRICT_VIOLATION = '23001';
const CHECK_VIOLATION = '23514';
const NOT_NULL_VIOLATION = '23502';
const INVALID_TEXT_REPRESENTATION = '22P02';

function pgErrorFields(error: unknown): PgErrorFields | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
}

function codeFor(sqlState: string, kind: WriteKind): ErrorCode | undefined {
  switch (sqlState) {
    case UNIQUE_VIOLATION:
      return 'CONFLICT';
    case FOREIGN_KEY_VIOLATION:
    case RESTRICT_VIOLATION:
      return kind === 'delete' ? 'CONFLICT' : 'VALIDATION_FAILED';
    case CHECK_VIOLATION:
    case NOT_NULL_VIOLATION:
    case INVALID_TEXT_REPRESENTATION:
      return 'VALIDATION_FAILED';
    default:
      return undefined;
  }
}

function fallbackDescription(sqlState: string, kind: WriteKind): string {
  switch (sqlState) {
    case UNIQUE_VIOLATION:
      return 'a record with the same identity already exists';
    case FOREIGN_KEY_VIOLATION:
    case RESTRICT_VIOLATION:
      return kind === 'delete' ? 'the record is still referenced by other records' : 'the record refers to something that does not exist';
    case NOT_NULL_VIOLATION:
      return 'a required field is missing';
    case INVALID_TEXT_REPRESENTATION:
      return 'a field has a value of the wrong form';
    default:
      return 'a field has a value that is not allowed';
  }
}

/**
 * Returns the HubError for an integrity violation, or the error itself unchanged for anything else
 * (connection loss, syntax errors, …). Use as `catch (e) { throw translatePgError(e, 'write', {...}) }`.
 */
export function translatePgError(error: unknown, kind: WriteKind, messages: ConstraintMessages = {}): unknown {
  const fields = pgErrorFields(error);
  if (!fields) return error;
  const impliedCode = codeFor(fields.code, kind);
  if (!impliedCode) return error;
  const rule = fields.constraint !== undefined ? messages[fields.constraint] : undefined;
  if (rule === undefined) return hubError(impliedCode, fallbackDescription(fields.code, kind));
  if (typeof rule === 'string') return hubError(impliedCode, rule);
  return hubError(rule.code, rule.description);
}

/** Runs one write and translates its integrity violations. */
export async function withConstraintMessages<T>(kind: WriteKind, messages: ConstraintMessages, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw translatePgError(error, kind, messages);
  }
}
