import { attributesText, escapeXmlText } from '../xml/xml-writer';
import type { TaxiiVersion } from './taxii-identifiers';
import { namespaceOf } from './taxii-identifiers';

/**
 * Writing TAXII messages as text: one prefix per version (`taxii_11:` as libtaxii writes 1.1,
 * `taxii:` for 1.0), the XML declaration, and the root declaring the namespace. Plain string
 * concatenation: a Poll_Response of a thousand blocks must render in milliseconds.
 */

type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function prefixOf(version: TaxiiVersion): string {
  return version === '1.1' ? 'taxii_11' : 'taxii';
}

/** Writes elements of one TAXII version; children are XML text already escaped. */
export class TaxiiXmlWriter {
  readonly prefix: string;

  constructor(readonly version: TaxiiVersion) {
    this.prefix = prefixOf(version);
  }

  /** `<p:local attrs>children</p:local>`, or self-closed without children. */
  element(local: string, attributes: Attributes = {}, children = ''): string {
    const name = `${this.prefix}:${local}`;
    const attrs = attributesText(attributes);
    return children === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
  }

  /** An element holding escaped text (written even when the text is empty). */
  textElement(local: string, text: string, attributes: Attributes = {}): string {
    const name = `${this.prefix}:${local}`;
    return `<${name}${attributesText(attributes)}>${escapeXmlText(text)}</${name}>`;
  }

  /** A text element, or nothing when `text` is undefined. */
  optionalTextElement(local: string, text: string | undefined): string {
    return text === undefined ? '' : this.textElement(local, text);
  }

  /** The whole document: declaration, then the root with the TAXII namespace declared on it. */
  document(local: string, attributes: Attributes, children: string): string {
    const withNamespace = { [`xmlns:${this.prefix}`]: namespaceOf(this.version), ...attributes };
    return XML_DECLARATION + this.element(local, withNamespace, children);
  }
}
