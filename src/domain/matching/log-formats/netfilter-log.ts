import type { FormatReader } from './format-reader';
import { readSyslogPrefix, syslogParts, syslogTime } from './syslog-prefix';
import { observeAddress, tokenEnd } from './text-scan';

/**
 * Netfilter's kernel log lines, written alike by iptables' LOG target and nftables' `log` statement
 * (`[UFW BLOCK] IN=eth0 OUT= MAC=... SRC=192.0.2.7 DST=203.0.113.5 LEN=60 ...`), behind a syslog prefix,
 * journalctl's, or none (dmesg). IPv6 addresses are logged in full (`2001:0db8:0000:...`).
 */
export function createNetfilterReader(): FormatReader {
  const parts = syslogParts();
  return {
    read(line, observe) {
      const source = line.indexOf(' SRC=');
      if (source < 0) return false;
      const interfaceIn = line.indexOf('IN=');
      const destination = line.indexOf(' DST=', source);
      if (interfaceIn < 0 || interfaceIn > source || destination < 0) return false;
      observeAddress(observe, line, source + 5, tokenEnd(line, source + 5), 'source-ip', 'source-host');
      observeAddress(observe, line, destination + 5, tokenEnd(line, destination + 5), 'destination-ip', 'destination-host');
      return true;
    },
    time(line, nowMs) {
      return readSyslogPrefix(line, parts) ? syslogTime(line, parts, nowMs) : undefined;
    },
  };
}
