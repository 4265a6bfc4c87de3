import type { HashAlgorithm, IndicatorKind } from '../indicators';

/**
 * What the bridge carries between a STIX 2.1 pattern and a STIX 1.x Observable: CybOX objects of the
 * hub's eight indicator kinds, each with the values it matches. The values of one field are
 * alternatives (a CybOX `##comma##` list, a pattern's `IN` or `OR`); the fields of one e-mail message
 * must all match (a pattern's `AND`); the objects of one observable are alternatives (an
 * Observable_Composition with operator OR, a pattern's `OR` of observations).
 */

export type EmailField = 'sender-ip' | 'from' | 'subject' | 'attachment-name';

export type CyboxObject =
  | { readonly type: 'address'; readonly values: readonly string[] }
  | { readonly type: 'domain-name'; readonly values: readonly string[] }
  | { readonly type: 'url'; readonly values: readonly string[] }
  | { readonly type: 'file-hash'; readonly algorithm: HashAlgorithm; readonly values: readonly string[] }
  | { readonly type: 'email-message'; readonly fields: readonly EmailFieldValues[] };

export interface EmailFieldValues {
  readonly field: EmailField;
  readonly values: readonly string[];
}

/** An Observable: one object, or several of which any may match. */
export type CyboxObservable = readonly CyboxObject[];

/** Fields in the order EmailHeaderType has them (From, Subject, X_Originating_IP), then the attachments. */
export const EMAIL_FIELD_ORDER: readonly EmailField[] = ['from', 'subject', 'sender-ip', 'attachment-name'];

export const KIND_OF_EMAIL_FIELD: Readonly<Record<EmailField, IndicatorKind>> = Object.freeze({
  'sender-ip': 'email-sender-ip',
  from: 'email-from',
  subject: 'email-subject',
  'attachment-name': 'email-attachment-name',
});

/** The hub kinds an object stands for (an e-mail message with several fields stands for several). */
export function kindsOf(object: CyboxObject): IndicatorKind[] {
  switch (object.type) {
    case 'address':
      return ['c2-ip'];
    case 'domain-name':
      return ['c2-hostname'];
    case 'url':
      return ['url'];
    case 'file-hash':
      return ['file-hash'];
    case 'email-message':
      return object.fields.map((f) => KIND_OF_EMAIL_FIELD[f.field]);
  }
}

/** The separator CybOX puts between the values of a list (its default `delimiter`). */
export const CYBOX_LIST_DELIMITER = '##comma##';

export type Mapping<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
