/**
 * Log-line readers, one per log format (issue 14): a line in, observations (kind, field, raw value)
 * out. Pure: no I/O. What each format gives, as `kind field`:
 *
 * - postfix: `ip client-ip` (smtpd connect/client=, postscreen CONNECT, rejections), `email envelope-from`
 *   (qmgr from=, rejections), from cleanup header_checks / mime_header_checks lines `subject subject`,
 *   `email header-from`, `filename attachment-name`
 * - exim: `email envelope-from` (`<=` sender, `F=<>`), `ip client-ip` (`H=`), `subject subject` (`T="..."`),
 *   deliveries `host destination-host` and `ip destination-ip`
 * - exchange: `ip client-ip`, `ip original-client-ip`, `email sender-address`, `email return-path`, `subject subject`
 * - squid: `ip client-ip`, `url url` (a CONNECT's `host url` / `ip url`), peer `ip destination-ip` / `host destination-host`
 * - nginx, apache: `ip client-ip`, `url url` (with a virtual host in front, or an absolute target; CONNECT
 *   `host url`), `url referer`
 * - zeek (TSV by its header, or JSON): `ip source-ip` / `ip destination-ip` (id.orig_h / id.resp_h),
 *   `host dns-query`, `ip|host dns-answer`, `host host` + `url url` (http), `url referer`, `email envelope-from`,
 *   `email header-from`, `ip original-client-ip`, `subject subject`, `hash file-hash`, `filename file-name`, `host sni`
 * - iptables, nftables: `ip source-ip`, `ip destination-ip`
 * - ecs: `ip source-ip|destination-ip|client-ip|server-ip`, `url url` (url.full, else an absolute url.original,
 *   else `host url-domain`), `host destination-host`, `host dns-query`, `ip dns-answer`, `email header-from`, `email header-sender`,
 *   `subject subject`, `filename attachment-name`, `hash attachment-hash`, `hash file-hash`, `filename file-name`
 * - values: one of `ip|host|url|email|hash value`
 *
 * Subjects and header addresses are given decoded from RFC 2047; nothing else is normalised (the index does).
 */
export { createLogLineReader } from './log-line-reader';
