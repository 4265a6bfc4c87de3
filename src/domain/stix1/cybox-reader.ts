import { attributeOf, childElements, childrenNamed, textOf, xsiTypeOf, type XmlElement } from '../xml/xml-element';
import { CYBOX_LIST_DELIMITER, type CyboxObject, type CyboxObservable, type EmailFieldValues, type Mapping } from './cybox-objects';
import { NS } from './stix1-namespaces';
import { algorithmOfHashLength, algorithmOfHashName } from './stix1-vocabularies';

/**
 * Reads a CybOX 2.1 Observable (STIX 1.x `indicator:Observable`, or one the package lists under
 * `stix:Observables`) as objects of the hub's eight kinds. Only equality is read (a missing
 * `condition` means Equals); a `##comma##` list with apply_condition ANY is a list of alternatives;
 * an Observable_Composition with operator OR is a list of alternative objects. Anything else is
 * refused with a reason naming it.
 */

/** Elements of the package by their `id`, for resolving `idref` and `object_reference`. */
export type ElementIndex = ReadonlyMap<string, XmlElement>;

const MAX_REFERENCE_DEPTH = 16;

function refuse<T>(reason: string): Mapping<T> {
  return { ok: false, reason };
}

function ok<T>(value: T): Mapping<T> {
  return { ok: true, value };
}

function named(element: XmlElement): string {
  return element.name;
}

/** Refuses the first child not in `allowed` (namespace `uri`). */
function unexpectedChild(element: XmlElement, uri: string, allowed: readonly string[], what: string): string | undefined {
  const other = childElements(element).find((c) => c.uri !== uri || !allowed.includes(c.local));
  return other === undefined ? undefined : `${what} has ${named(other)}, which the hub does not map`;
}

/** The values of one CybOX property: Equals only, a list only with apply_condition ANY. */
function valuesOf(element: XmlElement, what: string): Mapping<string[]> {
  const condition = attributeOf(element, 'condition');
  if (condition !== undefined && condition !== 'Equals') {
    return refuse(`${what} has condition="${condition}": only Equals maps to a STIX 2.1 pattern the hub writes`);
  }
  const delimiter = attributeOf(element, 'delimiter') ?? CYBOX_LIST_DELIMITER;
  const text = textOf(element);
  const values = delimiter === '' ? [text] : text.split(delimiter);
  const applies = attributeOf(element, 'apply_condition') ?? 'ANY';
  if (values.length > 1 && applies !== 'ANY') return refuse(`${what} is a list with apply_condition="${applies}": only ANY maps`);
  if (values.some((v) => v.trim() === '')) return refuse(`${what} is empty`);
  return ok(values);
}

function onlyChild(element: XmlElement, uri: string, local: string, what: string): Mapping<XmlElement> {
  const problem = unexpectedChild(element, uri, [local], what);
  if (problem !== undefined) return refuse(problem);
  const [child, second] = childrenNamed(element, uri, local);
  if (child === undefined) return refuse(`${what} has no ${local}`);
  return second === undefined ? ok(child) : refuse(`${what} has ${local} twice`);
}

const IP_CATEGORIES = ['ipv4-addr', 'ipv6-addr', 'ipv4-net', 'ipv6-net'];

function addressValues(element: XmlElement, what: string): Mapping<string[]> {
  const category = attributeOf(element, 'category');
  if (category === 'e-mail' && what === 'AddressObj') {
    return refuse("an AddressObj of category e-mail on its own is not one of the hub's kinds (a From address is EmailMessageObj Header/From)");
  }
  if (category !== undefined && !IP_CATEGORIES.includes(category) && !(category === 'e-mail' && what.endsWith('From'))) {
    return refuse(`${what} has category="${category}", which the hub does not map (it maps ipv4-addr and ipv6-addr)`);
  }
  const value = onlyChild(element, NS.AddressObj, 'Address_Value', what);
  return value.ok ? valuesOf(value.value, `${what}/Address_Value`) : value;
}

function simpleObject(properties: XmlElement, uri: string, local: string, what: string): Mapping<string[]> {
  const value = onlyChild(properties, uri, local, what);
  return value.ok ? valuesOf(value.value, `${what}/${local}`) : value;
}

