/**
 * The local S3-compatible endpoint: s3rver (storage, S3 protocol) on a unix socket in a private
 * directory, behind the verifying gateway that clients talk to. s3rver checks no signature, so
 * it has no TCP port at all: the gateway is the only way in.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeEvents, type ObjectCreatedEvent, type StoreEvents } from '../../core/events/store-events.js';
import { ensurePrivateDir } from '../private-dir.js';
// s3rver ships no types; the surface used here is small.
import S3rver from 's3rver';
import { createGateway } from './gateway.js';
import { FaultInjector } from './faults.js';
import { GatewayStats } from './stats.js';
import { ChecksumStore } from './checksum-store.js';
import { PartStore } from './part-store.js';
import { WriteIntents } from './write-intents.js';
import { cleanLeftovers, type CleanupReport } from './startup-cleanup.js';
import { probeNameMax } from './name-max.js';
import { storeWholeObjects, type S3rverStore } from './s3rver-writes.js';

export interface S3ServiceOptions {
  dataDir: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  buckets: { raw: string; lake: string };
  /** Gateway port; 0 or undefined picks a free one. */
  port?: number;
  /** Smallest non-last multipart part accepted (S3: 5 MiB). */
  minPartSize?: number;
  now?: () => number;
}

export type { ObjectCreatedEvent };

export interface S3Service {
  url: string;
  /** Emits 'object-created' with an ObjectCreatedEvent after each successful write. */
  events: StoreEvents;
  stats: GatewayStats;
  faults: FaultInjector;
  /** What start-up cleared of an earlier run's leftovers (startup-cleanup.ts). */
  cleanup: CleanupReport;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo | string>;
  close(): Promise<void>;
  store: S3rverStore;
}

/**
 * Starts s3rver (data under `dataDir/s3rver`, both buckets created) on a unix socket in a fresh
 * 0700 directory and the verifying gateway on `port` (0: any free one) of 127.0.0.1. Clients
 * use `url` with `credentials`; nothing reaches s3rver unauthenticated or unchecked. Every
 * directory under `dataDir` is 0700. Sidecar state (object checksums, validated parts) lives
 * under `dataDir` too, so a restart on the same folder keeps enforcing, and leftovers of a run
 * that was killed are cleared before serving (startup-cleanup.ts). `close()` stops both
 * servers and their sockets and removes the socket's directory.
 */
export async function startS3Service(o: S3ServiceOptions): Promise<S3Service> {
  ensurePrivateDir(o.dataDir);
  const storeDir = ensurePrivateDir(join(o.dataDir, 's3rver'));
  const tmpDir = ensurePrivateDir(join(o.dataDir, 'tmp'));
  ensurePrivateDir(join(o.dataDir, 'checksums'));
  ensurePrivateDir(join(o.dataDir, 'parts'));
  const socket = socketPlace(o.dataDir);
  const socketPath = socket.path;
  const Ctor = S3rver as new (opts: Record<string, unknown>) => S3rverInstance;
  // s3rver hands port and address to server.listen(port, address, ...): a path as the port
  // makes Node listen on that unix socket.
  const s3rver = new Ctor({
    port: socketPath,
    address: undefined,
    silent: true,
    directory: storeDir,
    configureBuckets: [{ name: o.buckets.raw }, { name: o.buckets.lake }],
  });
  storeWholeObjects(s3rver.store, tmpDir);
  try {
    await s3rver.run();
  } catch (e) {
    socket.release();
    throw e;
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const events = storeEvents();
  const stats = new GatewayStats();
  const faults = new FaultInjector();
  const upstream = { socketPath, agent };
  const parts = new PartStore(join(o.dataDir, 'parts'));
  const intents = new WriteIntents(ensurePrivateDir(join(o.dataDir, 'writes')));
  let cleanup: CleanupReport;
  try {
    cleanup = await cleanLeftovers({ upstream, intents, parts, tmpDir, storeDir, buckets: [o.buckets.raw, o.buckets.lake], now: (o.now ?? Date.now)() });
  } catch (e) {
    agent.destroy();
    await s3rver.close();
    socket.release();
    throw e;
  }
  const server = createGateway({
    upstream,
    credentials: o.credentials,
    buckets: o.buckets,
    minPartSize: o.minPartSize ?? 5 * 1024 * 1024,
    limits: { nameMax: probeNameMax(tmpDir) },
    tmpDir,
    events,
    faults,
    stats,
    checksums: new ChecksumStore(join(o.dataDir, 'checksums')),
    parts,
    intents,
    now: o.now,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    await s3rver.close();
    socket.release();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    stats,
    faults,
    cleanup,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
      await s3rver.close();
      socket.release();
      events.removeAllListeners();
    },
  };
}

/**
 * Where s3rver's unix socket lives: always in `dataDir/sock` (0700), so a stack killed with -9
 * leaves it inside its own data dir, where the next start replaces it, and nothing in the
 * system temp dir. A socket path is limited to ~104 bytes: when the full path is longer, the
 * socket is reached through /proc/self/fd/<fd of the folder>/ on Linux (the folder stays open for
 * the stack's life). Elsewhere a long path still falls back to a fresh folder in the temp dir.
 */
function socketPlace(dataDir: string): { dir: string; path: string; release(): void } {
  const near = join(dataDir, 'sock');
  const fits = join(near, 's3rver.sock').length <= 100;
  if (!fits && process.platform !== 'linux') {
    const dir = mkdtempSync(join(tmpdir(), 'rp-s3sock-'));
    return { dir, path: join(dir, 's3rver.sock'), release: () => rmSync(dir, { recursive: true, force: true }) };
  }
  rmSync(near, { recursive: true, force: true });
  const dir = ensurePrivateDir(near);
  if (fits) return { dir, path: join(dir, 's3rver.sock'), release: () => rmSync(dir, { recursive: true, force: true }) };
  const fd = openSync(dir, 'r');
  return {
    dir,
    path: `/proc/self/fd/${fd}/s3rver.sock`,
    release: () => {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
