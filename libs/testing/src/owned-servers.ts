import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectEventually } from './expect-eventually';

const run = promisify(execFile);

/*
 * Servers a test owns, so it may crash and restart them without touching the PostgreSQL and Redis
 * every other suite (and the developer's stack) shares: a PostgreSQL cluster made by initdb from
 * the machine's own binaries on a port and data directory of its own, and a redis-server process.
 */

/** The newest PostgreSQL server binaries installed (Debian's /usr/lib/postgresql/<version>/bin). */
function postgresBinDir(): string {
  const fromEnv = process.env['PG_BINDIR'];
  if (fromEnv && existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(
      'no PostgreSQL server binaries (initdb) found under /usr/lib/postgresql: install them ' +
        '(apt-get install -y postgresql) or set PG_BINDIR to the directory holding initdb and pg_ctl',
    );
  return path.join(root, versions[0]!, 'bin');
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user. */
async function asServerUser(command: string, args: readonly string[], timeoutMs: number) {
  const root = process.getuid?.() === 0;
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
  try {
    return await run(file, argv, { timeout: timeoutMs });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`,
    );
  }
}

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', user]),
    run('id', ['-g', user]),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The first port from `preferred` on that nothing answers: a server left behind by a test process
 * that was killed (a daemonized postmaster outlives it) must not fail the next run.
 */
async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) if (!(await portAnswers(port))) return port;
  throw new Error(`no free port in ${preferred}-${preferred + 49}`);
}

/** A PostgreSQL cluster of the test's own: trust authentication, user postgres, on 127.0.0.1:port. */
export class OwnedPostgres {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly binDir: string,
  ) {}

  /** Server URL (database `postgres`) in the form createTestDatabase takes. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** On `preferred`, or the next free port after it. */
  static async create(preferred: number): Promise<OwnedPostgres> {
    const port = await freePort(preferred);
    const binDir = postgresBinDir();
    const home = mkdtempSync(path.join(tmpdir(), 'tongban-pg-'));
    if (process.getuid?.() === 0) {
      const { uid, gid } = await idOf('postgres');
      chownSync(home, uid, gid);
    }
    const dataDir = path.join(home, 'data');
    await asServerUser(
      path.join(binDir, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
      120000,
    );
    const server = new OwnedPostgres(port, dataDir, binDir);
    await server.start();
    return server;
  }

  /** Starts the server and waits until it accepts connections (after crash recovery, if any). */
  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${path.dirname(this.dataDir)}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
    ].join(' ');
    await asServerUser(
      path.join(this.binDir, 'pg_ctl'),
      [
        '-D',
        this.dataDir,
        '-l',
        path.join(path.dirname(this.dataDir), 'server.log'),
        '-w',
        '-t',
        '120',
        '-o',
        options,
        'start',
      ],
      150000,
    );
  }

  /** `pg_ctl stop -m fast`: clients are disconnected, a shutdown checkpoint is written. */
  async stopFast(): Promise<void> {
    await asServerUser(
      path.join(this.binDir, 'pg_ctl'),
      ['-D', this.dataDir, '-m', 'fast', '-w', 'stop'],
      60000,
    );
  }

  /**
   * SIGKILL of the postmaster and every server process at once, as a machine or OOM kill would:
   * no shutdown checkpoint, so the next start runs crash recovery. Resolves when all are gone.
   */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const victims = [pid, ...childrenOf(pid)];
    for (const victim of victims) {
      try {
        process.kill(victim, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await expectEventually(
      () => {
        const left = victims.filter(alive);
        if (left.length > 0) throw new Error(`server processes still alive: ${left.join(', ')}`);
      },
      { timeoutMs: 30000, intervalMs: 100 },
    );
  }

  /** The server log, for a failure message. */
  log(): string {
    try {
      return readFileSync(path.join(path.dirname(this.dataDir), 'server.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async destroy(): Promise<void> {
    if (existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      await asServerUser(
        path.join(this.binDir, 'pg_ctl'),
        ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop'],
        60000,
      ).catch(() => undefined);
    }
    rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
  }
}

/** A redis-server of the test's own on 127.0.0.1:port, without persistence (as the local stack runs it). */
export class OwnedRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** On `preferred`, or the next free port after it. */
  static async create(preferred: number): Promise<OwnedRedis> {
    const server = new OwnedRedis(await freePort(preferred));
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const failed = new Promise<never>((_, reject) =>
      child.once('error', (error) =>
        reject(
          new Error(
            `redis-server could not start (install it: apt-get install -y redis-server): ${error.message}`,
          ),
        ),
      ),
    );
    this.child = child;
    await Promise.race([
      failed,
      expectEventually(
        async () => {
          if (!(await portAnswers(this.port))) throw new Error(`redis-server not answering on ${this.port}`);
        },
        { timeoutMs: 30000, intervalMs: 100 },
      ),
    ]);
  }

  /** SIGKILL: everything it held is gone, as after a crash of a server without persistence. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.kill();
  }
}
