import { CYBOX_LIST_DELIMITER, EMAIL_FIELD_ORDER, type CyboxObject, type CyboxObservable, type EmailFieldValues } from './cybox-objects';
import { HASH_NAME_OF_ALGORITHM } from './stix1-vocabularies';
import { attributeText, tag, xmlText } from './xml-text';

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

/** Attributes as text (` name="value"`, escaped), an undefined value left out. */
function attributes(list: Readonly<Record<string, string | undefined>>): string {
  let text = '';
  for (const name in list) {
    const value = list[name];
    if (value !== undefined) text += ` ${name}="${attributeText(value)}"`;
  }
  return text;
}

function valueElement(name: string, values: readonly string[]): string {
  const condition = values.length > 1 ? ' condition="Equals" apply_condition="ANY"' : ' condition="Equals"';
  return tag(name, condition, xmlText(values.length === 1 ? (values[0] as string) : values.join(CYBOX_LIST_DELIMITER)));
}

/** An element without attributes. */
function plain(name: string, content: string): string {
  return tag(name, '', content);
}

/** `cybox:Object` with its id. */
function cyboxObject(id: string, content: string): string {
  return tag('cybox:Object', attributes({ id }), content);
}

/** ipv4-addr or ipv6-addr when every value is of that version; undefined when they are mixed. */
function addressCategory(values: readonly string[]): string | undefined {
  if (values.every((v) => !v.includes(':'))) return 'ipv4-addr';
  if (values.every((v) => v.includes(':'))) return 'ipv6-addr';
  return undefined;
}

function properties(type: string, extra: Readonly<Record<string, string | undefined>>, content: string): string {
  return tag('cybox:Properties', attributes({ 'xsi:type': type, ...extra }), content);
}

function emailHeaderField(field: EmailFieldValues): string {
  switch (field.field) {
    case 'from':
      return tag('EmailMessageObj:From', ' category="e-mail"', valueElement('AddressObj:Address_Value', field.values));
    case 'subject':
      return valueElement('EmailMessageObj:Subject', field.values);
    case 'sender-ip':
      return tag('EmailMessageObj:X_Originating_IP', attributes({ category: addressCategory(field.values) }), valueElement('AddressObj:Address_Value', field.values));
    case 'attachment-name':
      return '';
  }
}

function emailObject(fields: readonly EmailFieldValues[], ids: CyboxIds): string {
  const objectId = ids.id('EmailMessage');
  const ordered = [...fields].sort((a, b) => EMAIL_FIELD_ORDER.indexOf(a.field) - EMAIL_FIELD_ORDER.indexOf(b.field));
  const header = ordered.map(emailHeaderField).join('');
  const attachment = ordered.find((f) => f.field === 'attachment-name');
  let content = header === '' ? '' : plain('EmailMessageObj:Header', header);
  let related = '';
  if (attachment !== undefined) {
    const fileId = ids.id('File');
    content += plain('EmailMessageObj:Attachments', tag('EmailMessageObj:File', attributes({ object_reference: fileId }), ''));
    const file = properties('FileObj:FileObjectType', {}, valueElement('FileObj:File_Name', attachment.values));
    const relationship = tag('cybox:Relationship', ' xsi:type="cyboxVocabs:ObjectRelationshipVocab-1.1"', 'Contains');
    related = plain('cybox:Related_Objects', tag('cybox:Related_Object', attributes({ id: fileId }), file + relationship));
  }
  return cyboxObject(objectId, properties('EmailMessageObj:EmailMessageObjectType', {}, content) + related);
}

function hashType(algorithm: keyof typeof HASH_NAME_OF_ALGORITHM): string {
  const { name, inVocabulary } = HASH_NAME_OF_ALGORITHM[algorithm];
  return tag('cyboxCommon:Type', inVocabulary ? ' xsi:type="cyboxVocabs:HashNameVocab-1.0"' : '', xmlText(name));
}

function objectXml(object: CyboxObject, ids: CyboxIds): string {
  switch (object.type) {
    case 'address':
      return cyboxObject(
        ids.id('Address'),
        properties('AddressObj:AddressObjectType', { category: addressCategory(object.values) }, valueElement('AddressObj:Address_Value', object.values)),
      );
    case 'domain-name':
      return cyboxObject(ids.id('DomainName'), properties('DomainNameObj:DomainNameObjectType', { type: 'FQDN' }, valueElement('DomainNameObj:Value', object.values)));
    case 'url':
      return cyboxObject(ids.id('URI'), properties('URIObj:URIObjectType', { type: 'URL' }, valueElement('URIObj:Value', object.values)));
    case 'file-hash': {
      const hash = plain('cyboxCommon:Hash', hashType(object.algorithm) + valueElement('cyboxCommon:Simple_Hash_Value', object.values));
      return cyboxObject(ids.id('File'), properties('FileObj:FileObjectType', {}, plain('FileObj:Hashes', hash)));
    }
    case 'email-message':
      return emailObject(object.fields, ids);
  }
}

/** The `indicator:Observable` element for the objects (an OR composition when there are several). */
export function observableXml(observable: CyboxObservable, ids: CyboxIds): string {
  const id = ids.id('Observable');
  const [only, ...more] = observable;
  if (only !== undefined && more.length === 0) return tag('indicator:Observable', attributes({ id }), objectXml(only, ids));
  const members = observable.map((object) => tag('cybox:Observable', attributes({ id: ids.id('Observable') }), objectXml(object, ids))).join('');
  return tag('indicator:Observable', attributes({ id }), tag('cybox:Observable_Composition', ' operator="OR"', members));
}
