import { cyboxObject } from './stix1-fixtures';

/** STIX 1.x observables of the eight kinds as producers write them, with the pattern and hub kind each should become. */

export const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const value = (element: string, text: string, attributes = 'condition="Equals"'): string => `<${element} ${attributes}>${text}</${element}>`;
export const email = (header: string): string => cyboxObject(`xsi:type="EmailMessageObj:EmailMessageObjectType"><EmailMessageObj:Header>${header}</EmailMessageObj:Header>`);
export const address = (category: string, text: string): string =>
  cyboxObject(`xsi:type="AddressObj:AddressObjectType" category="${category}">${value('AddressObj:Address_Value', text)}`);
export const hash = (type: string, text: string): string =>
  cyboxObject(
    `xsi:type="FileObj:FileObjectType"><FileObj:Hashes><cyboxCommon:Hash>${type}${value('cyboxCommon:Simple_Hash_Value', text)}</cyboxCommon:Hash></FileObj:Hashes>`,
  );
export const ATTACHMENT =
  `<cybox:Object id="example:EmailMessage-1"><cybox:Properties xsi:type="EmailMessageObj:EmailMessageObjectType">` +
  `<EmailMessageObj:Attachments><EmailMessageObj:File object_reference="example:File-1"/></EmailMessageObj:Attachments></cybox:Properties>` +
  `<cybox:Related_Objects><cybox:Related_Object id="example:File-1"><cybox:Properties xsi:type="FileObj:FileObjectType">${value('FileObj:File_Name', 'invoice.pdf.exe')}</cybox:Properties>` +
  `<cybox:Relationship xsi:type="cyboxVocabs:ObjectRelationshipVocab-1.1">Contains</cybox:Relationship></cybox:Related_Object></cybox:Related_Objects></cybox:Object>`;
export const MALICIOUS_EMAIL = '<indicator:Type xsi:type="stixVocabs:IndicatorTypeVocab-1.1">Malicious E-mail</indicator:Type>';

/** [what, observable, more indicator content, pattern, hub kind] */
export const KINDS: readonly [string, string, string, string, string][] = [
  ['e-mail sender IP', email(`<EmailMessageObj:X_Originating_IP category="ipv4-addr">${value('AddressObj:Address_Value', '198.51.100.7')}</EmailMessageObj:X_Originating_IP>`), '', "[ipv4-addr:value = '198.51.100.7']", 'email-sender-ip'],
  ['bare address typed Malicious E-mail', address('ipv4-addr', '198.51.100.7'), MALICIOUS_EMAIL, "[ipv4-addr:value = '198.51.100.7']", 'email-sender-ip'],
  ['From', email(`<EmailMessageObj:From category="e-mail">${value('AddressObj:Address_Value', 'Billing@Evil.Example')}</EmailMessageObj:From>`), '', "[email-message:from_ref.value = 'Billing@evil.example']", 'email-from'],
  ['Subject', email(value('EmailMessageObj:Subject', "It's &lt;overdue&gt; &amp; due")), '', "[email-message:subject = 'It\\'s <overdue> & due']", 'email-subject'],
  ['attachment file name', ATTACHMENT, '', "[email-message:body_multipart[*].body_raw_ref.name = 'invoice.pdf.exe']", 'email-attachment-name'],
  ['DomainName FQDN', cyboxObject(`xsi:type="DomainNameObj:DomainNameObjectType" type="FQDN">${value('DomainNameObj:Value', 'C2.Evil.Example')}`), '', "[domain-name:value = 'c2.evil.example']", 'c2-hostname'],
  ['Hostname', cyboxObject(`xsi:type="HostnameObj:HostnameObjectType">${value('HostnameObj:Hostname_Value', 'c2.evil.example')}`), '', "[domain-name:value = 'c2.evil.example']", 'c2-hostname'],
  ['IPv4 address', address('ipv4-addr', '203.0.113.9'), '', "[ipv4-addr:value = '203.0.113.9']", 'c2-ip'],
  ['IPv4 network', address('ipv4-addr', '203.0.113.0/24'), '', "[ipv4-addr:value ISSUBSET '203.0.113.0/24']", 'c2-ip'],
  ['IPv6 address', address('ipv6-addr', '2001:DB8:0::1'), '', "[ipv6-addr:value = '2001:db8::1']", 'c2-ip'],
  ['URL', cyboxObject(`xsi:type="URIObj:URIObjectType" type="URL">${value('URIObj:Value', 'http://x4z9arb.cn/4712')}`), '', "[url:value = 'http://x4z9arb.cn/4712']", 'url'],
  ['SHA256 hash', hash('<cyboxCommon:Type xsi:type="cyboxVocabs:HashNameVocab-1.0">SHA256</cyboxCommon:Type>', SHA256.toUpperCase()), '', `[file:hashes.'SHA-256' = '${SHA256}']`, 'file-hash'],
  ['SHA3-256 hash (free-text Type)', hash('<cyboxCommon:Type>SHA3-256</cyboxCommon:Type>', SHA256), '', `[file:hashes.'SHA3-256' = '${SHA256}']`, 'file-hash'],
  ['hash without Type (32 digits: MD5)', hash('', 'd41d8cd98f00b204e9800998ecf8427e'), '', "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']", 'file-hash'],
];

