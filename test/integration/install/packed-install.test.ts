/**
 * A rig installs recpipe as the README says (issue 24): the packed tarball into an empty prefix,
 * production dependencies only, from the npm cache; then it runs there, with no dev tree on the
 * path: `--version`, `demo`, and the systemd unit's ExecStart as an unprivileged user with only
 * the environment the unit gives it, against the embedded stack.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOf, waitFor, waitForAsync } from '../../helpers/cli.js';
import { bareImports, packageOf, reachableFrom } from '../../helpers/module-graph.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { onCleanup, tempDir } from '../../helpers/tmp.js';
import { asStandIn, rigFolders, unitExecStart, type RigFolders } from '../../helpers/unit-run.js';
import { expectStored } from '../../helpers/stored.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { localRigKeyPath } from '../../../src/local/stack-info.js';
import { VERSION } from '../../../src/version.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
const nodeDir = dirname(process.execPath);
const isRoot = process.getuid?.() === 0;
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
const UNIT = join(repo, 'deploy', 'recpipe-watch.service');

/**
 * Runs npm with the test's own environment minus NODE_OPTIONS (jest's VM-modules flag), its logs
 * and temp files in `work`: npm on Node 22+ turns on Node's compile cache, which it keeps in
 * `$TMPDIR/node-compile-cache`.
 */
function run(cmd: string, args: string[], cwd: string, work: string): SpawnSyncReturns<string> {
  const { NODE_OPTIONS: _omit, ...env } = process.env;
  const tmp = join(work, 'npm-tmp');
  mkdirSync(tmp, { recursive: true });
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...env, TMPDIR: tmp, npm_config_logs_dir: join(work, 'npm-logs'), npm_config_update_notifier: 'false' },
  });
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)));
}

