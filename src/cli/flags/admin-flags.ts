/** The program's own flags and those of the operator's commands: config, configure, keys, local, ui, demo. */
import { PROFILES } from '../../config/schema.js';
import { rigName } from '../../config/named-types.js';
import { integer, oneOf, text } from '../../config/value-types.js';
import { option, optionOr, required, toggle } from './declare.js';

/** Before every command: `recpipe --json upload ...`. */
export const GLOBAL_FLAGS = {
  json: toggle('--json', 'machine-readable output on stdout, nothing else'),
  profile: option('--profile <name>', "configuration profile (default: RECPIPE_PROFILE, else the config file's, else local)", oneOf(PROFILES)),
  debug: toggle('--debug', 'show stack traces of unexpected errors'),
};

const port = integer(0, 65535);

export const ADMIN_FLAGS = {
  'config show': {},
  configure: {
    fromStack: required('--from-stack <outputs.json>', 'the outputs file of `cdk deploy`', text),
    default: toggle('--default', 'also make aws the default profile'),
  },
  'keys create': {
    rig: required('--rig <name>', 'rig name (lowercase letters, digits, dashes)', rigName),
    label: option('--label <text>', 'a note to recognise the key by, e.g. where it is installed', text),
  },
  'keys list': {},
  'keys revoke': {},
  'local up': {
    apiPort: option('--api-port <port>', 'API port (default: a free one)', port),
    s3Port: option('--s3-port <port>', 'S3 endpoint port (default: a free one)', port),
    processing: toggle('--no-processing', 'do not process committed sessions'),
  },
  'local status': {},
  ui: {
    port: optionOr('--port <port>', 'port to listen on; 0 picks a free one', port, 0),
    host: optionOr('--host <address>', 'address to bind; a non-loopback one needs --allow-remote', text, '127.0.0.1'),
    allowRemote: toggle('--allow-remote', 'allow binding an address other machines can reach (the token still guards every page)'),
    open: toggle('--no-open', 'do not open a browser, only print the URL'),
  },
  demo: {
    sizeKb: optionOr('--size-kb <n>', 'size of each synthetic data file in KB', integer(1, 1_048_576), 512),
  },
};
