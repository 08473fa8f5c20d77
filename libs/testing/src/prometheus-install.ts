import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What ensurePrometheus needs from the machine; the real one by default, a fake in unit tests. */
export interface InstallHost {
  /** Whether an executable is on PATH. */
  has(command: string): boolean;
  /** Runs a bash command line (as root, or through `sudo -n` when not root), output to the log. */
  run(commandLine: string): void;
  /** Ids of the running processes named `prometheus`. */
  prometheusPids(): number[];
  /** Sends SIGTERM to one process. */
  terminate(pid: number): void;
  log(line: string): void;
}

export const PROMETHEUS_INSTALL =
  'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus';

export type InstallOutcome = 'present' | 'installed';

/**
 * Makes `promtool` and `prometheus` available, installing Debian's `prometheus` package when
 * either is missing (a fresh CI machine). Idempotent: a machine that has both is left alone.
 * The package's maintainer scripts may start the system service on :9090; whatever Prometheus
 * process the installation started is stopped again (by the service manager when there is one,
 * then by process id), so the checks only ever talk to the Prometheus they start themselves.
 */
export function ensurePrometheus(host: InstallHost = realHost()): InstallOutcome {
  if (host.has('promtool') && host.has('prometheus')) return 'present';
  host.log(`promtool/prometheus missing: ${PROMETHEUS_INSTALL}`);
  const before = new Set(host.prometheusPids());
  host.run(PROMETHEUS_INSTALL);
  if (!host.has('promtool') || !host.has('prometheus'))
    throw new Error('installing the prometheus package did not provide promtool and prometheus');
  const started = host.prometheusPids().filter((pid) => !before.has(pid));
  if (started.length > 0) {
    host.log(`the package started Prometheus (pids ${started.join(', ')}): stopping it`);
    if (host.has('systemctl')) tryRun(host, 'systemctl stop prometheus');
    else if (host.has('service')) tryRun(host, 'service prometheus stop');
    for (const pid of host.prometheusPids().filter((pid) => started.includes(pid))) host.terminate(pid);
  }
  return 'installed';
}

function tryRun(host: InstallHost, commandLine: string): void {
  try {
    host.run(commandLine);
  } catch {
    // No init system in a container: the process is stopped by id below.
  }
}

export function realHost(): InstallHost {
  const asRoot = (commandLine: string) =>
    process.getuid?.() === 0 ? commandLine : `sudo -n bash -c ${JSON.stringify(commandLine)}`;
  return {
    has: (command) => {
      try {
        execFileSync('bash', ['-c', `command -v ${command}`], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    },
    run: (commandLine) => {
      execFileSync('bash', ['-c', asRoot(commandLine)], { stdio: ['ignore', 'inherit', 'inherit'] });
    },
    prometheusPids: () =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'prometheus';
          } catch {
            return false; // gone meanwhile
          }
        })
        .map(Number),
    terminate: (pid) => {
      try {
        execFileSync('bash', ['-c', asRoot(`kill ${pid}`)], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    },
    log: (line) => process.stderr.write(`${line}\n`),
  };
}
