import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerUi: Register = (program: Command, run) => {
  program
    .command('ui')
    .description('serve a read-only web view of the catalog, processing and rigs on loopback, until Ctrl-C')
    .addHelpText(
      'after',
      '\nThe URL carries a random token (as Jupyter does); anyone with the URL can read the catalog.\nThe browser is opened on a private redirect file ($RECPIPE_HOME/ui/open-<pid>.html), so the\ntoken is on no command line.\n\nExamples:\n  $ recpipe ui                      open the view of the configured profile in a browser\n  $ recpipe ui --no-open --port 8765\n  $ ssh -L 8765:127.0.0.1:8765 ec2-node recpipe ui --no-open --port 8765   (then open the printed URL locally)\n',
    )
    .action(
      run('ui', async (rt, o) => {
        const { startUi, openBrowser } = await import('../../features/ui/start-ui.js');
        const config = rt.config();
        const ui = await startUi(config, () => rt.services(config), { host: o.host, port: o.port, allowRemote: o.allowRemote, logger: rt.logger });
        rt.io.stdout.write(rt.json ? JSON.stringify({ url: ui.url }) + '\n' : `recpipe ui (read-only) is serving at\n  ${ui.url}\nPress Ctrl-C to stop.\n`);
        const opened = o.open ? openBrowser(ui, rt.home, rt.logger) : undefined;
        await new Promise<void>((resolve) => (rt.signal.aborted ? resolve() : rt.signal.addEventListener('abort', () => resolve(), { once: true })));
        opened?.close();
        await ui.close();
        return { data: { url: ui.url, stopped: true }, human: 'stopped' };
      }),
    );
};
