import { isIP } from 'node:net';

/**
 * A checker for the Suricata rule grammar the feed relies on (Suricata is not packaged in Debian 12):
 * `action protocol source port direction destination port (options)`, options `name;` or
 * `name:value;` ending at the first `;` not escaped by `\`, quoted values (`msg`, `content`) whose
 * `"` `;` `\` must be escaped, content bytes in text or |hex| runs, modifiers after a content,
 * sticky buffers followed by a content, and `msg`, `sid`, `rev` on every rule, sids unique.
 * Throws an Error naming the line and what is wrong; returns the rules as read.
 */

export interface RuleOption {
  readonly name: string;
  readonly value?: string;
}

export interface ParsedRule {
  readonly action: string;
  readonly protocol: string;
  readonly source: string;
  readonly sourcePort: string;
  readonly direction: string;
  readonly destination: string;
  readonly destinationPort: string;
  readonly options: readonly RuleOption[];
  readonly msg: string;
  readonly sid: number;
  readonly rev: number;
  /** Each content as the bytes it matches, with the sticky buffer it inspects and its modifiers. */
  readonly contents: readonly { readonly buffer: string | undefined; readonly bytes: Buffer; readonly modifiers: readonly string[] }[];
  readonly metadata: ReadonlyMap<string, string>;
}

const ACTIONS = new Set(['alert', 'pass', 'drop', 'reject', 'rejectsrc', 'rejectdst', 'rejectboth']);
const PROTOCOLS = new Set(['ip', 'tcp', 'udp', 'icmp', 'http', 'http2', 'dns', 'tls', 'smtp', 'ftp', 'smb', 'ssh']);
const STICKY_BUFFERS = new Set(['dns.query', 'tls.sni', 'http.host', 'http.uri', 'http.uri.raw']);
const CONTENT_MODIFIERS = new Set(['nocase', 'startswith', 'endswith']);
const FILE_LISTS = new Set(['filemd5', 'filesha1', 'filesha256']);
const OTHER = new Set(['msg', 'sid', 'rev', 'metadata', 'content']);

function fail(line: number, message: string): never {
  throw new Error(`rule line ${line}: ${message}`);
}

function checkAddress(line: number, text: string): void {
  if (text === 'any' || /^\$[A-Z_]+$/.test(text)) return;
  const [address = '', prefix, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) fail(line, `${JSON.stringify(text)} is not an address`);
  if (prefix !== undefined && (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > (version === 4 ? 32 : 128))) fail(line, `${JSON.stringify(text)} has a bad prefix`);
}

function checkPort(line: number, text: string): void {
  if (text === 'any') return;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) fail(line, `${JSON.stringify(text)} is not a port`);
}

/** Splits `name:value; name;` at `;` not escaped by a backslash. */
function splitOptions(line: number, body: string): RuleOption[] {
  const options: RuleOption[] = [];
  let i = 0;
  while (i < body.length) {
    while (body[i] === ' ') i += 1;
    if (i >= body.length) break;
    let end = i;
    while (end < body.length && body[end] !== ';') end += body[end] === '\\' ? 2 : 1;
    if (end >= body.length) fail(line, `option ${JSON.stringify(body.slice(i, i + 40))} has no closing ';'`);
    const text = body.slice(i, end);
    const colon = text.indexOf(':');
    const name = (colon < 0 ? text : text.slice(0, colon)).trim();
    if (!/^[a-z0-9_.]+$/.test(name)) fail(line, `${JSON.stringify(name)} is not an option name`);
    options.push(colon < 0 ? { name } : { name, value: text.slice(colon + 1).trim() });
    i = end + 1;
  }
  return options;
}

/** The text of a quoted value: `"…"` with only `\"` `\;` `\\` escapes and no bare `"` or `;` inside. */
export function unquote(line: number, value: string | undefined, allowed: RegExp = /[";\\]/): string {
  if (value === undefined || value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) fail(line, `${JSON.stringify(value)} is not a quoted value`);
  const inner = value.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i += 1) {
    const char = inner[i] as string;
    if (char === '\\') {
      const next = inner[i + 1];
      if (next === undefined || !allowed.test(next)) fail(line, `bad escape \\${next ?? ''} in ${value}`);
      out += next;
      i += 1;
    } else if (char === '"' || char === ';') fail(line, `unescaped ${char} in ${value}`);
    else out += char;
  }
  return out;
}