function fileHashes(properties: XmlElement): Mapping<CyboxObject[]> {
  const problem = unexpectedChild(properties, NS.FileObj, ['Hashes'], 'FileObj');
  if (problem !== undefined) return refuse(`${problem} (only a file's hashes are an indicator kind)`);
  const hashes = childrenNamed(properties, NS.FileObj, 'Hashes').flatMap((h) => childElements(h));
  if (hashes.length === 0) return refuse('FileObj has no hash');
  const objects: CyboxObject[] = [];
  for (const hash of hashes) {
    if (hash.uri !== NS.cyboxCommon || hash.local !== 'Hash') return refuse(`FileObj Hashes has ${named(hash)}, which the hub does not map`);
    const extra = unexpectedChild(hash, NS.cyboxCommon, ['Type', 'Simple_Hash_Value'], 'Hash');
    if (extra !== undefined) return refuse(extra);
    const [valueElement] = childrenNamed(hash, NS.cyboxCommon, 'Simple_Hash_Value');
    if (valueElement === undefined) return refuse('Hash has no Simple_Hash_Value');
    const values = valuesOf(valueElement, 'Hash/Simple_Hash_Value');
    if (!values.ok) return values;
    const [typeElement] = childrenNamed(hash, NS.cyboxCommon, 'Type');
    const typeName = typeElement === undefined ? undefined : textOf(typeElement).trim();
    const lengths = new Set(values.value.map((v) => algorithmOfHashLength(v)));
    const byLength = lengths.size === 1 ? [...lengths][0] : undefined;
    const algorithm = typeName === undefined ? byLength : algorithmOfHashName(typeName);
    if (algorithm === undefined) {
      return refuse(
        typeName === undefined
          ? 'Hash has no Type and its length is not that of an MD5, SHA-1, SHA-256 or SHA-512 digest'
          : `Hash Type ${JSON.stringify(typeName)} is not one the hub maps (MD5, SHA1, SHA256, SHA512, SHA3-256, SHA3-512)`,
      );
    }
    objects.push({ type: 'file-hash', algorithm, values: values.value });
  }
  return ok(objects);
}

function emailHeader(header: XmlElement): Mapping<EmailFieldValues[]> {
  const problem = unexpectedChild(header, NS.EmailMessageObj, ['From', 'Subject', 'X_Originating_IP'], 'EmailMessageObj Header');
  if (problem !== undefined) return refuse(problem);
  const fields: EmailFieldValues[] = [];
  for (const child of childElements(header)) {
    const values =
      child.local === 'Subject' ? valuesOf(child, 'EmailMessageObj Header/Subject') : addressValues(child, `EmailMessageObj Header/${child.local}`);
    if (!values.ok) return values;
    const field = child.local === 'From' ? 'from' : child.local === 'Subject' ? 'subject' : 'sender-ip';
    if (fields.some((f) => f.field === field)) return refuse(`EmailMessageObj Header has ${child.local} twice`);
    fields.push({ field, values: values.value });
  }
  return ok(fields);
}

function attachmentName(object: XmlElement, index: ElementIndex): Mapping<{ readonly values: string[]; readonly relatedId: string }> {
  const attachments = childElements(object).find((c) => c.uri === NS.cybox && c.local === 'Properties');
  const files = attachments === undefined ? [] : childrenNamed(attachments, NS.EmailMessageObj, 'Attachments').flatMap(childElements);
  const [file, second] = files;
  if (file === undefined) return refuse('EmailMessageObj Attachments lists no file');
  if (second !== undefined) return refuse('EmailMessageObj Attachments lists several files (each would have to be present), which the hub does not map');
  const reference = attributeOf(file, 'object_reference');
  if (reference === undefined) return refuse('EmailMessageObj Attachments/File has no object_reference');
  const related = index.get(reference);
  if (related === undefined) return refuse(`the attachment object_reference "${reference}" names no object in the package`);
  const properties = childElements(related).find((c) => c.uri === NS.cybox && c.local === 'Properties');
  const type = properties === undefined ? undefined : xsiTypeOf(properties);
  if (properties === undefined || type?.uri !== NS.FileObj || type.local !== 'FileObjectType') return refuse(`the attachment "${reference}" is not a FileObj`);
  const values = simpleObject(properties, NS.FileObj, 'File_Name', 'the attachment FileObj');
  return values.ok ? ok({ values: values.value, relatedId: reference }) : values;
}

function emailMessage(object: XmlElement, properties: XmlElement, index: ElementIndex): Mapping<CyboxObject[]> {
  const problem = unexpectedChild(properties, NS.EmailMessageObj, ['Header', 'Attachments'], 'EmailMessageObj');
  if (problem !== undefined) return refuse(problem);
  const fields: EmailFieldValues[] = [];
  for (const header of childrenNamed(properties, NS.EmailMessageObj, 'Header')) {
    const read = emailHeader(header);
    if (!read.ok) return read;
    fields.push(...read.value);
  }
  let consumed: string | undefined;
  if (childrenNamed(properties, NS.EmailMessageObj, 'Attachments').length > 0) {
    const attachment = attachmentName(object, index);
    if (!attachment.ok) return attachment;
    fields.push({ field: 'attachment-name', values: attachment.value.values });
    consumed = attachment.value.relatedId;
  }
  const related = childrenNamed(object, NS.cybox, 'Related_Objects').flatMap(childElements);
  const unrelated = related.find((r) => attributeOf(r, 'id') !== consumed);
  if (unrelated !== undefined) return refuse(`EmailMessageObj has a related object ${attributeOf(unrelated, 'id') ?? ''} that is not its attachment, which the hub does not map`);
  if (fields.length === 0) return refuse('EmailMessageObj has none of From, Subject, X_Originating_IP or an attachment name');
  return ok([{ type: 'email-message', fields }]);
}

