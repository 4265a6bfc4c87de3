/**
 * The file name in a logged Content-Disposition or Content-Type header value: `filename="x.exe"`,
 * `name=x.exe`, or the RFC 2231 form `filename*=UTF-8''x%20y.exe`. Read only on the rare lines
 * that log such a header, so plain string functions do.
 */

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parameterValue(value: string, start: number): string {
  if (value[start] === '"') {
    let out = '';
    for (let i = start + 1; i < value.length; i += 1) {
      const char = value[i];
      if (char === '\\' && i + 1 < value.length) {
        i += 1;
        out += value[i];
      } else if (char === '"') return out;
      else out += char;
    }
    return out;
  }
  const end = value.indexOf(';', start);
  return value.substring(start, end < 0 ? value.length : end).trim();
}

/** Finds `name=` as a parameter (after `;` or a space), case-insensitively; the index after `=`. */
function parameterStart(lower: string, name: string): number {
  let at = lower.indexOf(name);
  while (at >= 0) {
    const before = at === 0 ? ';' : lower[at - 1];
    if (before === ';' || before === ' ' || before === '\t') return at + name.length;
    at = lower.indexOf(name, at + 1);
  }
  return -1;
}

export function attachmentName(headerValue: string): string | undefined {
  const lower = headerValue.toLowerCase();
  const extended = parameterStart(lower, 'filename*=');
  if (extended >= 0) {
    const encoded = parameterValue(headerValue, extended);
    const quote = encoded.indexOf("''");
    const name = percentDecoded(quote >= 0 ? encoded.substring(quote + 2) : encoded);
    if (name !== '') return name;
  }
  for (const parameter of ['filename=', 'name=']) {
    const start = parameterStart(lower, parameter);
    if (start >= 0) {
      const name = parameterValue(headerValue, start);
      if (name !== '') return name;
    }
  }
  return undefined;
}
