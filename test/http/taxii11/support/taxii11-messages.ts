import { randomUUID } from 'node:crypto';
import type { XmlElement } from '../../../../src/domain/xml/xml-element';
import { parseXml } from '../../../../src/http/taxii11/xml/safe-xml-parser';

/** What the TAXII 1.1 HTTP tests send and how they read the answers. */

export const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
export const HEADERS = { 'Content-Type': 'application/xml', 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1' };

/** The hub's tree of an answer (the test fails on anything that is not XML). */
export function xml(text: string): XmlElement {
  const parsed = parseXml(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.root;
}

/** A STIX 1.2 package of one C2-address indicator marked `tlp` (WHITE, GREEN, AMBER, RED). */
export const stixPackage = (ip: string, tlp: string) => `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2"
  xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2"
  xmlns:marking="http://data-marking.mitre.org/Marking-1" xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:example="http://example.com/" id="example:Package-${randomUUID()}" version="1.2">
  <stix:STIX_Header><stix:Handling><marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>
    <marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="${tlp}"/></marking:Marking></stix:Handling></stix:STIX_Header>
  <stix:Indicators><stix:Indicator xsi:type="indicator:IndicatorType" id="example:indicator-${randomUUID()}" timestamp="2026-12-01T10:00:00.123456+00:00">
    <indicator:Title>C2 ${ip}</indicator:Title>
    <indicator:Observable id="example:Observable-${randomUUID()}"><cybox:Object id="example:Address-${randomUUID()}">
      <cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="Equals">${ip}</AddressObj:Address_Value></cybox:Properties>
    </cybox:Object></indicator:Observable>
  </stix:Indicator></stix:Indicators></stix:STIX_Package>`;

/** An Inbox_Message of one STIX 1.2 content block for collection `destination`. */
export const inboxMessage = (destination: string, content: string) =>
  `<taxii_11:Inbox_Message xmlns:taxii_11="${NS}" message_id="${randomUUID()}"><taxii_11:Destination_Collection_Name>${destination}</taxii_11:Destination_Collection_Name>
  <taxii_11:Content_Block><taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/><taxii_11:Content>${content}</taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`;
