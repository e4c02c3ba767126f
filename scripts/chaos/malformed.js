// Scenario 6: malformed and concurrent requests against the API and the S3 gateway of a stack
// running as a child (`recpipe local up`), so that a crash shows as its exit. Target: no 5xx
// answer to malformed input, no crash, and of concurrent commits of one session one commits.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, mutate, send, templates } from './requests.js';
import { lastLine } from './upload.js';
import { generateSession, RIG, sleep, stackChild, start } from './util.js';

const FUZZED = 120;

export async function malformed({ r, seed, home }) {
  const stack = await stackChild(home);
  const api = stack.info.api;
  const s3 = stack.info.s3;
  const answers = [];
  const ask = async (base, req, what) => {
    const res = await send(base, req);
    answers.push({ what: what ?? `${req.method ?? 'GET'} ${req.path.slice(0, 80)}`, status: res.status, body: res.body, sent: req.body });
    return res;
  };
  const apiKey = readFileSync(join(home, 'local', 'rig-key'), 'utf8').trim();
  const auth = await send(api, { method: 'POST', path: '/v1/auth', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey }) });
  const token = JSON.parse(auth.body).token;
  const session = '20210303_120000';

  // Named cases: the ones issue 12 lists, each every run.
  await ask(api, { method: 'POST', path: '/v1/auth', headers: { 'content-type': 'application/json' }, body: '{"apiKey":' }, 'bad JSON on auth');
  await ask(api, { method: 'POST', path: '/v1/auth', body: JSON.stringify({ apiKey: 'rpk_nope_nope' }) }, 'unknown API key');
  await ask(api, { method: 'POST', path: '/v1/commit', headers: bearer(token), body: 'x'.repeat(2 * 1024 * 1024) }, 'huge body (2 MiB)');
  for (const uploadId of ['unknown-upload-id', '', '../../etc', '%%%', 'x'.repeat(5000), 'a/b?c=d']) {
    const body = JSON.stringify({
      session,
      file: 'data_00.bin',
      uploadId,
      parts: [{ partNumber: 1, etag: '"e"', checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }],
    });
    await ask(
      api,
      { method: 'POST', path: '/v1/multipart/complete', headers: bearer(token), body },
      `complete with uploadId ${JSON.stringify(uploadId.slice(0, 20))}`,
    );
  }
  for (const authorization of [undefined, 'Bearer', 'Bearer garbage', `Bearer ${token.slice(0, -2)}xx`, `Basic ${token}`, `Bearer ${token} extra`]) {
    await ask(
      api,
      { method: 'GET', path: `/v1/sessions/${session}`, headers: authorization ? { authorization } : {} },
      `token ${JSON.stringify((authorization ?? 'none').slice(0, 12))}`,
    );
  }
  for (const [method, path] of [
    ['GET', '/v1/commit'],
    ['PUT', '/v1/presign'],
    ['DELETE', '/v1/auth'],
    ['PATCH', '/v1/events'],
    ['GET', '/v1/sessions/%E0%A4%A'],
    ['GET', '/v1/sessions/a%ZZ'],
    ['POST', '/v1/sessions/x'],
    ['GET', '/nope'],
  ]) {
    await ask(api, { method, path, headers: bearer(token) });
  }
  for (const [method, path] of [
    ['GET', '/recpipe-raw/%E0%A4%A'],
    ['GET', '/recpipe-raw/a%ZZb'],
    ['GET', '/%'],
    ['PATCH', '/recpipe-raw/x'],
    ['PUT', '/recpipe-raw/raw/x'],
    ['GET', '/recpipe-raw/x?uploadId=%ZZ&partNumber=-1'],
    ['POST', '/recpipe-raw/x?uploads'],
    ['DELETE', '/recpipe-raw'],
  ]) {
    await ask(
      s3,
      { method, path, headers: method === 'PUT' ? { 'content-type': 'application/octet-stream' } : {}, body: method === 'PUT' ? 'x'.repeat(1024) : undefined },
      `gateway ${method} ${path}`,
    );
    await ask(
      s3,
      { method, path, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/20210101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } },
      `gateway bad signature ${method} ${path}`,
    );
  }
  await presignedAbuse(api, token, session, ask);

  // Seeded fuzzing of every route's body.
  const routes = templates(session);
  for (let i = 0; i < FUZZED; i++) {
    const t = routes[r.int(0, routes.length - 1)];
    await ask(api, { method: t.method, path: t.path, headers: bearer(token), body: mutate(r, t.body) }, `fuzzed ${t.path}`);
  }

  const race = await commitRace(stack, home, seed, token);
  answers.push(...race.answers);

  const fiveXx = answers.filter((a) => typeof a.status === 'number' && a.status >= 500);
  // The body sent is part of the message: a fuzzed one cannot be told from the seed by eye.
  const failures = [
    ...new Set(
      fiveXx.map(
        (a) =>
          `${a.status} to ${a.what}${typeof a.sent === 'string' ? ` (sent ${JSON.stringify(a.sent.slice(0, 200))})` : ''}: ${a.body
            .replace(/<\?xml[^>]*>/, '')
            .replace(/\s+/g, ' ')
            .slice(0, 160)}`,
      ),
    ),
  ];
  const crashed = !stack.alive();
  if (crashed) failures.push(`the stack crashed: ${lastLine(stack.output())}`);
  failures.push(...race.problems);
  await stack.stop();
  return {
    failures,
    figures: {
      requests: answers.length,
      fiveXx: fiveXx.length,
      resets: answers.filter((a) => a.status === 'reset').length,
      crashes: crashed ? 1 : 0,
      raceCommitted: race.committed,
    },
  };
}

