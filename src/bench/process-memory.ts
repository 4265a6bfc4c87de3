import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Resident memory of a process and everything it forked (the hub's cluster workers), read from
 * /proc (Linux): VmRSS (resident now) and VmHWM (the peak resident size since the process started).
 */
export interface ProcessMemory {
  readonly pid: number;
  /** 0 for the process asked about, 1 for its children, ... */
  readonly depth: number;
  readonly rssBytes: number;
  readonly hwmBytes: number;
}

export interface TreeMemory {
  readonly processes: readonly ProcessMemory[];
  readonly rssBytes: number;
  readonly hwmBytes: number;
}

const MB = 1024 * 1024;
export const megabytes = (bytes: number): number => bytes / MB;

/** A `/proc/<pid>/status` field given in kB, in bytes; undefined when absent. */
export function statusField(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

function readStatus(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** The direct children of a process: from /proc/<pid>/task/<tid>/children, else by scanning /proc/<n>/stat for the parent. */
export function childPids(pid: number): number[] {
  const children = new Set<number>();
  let tasks: string[] | undefined;
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  let readable = false;
  for (const tid of tasks) {
    try {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean)) children.add(Number(child));
      readable = true;
    } catch {
      // thread gone, or a kernel without CONFIG_PROC_CHILDREN
    }
  }
  if (readable) return [...children];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.add(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return [...children];
}

/** The process and its descendants, depth first; processes that vanish while being read are left out. */
export function readTreeMemory(rootPid: number): TreeMemory {
  const processes: ProcessMemory[] = [];
  const visit = (pid: number, depth: number) => {
    const status = readStatus(pid);
    if (status === undefined) return;
    processes.push({ pid, depth, rssBytes: statusField(status, 'VmRSS') ?? 0, hwmBytes: statusField(status, 'VmHWM') ?? 0 });
    for (const child of childPids(pid)) visit(child, depth + 1);
  };
  visit(rootPid, 0);
  return {
    processes,
    rssBytes: processes.reduce((sum, p) => sum + p.rssBytes, 0),
    hwmBytes: processes.reduce((sum, p) => sum + p.hwmBytes, 0),
  };
}

export interface MemorySummary {
  /** Total over the tree: the reading itself at rest, the largest sampled total while serving. */
  readonly totalRssBytes: number;
  /** The largest single process (the target "per worker"). */
  readonly maxProcessRssBytes: number;
  /** Sum of the processes' VmHWM (peak since start) at the end: an upper bound of the peak total. */
  readonly totalHwmBytes: number;
  /** Per process: its largest RSS seen (at rest: its RSS) and its VmHWM. */
  readonly processes: readonly ProcessMemory[];
  readonly samples: number;
}

export function summarizeReading(reading: TreeMemory): MemorySummary {
  return {
    totalRssBytes: reading.rssBytes,
    maxProcessRssBytes: Math.max(0, ...reading.processes.map((p) => p.rssBytes)),
    totalHwmBytes: reading.hwmBytes,
    processes: reading.processes,
    samples: 1,
  };
}

/** Samples the tree every `intervalMs` until stopped; keeps the largest total and each process's largest RSS. */
export function sampleTreeMemory(rootPid: number, intervalMs = 100): { stop(): MemorySummary } {
  let maxTotal = 0;
  let samples = 0;
  const perProcess = new Map<number, { depth: number; rss: number; hwm: number }>();
  const sample = () => {
    const reading = readTreeMemory(rootPid);
    samples++;
    maxTotal = Math.max(maxTotal, reading.rssBytes);
    for (const p of reading.processes) {
      const seen = perProcess.get(p.pid);
      perProcess.set(p.pid, { depth: p.depth, rss: Math.max(seen?.rss ?? 0, p.rssBytes), hwm: Math.max(seen?.hwm ?? 0, p.hwmBytes) });
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const processes = [...perProcess].map(([pid, p]) => ({ pid, depth: p.depth, rssBytes: p.rss, hwmBytes: p.hwm }));
      return {
        totalRssBytes: maxTotal,
        maxProcessRssBytes: Math.max(0, ...processes.map((p) => p.rssBytes)),
        totalHwmBytes: processes.reduce((sum, p) => sum + p.hwmBytes, 0),
        processes,
        samples,
      };
    },
  };
}

/** "212 MB (pid 10 primary 60 MB, pid 11 worker 76 MB, pid 12 worker 76 MB)". */
export function describeMemory(summary: MemorySummary): string {
  const mb = (bytes: number) => `${Math.round(megabytes(bytes))} MB`;
  const total = `${mb(summary.totalRssBytes)} RSS, peak (sum of VmHWM) ${mb(summary.totalHwmBytes)}`;
  if (summary.processes.length <= 1) return total;
  const parts = summary.processes.map((p) => `pid ${p.pid} ${p.depth === 0 ? 'primary' : p.depth === 1 ? 'worker' : 'descendant'} ${mb(p.rssBytes)}`);
  return `${total} (${parts.join(', ')})`;
}

let fullCollection: (() => void) | undefined;

/**
 * The heap the process still holds after a full garbage collection, in bytes: what its data takes,
 * without the garbage `heapUsed` counts too (under ingest, most of it). The collector is reached
 * without `--expose-gc` on the command line: the flag is set at run time and `gc` read from a new
 * context, where V8 then defines it.
 */
export function retainedHeapBytes(): number {
  if (fullCollection === undefined) {
    v8.setFlagsFromString('--expose-gc');
    fullCollection = vm.runInNewContext('gc') as () => void;
  }
  fullCollection();
  fullCollection();
  return process.memoryUsage().heapUsed;
}
