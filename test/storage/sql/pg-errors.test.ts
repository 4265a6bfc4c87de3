import { HubError } from '../../../src/domain/errors';
import { translatePgError } from '../../../src/storage/sql/pg-errors';

/** The shape both engines give a PostgreSQL error: SQLSTATE in `code`, constraint name in `constraint`. */
function pgError(code: string, constraint?: string): Error {
  return Object.assign(new Error(`server message for ${code}`), { code, constraint });
}

describe('translating PostgreSQL integrity errors', () => {
  test('a unique violation becomes a conflict with the message for its constraint', () => {
    const translated = translatePgError(pgError('23505', 'users_username_key'), 'write', { users_username_key: "username 'alice' is already taken" });
    expect(translated).toBeInstanceOf(HubError);
    expect(translated).toMatchObject({ code: 'CONFLICT', message: "username 'alice' is already taken" });
  });

  test('a reference violation is invalid input on write but a conflict on delete', () => {
    const messages = { users_organization_id_fkey: 'organization reference' };
    expect(translatePgError(pgError('23503', 'users_organization_id_fkey'), 'write', messages)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(translatePgError(pgError('23503', 'users_organization_id_fkey'), 'delete', messages)).toMatchObject({ code: 'CONFLICT' });
    expect(translatePgError(pgError('23001', 'users_organization_id_fkey'), 'delete', messages)).toMatchObject({
      code: 'CONFLICT',
      message: 'organization reference',
    });
  });

  test('check, not-null and malformed-value violations are invalid input', () => {
    for (const code of ['23514', '23502', '22P02']) {
      expect(translatePgError(pgError(code), 'write')).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  test('a constraint without a message gets a generic description that reveals no internals', () => {
    const translated = translatePgError(pgError('23505', 'some_internal_index'), 'write', {});
    expect(translated).toMatchObject({ code: 'CONFLICT', message: 'a record with the same identity already exists' });
  });

  test('a rule may choose its own error code', () => {
    const translated = translatePgError(pgError('23505', 'members_pkey'), 'write', { members_pkey: { code: 'VALIDATION_FAILED', description: 'listed twice' } });
    expect(translated).toMatchObject({ code: 'VALIDATION_FAILED', message: 'listed twice' });
  });

  test('every other error passes through unchanged', () => {
    const others = [pgError('40001'), pgError('57P01'), new Error('Connection terminated unexpectedly'), 'a string'];
    for (const error of others) expect(translatePgError(error, 'write')).toBe(error);
  });
});
