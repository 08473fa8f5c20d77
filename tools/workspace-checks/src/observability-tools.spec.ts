import { dashboardQueries, substituteVariables } from './dashboard-queries';
import { ensurePrometheus, type InstallHost, PROMETHEUS_INSTALL } from '@tongban/testing';
import { fromRoot } from './workspace-root';

/** A machine for ensurePrometheus: which commands exist, what the package's installation does. */
function fakeHost(options: {
  present: string[];
  installProvides?: string[];
  installStartsService?: boolean;
  failingCommands?: string[];
}) {
  const commands = new Set(options.present);
  let pids = [101]; // someone else's Prometheus, never touched
  const ran: string[] = [];
  const terminated: number[] = [];
  const host: InstallHost = {
    has: (command) => commands.has(command),
    run: (commandLine) => {
      ran.push(commandLine);
      if (options.failingCommands?.includes(commandLine)) throw new Error(`${commandLine} failed`);
      if (commandLine === PROMETHEUS_INSTALL) {
        for (const command of options.installProvides ?? []) commands.add(command);
        if (options.installStartsService) pids = [...pids, 4242];
      }
    },
    prometheusPids: () => pids,
    terminate: (pid) => {
      terminated.push(pid);
      pids = pids.filter((other) => other !== pid);
    },
    log: () => undefined,
  };
  return { host, ran, terminated };
}

describe('ensurePrometheus', () => {
  it('leaves a machine that has promtool and prometheus alone', () => {
    const { host, ran } = fakeHost({ present: ['promtool', 'prometheus'] });
    expect(ensurePrometheus(host)).toBe('present');
    expect(ran).toEqual([]);
  });

  it("installs Debian's package when either is missing", () => {
    const { host, ran, terminated } = fakeHost({
      present: ['promtool'],
      installProvides: ['promtool', 'prometheus'],
    });
    expect(ensurePrometheus(host)).toBe('installed');
    expect(ran).toEqual([
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus',
    ]);
    expect(terminated).toEqual([]);
  });

  it('stops the system service the package started, by its process id when there is no init system', () => {
    const { host, ran, terminated } = fakeHost({
      present: [],
      installProvides: ['promtool', 'prometheus'],
      installStartsService: true,
    });
    expect(ensurePrometheus(host)).toBe('installed');
    expect(ran).toEqual([PROMETHEUS_INSTALL]);
    expect(terminated).toEqual([4242]);
  });

  it('asks systemd first when there is one, then stops what is still running', () => {
    const { host, ran, terminated } = fakeHost({
      present: ['systemctl'],
      installProvides: ['promtool', 'prometheus'],
      installStartsService: true,
      failingCommands: ['systemctl stop prometheus'], // systemctl without a running systemd
    });
    expect(ensurePrometheus(host)).toBe('installed');
    expect(ran).toEqual([PROMETHEUS_INSTALL, 'systemctl stop prometheus']);
    expect(terminated).toEqual([4242]);
  });

  it('fails when the package did not provide the binaries', () => {
    const { host } = fakeHost({ present: [] });
    expect(() => ensurePrometheus(host)).toThrow(/did not provide promtool and prometheus/);
  });
});

describe('dashboard queries', () => {
  it("replaces Grafana's variables", () => {
    expect(substituteVariables('rate(x{office=~"$office"}[$__rate_interval])', ['office'])).toBe(
      'rate(x{office=~".*"}[1m])',
    );
    expect(substituteVariables('increase(x{a="${office:regex}"}[$__range])', ['office'])).toBe(
      'increase(x{a=".*"}[1h])',
    );
    expect(substituteVariables('sum(x) by ($unknown)')).toBe('sum(x) by ($unknown)');
  });

  it('finds the queries of every dashboard in deploy/grafana/dashboards', () => {
    const queries = dashboardQueries(fromRoot('deploy/grafana/dashboards'));
    expect(new Set(queries.map((query) => query.dashboard)).size).toBe(4);
    for (const query of queries) expect(query.query).not.toMatch(/\$/);
  });
});
