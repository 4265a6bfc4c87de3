import { elementText } from '../xml/xml-writer';
import { CYBOX_LIST_DELIMITER, EMAIL_FIELD_ORDER, type CyboxObject, type CyboxObservable, type EmailFieldValues } from './cybox-objects';
import { HASH_NAME_OF_ALGORITHM } from './stix1-vocabularies';
import { xmlText } from './xml-text';

/**
 * Writes CybOX 2.1 objects as the `indicator:Observable` of a STIX 1.2 indicator, with the prefixes of
 * stix1-namespaces.ts (declared on the package root). Several values of one field are a `##comma##`
 * list with `apply_condition="ANY"`; several objects are an Observable_Composition with operator OR.
 */

/** Makes the ids of one indicator's observables and objects: `<prefix>:<Kind>-<uuid>-<n>`. */
export class CyboxIds {
  private next = 1;
  constructor(
    private readonly prefix: string,
    private readonly uuid: string,
  ) {}

  id(kind: string): string {
    return `${this.prefix}:${kind}-${this.uuid}-${this.next++}`;
  }
}

function valueElement(name: string, values: readonly string[], attributes: Readonly<Record<string, string>> = {}): string {
  const list = values.length > 1 ? { apply_condition: 'ANY' } : {};
  return elementText(name, { ...attributes, condition: 'Equals', ...list }, xmlText(values.join(CYBOX_LIST_DELIMITER)));
}

/** ipv4-addr or ipv6-addr when every value is of that version; undefined when they are mixed. */
function addressCategory(values: readonly string[]): string | undefined {
  if (values.every((v) => !v.includes(':'))) return 'ipv4-addr';
  if (values.every((v) => v.includes(':'))) return 'ipv6-addr';
  return undefined;
}

function properties(type: string, attributes: Readonly<Record<string, string | undefined>>, content: string): string {
  return elementText('cybox:Properties', { 'xsi:type': type, ...attributes }, content);
}

function emailHeaderField(field: EmailFieldValues): string {
  switch (field.field) {
    case 'from':
      return elementText('EmailMessageObj:From', { category: 'e-mail' }, valueElement('AddressObj:Address_Value', field.values));
    case 'subject':
      return valueElement('EmailMessageObj:Subject', field.values);
    case 'sender-ip':
      return elementText('EmailMessageObj:X_Originating_IP', { category: addressCategory(field.values) }, valueElement('AddressObj:Address_Value', field.values));
    case 'attachment-name':
      return '';
  }
}

function emailObject(fields: readonly EmailFieldValues[], ids: CyboxIds): string {
  const objectId = ids.id('EmailMessage');
  const ordered = [...fields].sort((a, b) => EMAIL_FIELD_ORDER.indexOf(a.field) - EMAIL_FIELD_ORDER.indexOf(b.field));
  const header = ordered.map(emailHeaderField).join('');
  const attachment = ordered.find((f) => f.field === 'attachment-name');
  let content = header === '' ? '' : elementText('EmailMessageObj:Header', {}, header);
  let related = '';
  if (attachment !== undefined) {
    const fileId = ids.id('File');
    content += elementText('EmailMessageObj:Attachments', {}, elementText('EmailMessageObj:File', { object_reference: fileId }));
    const file = properties('FileObj:FileObjectType', {}, valueElement('FileObj:File_Name', attachment.values));
    const relationship = elementText('cybox:Relationship', { 'xsi:type': 'cyboxVocabs:ObjectRelationshipVocab-1.1' }, 'Contains');
    related = elementText('cybox:Related_Objects', {}, elementText('cybox:Related_Object', { id: fileId }, file + relationship));
  }
  return elementText('cybox:Object', { id: objectId }, properties('EmailMessageObj:EmailMessageObjectType', {}, content) + related);
}

function hashType(algorithm: keyof typeof HASH_NAME_OF_ALGORITHM): string {
  const { name, inVocabulary } = HASH_NAME_OF_ALGORITHM[algorithm];
  return elementText('cyboxCommon:Type', inVocabulary ? { 'xsi:type': 'cyboxVocabs:HashNameVocab-1.0' } : {}, xmlText(name));
}

function objectXml(object: CyboxObject, ids: CyboxIds): string {
  switch (object.type) {
    case 'address':
      return elementText(
        'cybox:Object',
        { id: ids.id('Address') },
        properties('AddressObj:AddressObjectType', { category: addressCategory(object.values) }, valueElement('AddressObj:Address_Value', object.values)),
      );
    case 'domain-name':
      return elementText(
        'cybox:Object',
        { id: ids.id('DomainName') },
        properties('DomainNameObj:DomainNameObjectType', { type: 'FQDN' }, valueElement('DomainNameObj:Value', object.values)),
      );
    case 'url':
      return elementText('cybox:Object', { id: ids.id('URI') }, properties('URIObj:URIObjectType', { type: 'URL' }, valueElement('URIObj:Value', object.values)));
    case 'file-hash': {
      const hash = elementText('cyboxCommon:Hash', {}, hashType(object.algorithm) + valueElement('cyboxCommon:Simple_Hash_Value', object.values));
      return elementText('cybox:Object', { id: ids.id('File') }, properties('FileObj:FileObjectType', {}, elementText('FileObj:Hashes', {}, hash)));
    }
    case 'email-message':
      return emailObject(object.fields, ids);
  }
}

/** The `indicator:Observable` element for the objects (an OR composition when there are several). */
export function observableXml(observable: CyboxObservable, ids: CyboxIds): string {
  const id = ids.id('Observable');
  const [only, ...more] = observable;
  if (only !== undefined && more.length === 0) return elementText('indicator:Observable', { id }, objectXml(only, ids));
  const members = observable.map((object) => elementText('cybox:Observable', { id: ids.id('Observable') }, objectXml(object, ids))).join('');
  return elementText('indicator:Observable', { id }, elementText('cybox:Observable_Composition', { operator: 'OR' }, members));
}
