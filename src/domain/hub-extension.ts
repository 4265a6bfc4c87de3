/**
 * The hub's STIX 2.1 property extension. A provider names the organizations that may read a
 * TLP:RED object in it (TLP 2.0: RED is for named recipients only):
 *
 *   "extensions": {
 *     "extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70": {
 *       "extension_type": "property-extension",
 *       "red_recipients": ["acme-west"]
 *     }
 *   }
 *
 * Recipients are hub organization ids. The object is stored as posted, extension included.
 */

export const HUB_EXTENSION_ID = 'extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70';

/** The property of the extension that lists the RED recipients. */
export const RED_RECIPIENTS_PROPERTY = 'red_recipients';

/** Where a reason points the provider to. */
export const RED_RECIPIENTS_PATH = `extensions["${HUB_EXTENSION_ID}"].${RED_RECIPIENTS_PROPERTY}`;

export type RedRecipientsReading =
  /** Sorted, without repeats; empty when the object names none (no extension, or no property). */
  | { readonly ok: true; readonly recipients: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The RED recipients an object names in the hub extension. A malformed extension is an error
 * whatever the object's marking, so a provider learns of its mistake before it matters.
 */
export function redRecipientsOf(object: Readonly<Record<string, unknown>>): RedRecipientsReading {
  const extensions = object.extensions;
  if (extensions === undefined) return { ok: true, recipients: [] };
  if (!isRecord(extensions)) return { ok: false, reason: 'extensions must be a dictionary' };
  const extension = extensions[HUB_EXTENSION_ID];
  if (extension === undefined) return { ok: true, recipients: [] };
  if (!isRecord(extension)) return { ok: false, reason: `extensions["${HUB_EXTENSION_ID}"] must be a dictionary` };
  if (extension.extension_type !== 'property-extension') {
    return { ok: false, reason: `extensions["${HUB_EXTENSION_ID}"].extension_type must be "property-extension"` };
  }
  const listed = extension[RED_RECIPIENTS_PROPERTY];
  if (listed === undefined) return { ok: true, recipients: [] };
  if (!Array.isArray(listed) || listed.length === 0 || !listed.every((r): r is string => typeof r === 'string' && r.length > 0)) {
    return { ok: false, reason: `${RED_RECIPIENTS_PATH} must be a non-empty list of organization ids` };
  }
  return { ok: true, recipients: [...new Set(listed)].sort() };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
