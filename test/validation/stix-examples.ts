/** Valid STIX 2.1 objects of every type the hub has a schema for, for the validator's tests. */

export type StixExample = Record<string, unknown>;

export const IDENTITY_ID = 'identity--0b6f1f2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c';
export const INDICATOR_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
export const MALWARE_ID = 'malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc';
export const CAMPAIGN_ID = 'campaign--7c5a0e1f-8d2b-4e6f-9a3c-1b2d3e4f5a6b';
export const OBSERVED_DATA_ID = 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf';
export const IPV4_ID = 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd';
export const EMAIL_ADDR_ID = 'email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3';
export const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
export const TLP1_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
export const LOCATION_ID = 'location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64';

const sdo = (type: string, id: string): StixExample => ({
  type,
  spec_version: '2.1',
  id,
  created: '2026-01-31T12:00:00.000Z',
  modified: '2026-02-01T08:30:00.123456Z',
  created_by_ref: IDENTITY_ID,
  object_marking_refs: [TLP_AMBER],
});

export const VALID_EXAMPLES: Readonly<Record<string, StixExample>> = {
  indicator: {
    ...sdo('indicator', INDICATOR_ID),
    name: 'C2 server of the invoice campaign',
    indicator_types: ['malicious-activity'],
    pattern: "[ipv4-addr:value = '203.0.113.42']",
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: '2026-01-31T12:00:00Z',
    valid_until: '2026-07-31T12:00:00Z',
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'command-and-control' }],
    confidence: 85,
    labels: ['phishing'],
    lang: 'en',
    external_references: [{ source_name: 'acme-ticket', external_id: 'INC-4711', url: 'https://tickets.example.com/4711' }],
    granular_markings: [{ marking_ref: TLP1_GREEN, selectors: ['name'] }],
    x_acme_score: 7,
  },
  identity: withChanges(sdo('identity', IDENTITY_ID), {
    created_by_ref: undefined,
    name: 'ACME Corp',
    identity_class: 'organization',
    sectors: ['financial-services'],
  }),
  'marking-definition (TLP 2.0 extension)': {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_AMBER,
    created: '2022-10-01T00:00:00.000Z',
    name: 'TLP:AMBER',
    extensions: {
      'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'amber' },
    },
  },
  'marking-definition (TLP 1.0)': {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP1_GREEN,
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: 'TLP:GREEN',
    definition: { tlp: 'green' },
  },
  'marking-definition (statement)': {
    type: 'marking-definition',
    spec_version: '2.1',
    id: 'marking-definition--4e1b5c6a-2f3d-4b7e-9c8a-0d1e2f3a4b5c',
    created: '2026-01-31T12:00:00.000Z',
    created_by_ref: IDENTITY_ID,
    definition_type: 'statement',
    definition: { statement: 'Copyright 2026, ACME Corp' },
  },
  relationship: {
    ...sdo('relationship', 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad'),
    relationship_type: 'indicates',
    source_ref: INDICATOR_ID,
    target_ref: MALWARE_ID,
    start_time: '2026-01-01T00:00:00Z',
    stop_time: '2026-02-01T00:00:00Z',
  },
  sighting: {
    ...sdo('sighting', 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75'),
    sighting_of_ref: INDICATOR_ID,
    observed_data_refs: [OBSERVED_DATA_ID],
    where_sighted_refs: [IDENTITY_ID, LOCATION_ID],
    first_seen: '2026-01-31T12:00:00Z',
    last_seen: '2026-01-31T12:00:00Z',
    count: 3,
  },
  opinion: {
    ...sdo('opinion', 'opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7'),
    opinion: 'strongly-agree',
    explanation: 'Seen in our mail gateway too',
    object_refs: [INDICATOR_ID],
  },
  note: {
    ...sdo('note', 'note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'),
    abstract: 'Sender rotation',
    content: 'The sender address changes daily; the C2 address does not.',
    authors: ['analyst@acme'],
    object_refs: [INDICATOR_ID, CAMPAIGN_ID],
  },
  report: {
    ...sdo('report', 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3'),
    name: 'Invoice phishing wave, January 2026',
    report_types: ['campaign'],
    published: '2026-02-01T09:00:00Z',
    object_refs: [INDICATOR_ID, CAMPAIGN_ID, MALWARE_ID],
  },
  grouping: {
    ...sdo('grouping', 'grouping--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb4'),
    name: 'Under investigation',
    context: 'suspicious-activity',
    object_refs: [INDICATOR_ID, IPV4_ID],
  },
  campaign: {
    ...sdo('campaign', CAMPAIGN_ID),
    name: 'Invoice wave',
    aliases: ['Overdue'],
    first_seen: '2026-01-01T00:00:00Z',
    last_seen: '2026-01-31T00:00:00Z',
    objective: 'Credential theft',
  },
  malware: {
    ...sdo('malware', MALWARE_ID),
    name: 'InvoiceDropper',
    is_family: true,
    malware_types: ['dropper'],
    sample_refs: ['file--5e2e0a3d-0f6c-5f0e-9d4a-3b2c1d0e9f8a'],
  },
  'observed-data': {
    ...sdo('observed-data', OBSERVED_DATA_ID),
    first_observed: '2026-01-31T11:00:00Z',
    last_observed: '2026-01-31T12:00:00Z',
    number_observed: 12,
    object_refs: [IPV4_ID, 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad'],
  },
  'extension-definition': {
    ...sdo('extension-definition', 'extension-definition--f92e8a7a-6b8c-4e0e-9a61-2d3c8a1e5b70'),
    name: 'taxii-hub recipients',
    schema: 'https://taxii-hub.example/schemas/recipients-extension.json',
    version: '1.0.0',
    extension_types: ['property-extension'],
  },
  'ipv4-addr': { type: 'ipv4-addr', spec_version: '2.1', id: IPV4_ID, value: '203.0.113.42' },
  'ipv4-addr (CIDR, no spec_version)': { type: 'ipv4-addr', id: 'ipv4-addr--4e9c3f2a-1b5d-5c6e-8f7a-9b0c1d2e3f4a', value: '198.51.100.0/24' },
  'ipv6-addr': { type: 'ipv6-addr', spec_version: '2.1', id: 'ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1', value: '2001:db8::dead:beef' },
  'ipv6-addr (CIDR)': { type: 'ipv6-addr', id: 'ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b2', value: '2001:db8::/32' },
  'domain-name': {
    type: 'domain-name', spec_version: '2.1', id: 'domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5', value: 'c2.evil-example.com',
    resolves_to_refs: [IPV4_ID],
  },
  url: { type: 'url', spec_version: '2.1', id: 'url--c1477287-23ac-5971-a010-5c287877fa60', value: 'https://evil-example.com/payload/dropper.php?id=42' },
  'email-addr': {
    type: 'email-addr', spec_version: '2.1', id: EMAIL_ADDR_ID, value: 'billing@invoices-example.net', display_name: 'Billing',
  },
  'email-message': {
    type: 'email-message', spec_version: '2.1', id: 'email-message--72b7698f-10c2-565a-a2a6-b4996a2f2265',
    is_multipart: false, from_ref: EMAIL_ADDR_ID, to_refs: [EMAIL_ADDR_ID], subject: "Your invoice 'Q3-2024' is overdue",
    date: '2026-01-31T10:00:00Z', body: 'Please pay.',
  },
  'email-message (multipart)': {
    type: 'email-message', id: 'email-message--72b7698f-10c2-565a-a2a6-b4996a2f2266', is_multipart: true,
    body_multipart: [{ content_type: 'text/plain', body: 'Please pay.' }, { body_raw_ref: 'file--5e2e0a3d-0f6c-5f0e-9d4a-3b2c1d0e9f8a' }],
  },
  file: {
    type: 'file', spec_version: '2.1', id: 'file--5e2e0a3d-0f6c-5f0e-9d4a-3b2c1d0e9f8a', name: 'Invoice_Q3.pdf.exe', size: 48213,
    hashes: { 'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', MD5: '79054025255fb1a26e4bc422aef54eb4', 'x_acme_fuzzy': '3:abc' },
    extensions: { 'windows-pebinary-ext': { pe_type: 'exe' } },
  },
  'file (hashes only)': {
    type: 'file', id: 'file--5e2e0a3d-0f6c-5f0e-9d4a-3b2c1d0e9f8b', hashes: { 'SHA-1': 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
  },
  'custom object (x-)': {
    ...sdo('x-acme-playbook', 'x-acme-playbook--6a8b2c4d-1e3f-4a5b-9c7d-0e1f2a3b4c5d'),
    x_acme_steps: ['isolate host', 'reset credentials'],
  },
  'other STIX 2.1 SDO (attack-pattern)': {
    ...sdo('attack-pattern', 'attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5'), name: 'Spearphishing Attachment',
  },
  'other STIX 2.1 SCO (network-traffic)': {
    type: 'network-traffic', id: 'network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d', protocols: ['tcp'], dst_port: 443,
  },
  'custom SCO declared by a new-sco extension': {
    type: 'acme-beacon', id: 'acme-beacon--2568d22a-8998-58eb-99ec-3c8ca74f527e', interval_seconds: 60,
    extensions: { 'extension-definition--2f7e1c3a-5b4d-4e6f-8a9b-0c1d2e3f4a5b': { extension_type: 'new-sco' } },
  },
};

/** A copy of an example with properties replaced; `undefined` removes a property. */
export function withChanges(example: StixExample, changes: StixExample): StixExample {
  const copy: StixExample = { ...example };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}
