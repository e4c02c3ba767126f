/** The process function is sized from the same platform-limits object local processing uses. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROCESS_LIMITS } from '../../src/config/platform-limits.js';
import { DEFAULT_INFRA, infraConfig } from '../../src/infra/config.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { tempDir } from '../helpers/tmp.js';

describe('the process function sizing', () => {
  it('takes memory, /tmp and timeout from PROCESS_LIMITS', () => {
    // Prepare
    const app = new App({ outdir: tempDir('rp-cdk-') });
    const stack = new RecpipeStack(app, 'Limits', DEFAULT_INFRA, { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false });
    // Act
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const [, fn] = Object.entries(fns).find(([id]) => id.includes('ProcessFunction'))!;
    // Assess
    expect(fn.Properties).toMatchObject({
      MemorySize: PROCESS_LIMITS.memoryMb,
      Timeout: PROCESS_LIMITS.timeoutSec,
      EphemeralStorage: { Size: PROCESS_LIMITS.ephemeralStorageMb },
    });
  });

  it('refuses context values Lambda would refuse, naming the setting', () => {
    expect(() => infraConfig((k) => (k === 'processorEphemeralMb' ? '20000' : undefined))).toThrow(
      /ephemeral storage \(MB\) 20000 is outside what Lambda accepts \(512-10240\)/,
    );
    expect(() => infraConfig((k) => (k === 'processorTimeoutSec' ? '1200' : undefined))).toThrow(/timeout \(s\) 1200/);
  });
});
