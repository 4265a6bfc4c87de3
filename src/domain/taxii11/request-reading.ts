import { attributeOf, childElements, textOf, type XmlElement } from '../xml/xml-element';
import type { TaxiiVersion } from './taxii-identifiers';
import { namespaceOf } from './taxii-identifiers';
import { parseTaxiiTimestamp } from './taxii-timestamps';

/**
 * Reading a TAXII request element by element. A request that breaks a structural rule stops being
 * read with a MalformedMessage, which parseTaxiiRequest (and only it) turns into a BAD_MESSAGE
 * outcome; it never leaves this module.
 */

export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

/** The TAXII-namespace children of a message element, read in order against what the XSD allows. */
export class TaxiiElementReader {
  readonly uri: string;

  constructor(
    readonly element: XmlElement,
    readonly version: TaxiiVersion,
  ) {
    this.uri = namespaceOf(version);
  }

  /** A required attribute, non-empty after trimming. */
  requiredAttribute(local: string): string {
    const value = attributeOf(this.element, local)?.trim();
    if (value === undefined || value === '') throw new MalformedMessage(`${this.element.local} has no ${local} attribute`);
    return value;
  }

  optionalAttribute(local: string): string | undefined {
    const value = attributeOf(this.element, local)?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** An xs:boolean attribute (true/false/1/0), `fallback` when absent. */
  booleanAttribute(local: string, fallback: boolean): boolean {
    const value = attributeOf(this.element, local)?.trim();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new MalformedMessage(`${this.element.local}@${local} is '${value}', not true or false`);
  }

  /** Children in the TAXII namespace named `local`. */
  all(local: string): XmlElement[] {
    return childElements(this.element).filter((c) => c.uri === this.uri && c.local === local);
  }

  /** At most one child named `local`. */
  optional(local: string): XmlElement | undefined {
    const found = this.all(local);
    if (found.length > 1) throw new MalformedMessage(`${this.element.local} has ${found.length} ${local} elements (at most one is allowed)`);
    return found[0];
  }

  required(local: string): XmlElement {
    const found = this.optional(local);
    if (found === undefined) throw new MalformedMessage(`${this.element.local} has no ${local} element`);
    return found;
  }

  /** The trimmed text of an optional child; an empty one counts as absent. */
  optionalText(local: string): string | undefined {
    const child = this.optional(local);
    if (child === undefined) return undefined;
    const text = textOf(child).trim();
    return text === '' ? undefined : text;
  }

  requiredText(local: string): string {
    const text = this.optionalText(local);
    if (text === undefined) throw new MalformedMessage(`${this.element.local} has no ${local} (or it is empty)`);
    return text;
  }

  /** The untrimmed text of an optional child (free-text Message fields). */
  optionalFreeText(local: string): string | undefined {
    const child = this.optional(local);
    return child === undefined ? undefined : textOf(child);
  }

  optionalTimestamp(local: string): number | undefined {
    const text = this.optionalText(local);
    if (text === undefined) return undefined;
    const parsed = parseTaxiiTimestamp(text, local);
    if (!parsed.ok) throw new MalformedMessage(parsed.message);
    return parsed.micros;
  }

  /** A child reader for `child`, in the same TAXII version. */
  reader(child: XmlElement): TaxiiElementReader {
    return new TaxiiElementReader(child, this.version);
  }

  /** Refuses a child element in the TAXII namespace whose name is not in `allowed`. */
  onlyChildren(allowed: readonly string[]): void {
    for (const c of childElements(this.element)) {
      if (c.uri === this.uri && !allowed.includes(c.local)) {
        throw new MalformedMessage(`${this.element.local} may not contain ${c.local}`);
      }
    }
  }
}

/** An xs:nonNegativeInteger / positiveInteger written as digits. */
export function readInteger(text: string, what: string, minimum: number): number {
  const trimmed = text.trim();
  if (!/^\+?\d{1,15}$/.test(trimmed)) throw new MalformedMessage(`${what} '${trimmed}' is not ${minimum > 0 ? 'a positive' : 'a non-negative'} integer`);
  const value = Number(trimmed);
  if (value < minimum) throw new MalformedMessage(`${what} '${trimmed}' is not ${minimum > 0 ? 'a positive' : 'a non-negative'} integer`);
  return value;
}