describe('the packed package, installed as a rig installs it', () => {
  let work: string;
  let packed: string[];
  let prefix: string;
  let installed: string;
  let bin: string;

  beforeAll(() => {
    work = tempDir('rp-install-');
    chmodSync(work, 0o755); // the unprivileged user below reaches the install through it
    // dist/ as `npm test` (or CI) built it; `npm pack` alone would clean and rebuild it first.
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo, work);
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packed = info[0].files.map((f) => f.path);
    prefix = join(work, 'prefix');
    const install = run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--omit=dev', '--offline', '--no-audit', '--no-fund', join(work, info[0].filename)],
      work,
      work,
    );
    if (install.status !== 0) throw new Error(`npm install of the tarball failed (from the npm cache, --offline):\n${install.stderr}`);
    installed = join(prefix, 'lib', 'node_modules', 'recpipe');
    bin = join(prefix, 'bin', 'recpipe');
  }, 240_000);

  /** The installed CLI with nothing but PATH (this Node first), a home and `env`. */
  const cli = (args: string[], env: Record<string, string>) => spawnSync(bin, args, { encoding: 'utf8', env: { PATH: `${nodeDir}:/usr/bin:/bin`, ...env } });

  it('packs the compiled code, the bin and the unit, and no sources, tests, maps or infrastructure code', () => {
    expect(packed).toEqual(expect.arrayContaining(['bin/recpipe.js', 'dist/cli/main.js', 'deploy/recpipe-watch.service', 'package.json']));
    expect(packed.filter((p) => /^(src|test|scripts)\/|\.ts$|\.map$|^dist\/infra\//.test(p))).toEqual([]);
    // Every module the CLI can load is in the tarball.
    const needed = [...reachableFrom(join(repo, 'src', 'cli', 'main.ts')).files].map((f) => relative(join(repo, 'src'), f).replace(/\.ts$/, '.js'));
    expect(needed.map((f) => `dist/${f}`).filter((f) => !packed.includes(f))).toEqual([]);
  });

  it('installs production dependencies only: no compiler, test runner, linter or CDK', () => {
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    // Names the lockfile has only as dev packages (a name can be a dev package at one version and a production one at another).
    const name = (p: string) => p.slice(p.lastIndexOf('node_modules/') + 13);
    const entries = Object.entries(lock.packages).filter(([p]) => p);
    const prodNames = new Set(entries.filter(([, v]) => !v.dev).map(([p]) => name(p)));
    const devOnly = new Set(entries.filter(([p, v]) => v.dev && !prodNames.has(name(p))).map(([p]) => name(p)));
    for (const tool of ['typescript', 'jest', 'eslint', 'aws-cdk-lib', 'esbuild', 'puppeteer-core']) expect(devOnly).toContain(tool);
    const present = filesUnder(join(installed, 'node_modules'))
      .filter((f) => f.endsWith('/package.json'))
      .map((f) => {
        const parts = f.split('node_modules/').pop()!.split('/');
        return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
      });
    expect([...new Set(present)].filter((p) => devOnly.has(p))).toEqual([]);
  });

  it('resolves every package any installed module imports', () => {
    const specs = new Set<string>();
    for (const f of filesUnder(join(installed, 'dist')).filter((x) => x.endsWith('.js')))
      for (const s of bareImports(readFileSync(join(installed, 'dist', f), 'utf8'))) specs.add(s);
    expect([...specs].map(packageOf)).toEqual(expect.arrayContaining(['commander', '@duckdb/node-api', 'chokidar']));
    const check = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'const bad = []; for (const s of JSON.parse(process.argv[1])) { try { import.meta.resolve(s); } catch (e) { bad.push(`${s}: ${e.code}`); } } console.log(JSON.stringify(bad));',
        JSON.stringify([...specs]),
      ],
      { cwd: installed, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(JSON.parse(check.stdout)).toEqual([]);
  });

  it('runs --version and the demo from the install, with no dev tree on the path', () => {
    const home = join(work, 'demo-home');
    const version = cli(['--version'], { HOME: work, RECPIPE_HOME: home });
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(VERSION).toBe(pkg.version);
    const demo = cli(['demo'], { HOME: work, RECPIPE_HOME: home });
    expect(`${demo.stdout}${demo.stderr}`).toMatch(/demo passed/);
    expect(demo.status).toBe(0);
  }, 120_000);

  const verifyIt = hasSystemdAnalyze ? it : it.skip;
  verifyIt(`deploy/recpipe-watch.service passes systemd-analyze verify${hasSystemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed)'}`, () => {
    // As on a rig: `recpipe` resolves on systemd's search path to the installed bin.
    const dir = tempDir('rp-unit-');
    const unit = readFileSync(UNIT, 'utf8').replace(/^ExecStart=recpipe /m, `ExecStart=${bin} `);
    writeFileSync(join(dir, 'recpipe-watch.service'), unit);
    const v = spawnSync('systemd-analyze', ['verify', join(dir, 'recpipe-watch.service')], { encoding: 'utf8' });
    expect(v.stderr + v.stdout).toBe('');
    expect(v.status).toBe(0);
    // The back-off drop-in: clean where systemd knows its keys (254+); 252 (Debian 12) would only
    // warn that it ignores them, which is why they are not in the unit itself.
    const version = Number(/systemd (\d+)/.exec(spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).stdout)?.[1]);
    const dropIn = readFileSync(join(repo, 'deploy', 'recpipe-watch.service.d', 'backoff.conf'), 'utf8').replace(/^\[Service\]$/m, '');
    writeFileSync(join(dir, 'recpipe-watch.service'), unit.replace(/^\[Install\]/m, `${dropIn}\n[Install]`));
    const withBackoff = spawnSync('systemd-analyze', ['verify', join(dir, 'recpipe-watch.service')], { encoding: 'utf8' });
    if (version >= 254) expect(withBackoff.stderr).toBe('');
    else expect(withBackoff.stderr).toMatch(/Unknown key 'RestartSteps'/);
  });

  describe('the unit run as an unprivileged user', () => {
    let stack: TestStack;
    beforeAll(async () => {
      if (isRoot) stack = await startTestStack();
    });
    afterAll(() => stack?.stop());

    /** The unit's ExecStart for the installed bin on `sessions`, checked to be what the README installs. */
    function asTheUnitRunsIt(roots: RigFolders['roots'], envFile: string, sessions: string) {
      const { service, env, argv } = unitExecStart({ unitPath: UNIT, roots, envFile, nodeDir, replace: { recpipe: bin, '/data/sessions': sessions } });
      // The unit's own user is `recpipe`; `nobody` stands in for it (any unprivileged user will do).
      expect(service.User).toEqual(['recpipe']);
      expect(service.EnvironmentFile).toEqual(['/etc/recpipe/rig.env']);
      expect(service.ReadOnlyPaths).toEqual(['/data/sessions']);
      return { env, argv, home: env.RECPIPE_HOME, logDir: env.RECPIPE_LOG_DIR };
    }
    const asNobody = asStandIn;

    const rootIt = isRoot ? it : it.skip;
    const skipped = isRoot ? '' : ' (skipped: needs root to run as another user with runuser)';

    rootIt(
      `uploads a session with only the unit's environment, and stops within seconds of SIGTERM${skipped}`,
      async () => {
        const { roots, sessions, uid, gid } = rigFolders();
        const dir = await generateSession(sessions, { name: '20210320_100000', files: 2, bytesPerFile: 64 * 1024, seed: 9 });
        const past = new Date(Date.now() - 120_000);
        for (const n of readdirSync(dir)) utimesSync(join(dir, n), past, past);
        for (const p of [sessions, dir, ...readdirSync(dir).map((n) => join(dir, n))]) chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
        // /etc/recpipe/rig.env: the API's address and the rig's key (and, to keep this test short, a 1 s quiet period).
        const envFile = join(roots.state, 'rig.env');
        writeFileSync(
          envFile,
          `RECPIPE_API_URL=${stack.info.api}\nRECPIPE_API_KEY=${readFileSync(localRigKeyPath(stack.home), 'utf8').trim()}\nRECPIPE_QUIET_PERIOD_SEC=1\n`,
          { mode: 0o600 },
        );
        const { env, argv, home, logDir } = asTheUnitRunsIt(roots, envFile, sessions);
        // StateDirectory= and LogsDirectory=: created for the service's user.
        for (const d of [home, logDir]) {
          mkdirSync(d, { mode: 0o750 });
          chownSync(d, uid, gid);
        }
        const daemon = asNobody(env, argv);
        onCleanup(async () => {
          if (daemon.exitCode === null) {
            daemon.kill('SIGKILL');
            await exitOf(daemon);
          }
        });
        let output = '';
        daemon.stdout.on('data', (d) => (output += d));
        daemon.stderr.on('data', (d) => (output += d));
        await waitForAsync(
          async () => (await stack.raw.head('raw/local-rig/20210320_100000/_manifest.json')) !== undefined,
          60_000,
          `the upload (output so far: ${output})`,
        );
        await expectStored(stack.raw, dir, '20210320_100000');
        // The daemon (node, below runuser and env) holds the watch lock with its pid.
        const watchDirs = readdirSync(join(home, 'watch'));
        const { pid } = JSON.parse(readFileSync(join(home, 'watch', watchDirs[0], 'lock'), 'utf8')) as { pid: number };
        process.kill(pid, 'SIGTERM');
        await waitFor(() => daemon.exitCode !== null, 10_000, 'the daemon to stop after SIGTERM');
        expect(daemon.exitCode).toBe(0);
        expect(output).toMatch(/stopped \(interrupted by SIGTERM\): 1 uploaded/);
        expect(output).not.toMatch(/\n\s+at /);
        // State and log where the unit put them; and the operator's view says it stopped.
        expect(existsSync(join(logDir, 'recpipe.log'))).toBe(true);
        expect(existsSync(join(home, 'logs'))).toBe(false);
        const status = asNobody(env, [bin, 'status', '--root', sessions]);
        let statusOut = '';
        status.stdout.on('data', (d) => (statusOut += d));
        expect(await exitOf(status)).toBe(0);
        expect(statusOut).toMatch(/20210320_100000 .* uploaded/);
        expect(statusOut).toMatch(/daemon not running: stopped at /);
      },
      120_000,
    );

    rootIt(
      `given a home it cannot write, or a rig folder it cannot read, names the folder and the fix in one line, exit 2${skipped}`,
      async () => {
        const { roots, sessions, uid, gid } = rigFolders();
        const envFile = join(roots.state, 'rig.env');
        writeFileSync(envFile, `RECPIPE_API_URL=http://127.0.0.1:9\nRECPIPE_API_KEY=rpk_000000000000_notakeynotakeynotakey\n`);
        const { env, argv, home, logDir } = asTheUnitRunsIt(roots, envFile, sessions);
        // As the README once did: root creates the state folder and never gives it to the user.
        mkdirSync(home, { mode: 0o755 });
        const daemon = asNobody(env, argv);
        let err = '';
        daemon.stderr.on('data', (d) => (err += d));
        expect(await exitOf(daemon)).toBe(2);
        expect(err).toBe(
          `error: RECPIPE_HOME ${home} is not writable by user nobody (EACCES)\n` +
            `  fix: give the folder to that user (sudo chown -R nobody: ${home}) or point RECPIPE_HOME at a folder it owns; under systemd, deploy/recpipe-watch.service's StateDirectory= and LogsDirectory= do this\n`,
        );
        // With its folders fixed (as StateDirectory= and LogsDirectory= do), a rig folder it may not read gets the same treatment.
        chownSync(home, uid, gid);
        mkdirSync(logDir);
        chownSync(logDir, uid, gid);
        chmodSync(sessions, 0o700);
        const again = asNobody(env, argv);
        let out = '';
        again.stdout.on('data', (d) => (out += d));
        again.stderr.on('data', (d) => (out += d));
        expect(await exitOf(again)).toBe(2);
        expect(out).toBe(
          `error: ${sessions} cannot be read by user nobody (EACCES)\n` +
            `  fix: let that user read the recordings, e.g. add it to the group that owns them (SupplementaryGroups= in deploy/recpipe-watch.service)\n`,
        );
      },
      60_000,
    );
  });
});
