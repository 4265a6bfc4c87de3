import { readStix1Package, type MappedIndicator } from '../../../src/domain/stix1';
import { createStixValidator } from '../../../src/validation/stix-validator';
import { cyboxObject, indicatorPackage, PROVIDER_ID } from './stix1-fixtures';
import { address, KINDS, value } from './stix1-observables';

/**
 * What the inbox will store: a mapped indicator, given the id and created_by_ref the inbox assigns,
 * passes the hub's own STIX 2.1 validation (schema and pattern parser), whatever the kind or composition.
 */

const validate = createStixValidator();

function stored(mapped: MappedIndicator): Record<string, unknown> {
  return { ...mapped, id: 'indicator--6f1c2a1e-2f4e-4d8b-9a55-0a3e4f0b7c11', created_by_ref: PROVIDER_ID };
}

function mappedFrom(observable: string, more = ''): MappedIndicator {
  const reading = readStix1Package(indicatorPackage(observable, more));
  const first = reading.ok ? reading.indicators[0] : undefined;
  if (first === undefined || !first.ok) throw new Error('not mapped');
  return first.indicator;
}

test.each(KINDS)('%s passes the hub STIX validator', (_what, observable, more) => {
  expect(validate(stored(mappedFrom(observable, more)))).toEqual({ ok: true });
});

test('an OR composition, a ##comma## list and marked, dated, kill-chained fields pass too', () => {
  const domain = cyboxObject(`xsi:type="DomainNameObj:DomainNameObjectType">${value('DomainNameObj:Value', 'a.example##comma##b.example')}`);
  const observable = `<cybox:Observable_Composition operator="OR"><cybox:Observable>${domain}</cybox:Observable><cybox:Observable>${address('ipv6-addr', '2001:db8::/48')}</cybox:Observable></cybox:Observable_Composition>`;
  const more =
    '<indicator:Valid_Time_Position><indicator:Start_Time>2014-02-20T09:00:00+01:00</indicator:Start_Time></indicator:Valid_Time_Position>' +
    '<indicator:Kill_Chain_Phases><stixCommon:Kill_Chain_Phase name="Delivery" kill_chain_name="LM Cyber Kill Chain"/></indicator:Kill_Chain_Phases>' +
    '<indicator:Confidence><stixCommon:Value>Low</stixCommon:Value></indicator:Confidence>' +
    '<indicator:Handling><marking:Marking><marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="RED"/></marking:Marking></indicator:Handling>';
  const mapped = mappedFrom(observable, more);
  expect(mapped.pattern).toBe("[domain-name:value = 'a.example' OR domain-name:value = 'b.example'] OR [ipv6-addr:value ISSUBSET '2001:db8::/48']");
  expect(validate(stored(mapped))).toEqual({ ok: true });
});