/** The bytes a content matches: text, and |hex| runs of two-digit bytes. */
export function contentBytes(line: number, value: string | undefined): Buffer {
  const text = unquote(line, value);
  if (text === '') fail(line, 'an empty content');
  const parts = text.split('|');
  if (parts.length % 2 === 0) fail(line, `unbalanced | in content ${value}`);
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) chunks.push(Buffer.from(part, 'utf8'));
    else {
      if (!/^[0-9A-Fa-f]{2}(?: ?[0-9A-Fa-f]{2})*$/.test(part)) fail(line, `bad hex run |${part}| in content ${value}`);
      chunks.push(Buffer.from(part.replace(/ /g, ''), 'hex'));
    }
  });
  return Buffer.concat(chunks);
}

function checkedRule(line: number, text: string): ParsedRule {
  const match = /^(\S+) (\S+) (\S+) (\S+) (->|<>) (\S+) (\S+) \((.*)\)$/.exec(text);
  if (!match) fail(line, `not a rule: ${text.slice(0, 80)}`);
  const [, action = '', protocol = '', source = '', sourcePort = '', direction = '', destination = '', destinationPort = '', body = ''] = match;
  if (!ACTIONS.has(action)) fail(line, `unknown action ${action}`);
  if (!PROTOCOLS.has(protocol)) fail(line, `unknown protocol ${protocol}`);
  checkAddress(line, source);
  checkAddress(line, destination);
  checkPort(line, sourcePort);
  checkPort(line, destinationPort);
  const options = splitOptions(line, body);
  let msg: string | undefined;
  let sid: number | undefined;
  let rev: number | undefined;
  let buffer: string | undefined;
  let bufferUsed = true;
  const metadata = new Map<string, string>();
  const contents: { buffer: string | undefined; bytes: Buffer; modifiers: string[] }[] = [];
  for (const { name, value } of options) {
    const flag = STICKY_BUFFERS.has(name) || CONTENT_MODIFIERS.has(name);
    if (flag && value !== undefined) fail(line, `${name} takes no value`);
    if (!flag && value === undefined) fail(line, `${name} needs a value`);
    if (STICKY_BUFFERS.has(name)) {
      if (!bufferUsed) fail(line, `sticky buffer ${buffer} has no content`);
      buffer = name;
      bufferUsed = false;
    } else if (CONTENT_MODIFIERS.has(name)) {
      const last = contents[contents.length - 1];
      if (last === undefined) fail(line, `${name} without a content before it`);
      if (last.modifiers.includes(name)) fail(line, `${name} twice on one content`);
      last.modifiers.push(name);
    } else if (name === 'content') {
      const bytes = contentBytes(line, value);
      if (buffer === 'http.host' && /[A-Z]/.test(bytes.toString('latin1'))) fail(line, 'http.host content with upper-case letters never matches');
      contents.push({ buffer, bytes, modifiers: [] });
      bufferUsed = true;
    } else if (name === 'msg') msg = unquote(line, value);
    else if (name === 'sid' || name === 'rev') {
      if (!/^[1-9][0-9]*$/.test(value ?? '') || Number(value) > 2 ** 32 - 1) fail(line, `${name} ${value} is not a number from 1 to 2^32-1`);
      if (name === 'sid') sid = Number(value);
      else rev = Number(value);
    } else if (name === 'metadata') {
      for (const pair of (value ?? '').split(',')) {
        const kv = /^([A-Za-z0-9_.-]+) ([^,;"\\]+)$/.exec(pair.trim());
        if (!kv) fail(line, `metadata ${JSON.stringify(pair)} is not "key value"`);
        metadata.set(kv[1] as string, kv[2] as string);
      }
    } else if (FILE_LISTS.has(name)) {
      if (!/^[A-Za-z0-9._-]+$/.test(value ?? '')) fail(line, `${name} ${value} is not a file name`);
    } else if (!OTHER.has(name)) fail(line, `unknown option ${name}`);
  }
  if (!bufferUsed) fail(line, `sticky buffer ${buffer} has no content`);
  if (msg === undefined || sid === undefined || rev === undefined) fail(line, 'a rule needs msg, sid and rev');
  return { action, protocol, source, sourcePort, direction, destination, destinationPort, options, msg, sid, rev, contents, metadata };
}

export function parseSuricataRules(text: string): ParsedRule[] {
  if (!text.endsWith('\n')) throw new Error('a rule file ends with a newline');
  const rules: ParsedRule[] = [];
  const sids = new Set<number>();
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      if (line.startsWith('#')) return;
      if (line.trim() === '') throw new Error(`rule line ${i + 1}: empty`);
      const rule = checkedRule(i + 1, line);
      if (sids.has(rule.sid)) fail(i + 1, `sid ${rule.sid} used twice`);
      sids.add(rule.sid);
      rules.push(rule);
    });
  return rules;
}
