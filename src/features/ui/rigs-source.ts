/**
 * The Rigs page's data: per rig, what its `recpipe watch` reported (rig-events.ts), its uploads
 * from the catalog, its sessions' one state (failing, needing a look) and its API keys (active,
 * revoked), so a rig whose sessions die or whose key was revoked does not look normal.
 */
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { listKeys } from '../../backend/keys/manage-keys.js';
import { readSessions, withQueryEngine } from '../query/session-view.js';
import { foldRigEvents, readRigEvents } from './rig-events.js';
import type { UiPorts } from './profile-source.js';
import type { RigSummary, RigsResult, SessionState } from './source.js';

const blank = (rig: string): RigSummary => ({
  rig,
  waiting: [],
  invalid: [],
  failed: [],
  catalogued: 0,
  failing: [],
  attention: [],
  keys: { active: 0, revoked: [] },
});

export async function readRigs(config: Config, ports: Pick<UiPorts, 'openEngine' | 'keyStore'>, states: () => Promise<SessionState[]>): Promise<RigsResult> {
  const dir = join(config.home, 'logs');
  const rigs = foldRigEvents(config.profile === 'local' ? await readRigEvents(dir) : []);
  const rig = (name: string) => {
    let r = rigs.get(name);
    if (!r) rigs.set(name, (r = blank(name)));
    r.failing ??= [];
    r.attention ??= [];
    r.keys ??= { active: 0, revoked: [] };
    return r;
  };
  for (const s of await withQueryEngine(ports.openEngine, (engine) => readSessions(engine))) {
    const r = rig(s.rig);
    r.catalogued++;
    // A session in the catalog was uploaded even by a rig that ships no events (plain `upload`).
    if (s.uploaded_at && (!r.lastUpload || s.uploaded_at > r.lastUpload)) r.lastUpload = s.uploaded_at;
  }
  for (const s of await states()) {
    const r = rig(s.sessionId.split('/')[0]);
    if (s.tone === 'failing') r.failing!.push(s.sessionId);
    else if (s.tone === 'attention') r.attention!.push(s.sessionId);
  }
  const { store } = await ports.keyStore();
  for (const k of await listKeys(store)) {
    const r = rig(k.rig);
    if (k.revokedAt) r.keys!.revoked.push({ id: k.id, revokedAt: k.revokedAt });
    else r.keys!.active++;
  }
  const eventSource =
    config.profile === 'local' ? `rig events from ${dir}` : 'rig events live in the CloudWatch log group (not read by the ui yet); uploads from the catalog';
  return { rigs: [...rigs.values()].map((r) => rig(r.rig)).sort((a, b) => (a.rig < b.rig ? -1 : 1)), now: new Date().toISOString(), eventSource };
}
