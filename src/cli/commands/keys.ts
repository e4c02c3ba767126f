import type { Command } from 'commander';
import type { Register } from './index.js';
import { EVENTS } from '../../core/events.js';
import { word } from '../flags/positional.js';

export const registerKeys: Register = (program: Command, run) => {
  const keys = program
    .command('keys')
    .description('enrol rigs: create, list and revoke their API keys')
    .addHelpText('after', '\nExamples:\n  $ recpipe keys create --rig rig-01 --label "lab 2"\n  $ recpipe keys list\n');
  keys
    .command('create')
    .description('create an API key for a rig; the key is shown once and stored only as a hash')
    .addHelpText(
      'after',
      '\nExample:\n  $ recpipe keys create --rig rig-01 --label "lab 2"\n  $ recpipe --profile aws --json keys create --rig rig-01   # {id, rig, apiKey}\n',
    )
    .action(
      run('keys create', async (rt, { rig, label }) => {
        const { createKey } = await import('../../backend/keys/manage-keys.js');
        const { store, where } = await rt.services(rt.config()).keyStore();
        const key = await createKey(store, rig, new Date(), label);
        rt.logger.log('info', EVENTS.keysCreated.name, { id: key.id, rig: key.rig, store: where });
        if (!rt.json) rt.reporter.warn('this key is shown only once and cannot be shown again: store it now (RECPIPE_API_KEY on the rig)');
        return {
          data: { id: key.id, rig: key.rig, apiKey: key.apiKey },
          human: `created key ${key.id} for rig ${key.rig} in ${where}\n\n  ${key.apiKey}\n`,
        };
      }),
    );
  keys
    .command('list')
    .description('list enrolled keys (id, rig, label, created, revoked); never the keys themselves')
    .addHelpText('after', '\nExample:\n  $ recpipe keys list --json\n')
    .action(
      run('keys list', async (rt) => {
        const { listKeys } = await import('../../backend/keys/manage-keys.js');
        const { store, where } = await rt.services(rt.config()).keyStore();
        const list = await listKeys(store);
        const rows = [['ID', 'RIG', 'LABEL', 'CREATED', 'REVOKED'], ...list.map((k) => [k.id, k.rig, k.label ?? '-', k.createdAt, k.revokedAt ?? '-'])];
        const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
        const table = rows
          .map((r) =>
            r
              .map((c, i) => c.padEnd(widths[i]))
              .join('  ')
              .trimEnd(),
          )
          .join('\n');
        return { data: list, human: list.length === 0 ? `no keys in ${where}; create one with \`recpipe keys create --rig NAME\`` : table };
      }),
    );
  keys
    .command('revoke')
    .description('revoke a key: it can no longer authenticate, and its tokens stop working on their next call')
    .argument('<id>', 'key id, as shown by `recpipe keys list`')
    .addHelpText('after', '\nExample:\n  $ recpipe keys revoke k3v9x2m4q8ab\n')
    .action(
      run('keys revoke', async (rt, _flags, id) => {
        const { revokeKey } = await import('../../backend/keys/manage-keys.js');
        const { store } = await rt.services(rt.config()).keyStore();
        const key = await revokeKey(store, word(id), new Date());
        rt.logger.log('info', EVENTS.keysRevoked.name, { id: key.id, rig: key.rig });
        return { data: key, human: `revoked key ${key.id} of rig ${key.rig} (since ${key.revokedAt})` };
      }),
    );
};