/** A presigned PUT sent tampered, with the wrong size and with the wrong bytes. */
async function presignedAbuse(api, token, session, ask) {
  const body = '\0'.repeat(10);
  const p = await send(api, { method: 'POST', path: '/v1/presign', headers: bearer(token), body: JSON.stringify(templates(session)[0].body) });
  if (p.status !== 200) return;
  const { url, headers } = JSON.parse(p.body);
  const u = new URL(url);
  const path = u.pathname + u.search;
  await ask(
    u.origin,
    { method: 'PUT', path: path.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'), headers, body },
    'presigned PUT, signature tampered',
  );
  await ask(u.origin, { method: 'PUT', path: path.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=999999'), headers, body }, 'presigned PUT, expiry tampered');
  await ask(u.origin, { method: 'PUT', path, headers: { ...headers, 'content-length': '11' }, body: body + 'x' }, 'presigned PUT, wrong size');
  await ask(u.origin, { method: 'PUT', path, headers, body: '\x01'.repeat(10) }, 'presigned PUT, wrong bytes');
}

/**
 * Concurrent commits of one session: while the CLI uploads a copy of a committed session under
 * a new name, commits of that copy's manifest are fired 8 at a time until the session is
 * committed. At most one answer may say `committed`; no answer may be a 5xx.
 */
async function commitRace(stack, home, seed, token) {
  const root = join(home, 'rig');
  const a = await generateSession(root, { name: '20210301_120000', seed, files: 1, bytesPerFile: 256 * 1024 });
  const env = { RECPIPE_HOME: home };
  const first = await start(['upload', a], env).done;
  if (first.code !== 0) return { answers: [], problems: [`upload of the race's first session exited ${first.code}: ${lastLine(first.out)}`], committed: 0 };
  const manifest = JSON.parse(String(await stack.raw.get(`raw/${RIG}/20210301_120000/_manifest.json`)));
  const name = '20210302_120000';
  cpSync(a, join(root, name), { recursive: true });
  const copy = { ...manifest, sessionId: `${RIG}/${name}`, session: name, recordedAt: '2021-03-02T12:00:00' };
  const up = start(['upload', join(root, name)], env);
  const answers = [];
  const fire = async () => {
    const batch = await Promise.all(
      Array.from({ length: 8 }, () =>
        send(stack.info.api, { method: 'POST', path: '/v1/commit', headers: bearer(token), body: JSON.stringify({ manifest: copy }) }),
      ),
    );
    answers.push(...batch.map((b) => ({ what: 'concurrent commit', status: b.status, body: b.body })));
  };
  while (up.child.exitCode === null && !answers.some((x) => x.body.includes('"committed"'))) {
    await fire();
    await sleep(5);
  }
  await fire();
  await up.done;
  const committed = answers.filter((x) => x.body.includes('"status":"committed"')).length;
  const problems = committed > 1 ? [`${committed} concurrent commits of ${name} all answered "committed"`] : [];
  if (!(await stack.raw.head(`raw/${RIG}/${name}/_manifest.json`))) problems.push(`${name}: not committed after the commit race`);
  return { answers, problems, committed };
}