function objectProperties(object: XmlElement, index: ElementIndex): Mapping<CyboxObject[]> {
  const properties = childElements(object).find((c) => c.uri === NS.cybox && c.local === 'Properties');
  if (properties === undefined) return refuse('a cybox:Object has no Properties');
  const type = xsiTypeOf(properties);
  if (type === undefined) return refuse('a cybox:Object Properties has no xsi:type the hub can resolve');
  const isEmail = type.uri === NS.EmailMessageObj && type.local === 'EmailMessageObjectType';
  if (!isEmail && childrenNamed(object, NS.cybox, 'Related_Objects').length > 0) return refuse(`a ${type.local} with related objects is not mapped`);
  const single = (read: Mapping<string[]>, make: (values: string[]) => CyboxObject): Mapping<CyboxObject[]> => (read.ok ? ok([make(read.value)]) : read);
  switch (`${type.uri} ${type.local}`) {
    case `${NS.AddressObj} AddressObjectType`:
      return single(addressValues(properties, 'AddressObj'), (values) => ({ type: 'address', values }));
    case `${NS.DomainNameObj} DomainNameObjectType`: {
      const kind = attributeOf(properties, 'type');
      if (kind !== undefined && kind !== 'FQDN') return refuse(`DomainNameObj of type="${kind}" is not mapped (only FQDN)`);
      return single(simpleObject(properties, NS.DomainNameObj, 'Value', 'DomainNameObj'), (values) => ({ type: 'domain-name', values }));
    }
    case `${NS.HostnameObj} HostnameObjectType`:
      return single(simpleObject(properties, NS.HostnameObj, 'Hostname_Value', 'HostnameObj'), (values) => ({ type: 'domain-name', values }));
    case `${NS.URIObj} URIObjectType`: {
      const kind = attributeOf(properties, 'type');
      if (kind !== undefined && kind !== 'URL') return refuse(`URIObj of type="${kind}" is not mapped (only URL)`);
      return single(simpleObject(properties, NS.URIObj, 'Value', 'URIObj'), (values) => ({ type: 'url', values }));
    }
    case `${NS.FileObj} FileObjectType`:
      return fileHashes(properties);
    case `${NS.EmailMessageObj} EmailMessageObjectType`:
      return emailMessage(object, properties, index);
    default:
      return refuse(`the CybOX object type ${attributeOf(properties, 'type', NS.xsi) ?? type.local} is not one of the hub's eight indicator kinds`);
  }
}

function resolved(element: XmlElement, index: ElementIndex, what: string): Mapping<XmlElement> {
  const idref = attributeOf(element, 'idref');
  if (idref === undefined) return ok(element);
  const target = index.get(idref);
  return target === undefined ? refuse(`the ${what} idref "${idref}" names no ${what} in the package`) : ok(target);
}

/** The objects an Observable stands for, any of which may match. */
export function readObservable(given: XmlElement, index: ElementIndex, depth = 0): Mapping<CyboxObservable> {
  if (depth > MAX_REFERENCE_DEPTH) return refuse('observables nest or refer to each other too deeply');
  const found = resolved(given, index, 'observable');
  if (!found.ok) return found;
  const observable = found.value;
  if (observable !== given && attributeOf(observable, 'idref') !== undefined) return readObservable(observable, index, depth + 1);
  if (attributeOf(observable, 'negate') === 'true' || attributeOf(observable, 'negate') === '1') return refuse('a negated observable is not mapped');
  const object = childrenNamed(observable, NS.cybox, 'Object')[0];
  const composition = childrenNamed(observable, NS.cybox, 'Observable_Composition')[0];
  if (object !== undefined) {
    const target = resolved(object, index, 'object');
    return target.ok ? objectProperties(target.value, index) : target;
  }
  if (composition !== undefined) {
    const operator = attributeOf(composition, 'operator');
    if (operator !== 'OR') return refuse(`an Observable_Composition with operator="${operator ?? ''}" is not mapped (only OR; AND of separate observables is ambiguous)`);
    const objects: CyboxObject[] = [];
    for (const member of childrenNamed(composition, NS.cybox, 'Observable')) {
      const read = readObservable(member, index, depth + 1);
      if (!read.ok) return read;
      objects.push(...read.value);
    }
    return objects.length === 0 ? refuse('an Observable_Composition has no observable') : ok(objects);
  }
  if (childrenNamed(observable, NS.cybox, 'Event').length > 0) return refuse('an observable Event is not mapped');
  return refuse('an observable has no Object');
}
