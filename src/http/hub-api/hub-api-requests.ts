import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';

/** Request bodies of the hub API's lifecycle routes, as schemas/hub-api.schema.json defines them. */
export interface RevokeBody { reason?: string }
export interface ReasonBody { reason: string }

const parser = definitionParsers(readSchema('hub-api.schema.json'));

export const parseHubBody = {
  revoke: parser<RevokeBody>('revoke'),
  benign: parser<ReasonBody>('benign'),
  purge: parser<ReasonBody>('purge'),
};
