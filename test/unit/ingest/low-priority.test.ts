import { jest } from '@jest/globals';
import { lowerPriority, type PriorityDeps } from '../../../src/features/ingest/low-priority.js';
import type { Logger } from '../../../src/core/ports.js';

const logger: Logger = { log: () => undefined, child: () => logger };

describe('the watch daemon priority', () => {
  it('sets nice 19 and asks ionice for best-effort 7 on its own pid', () => {
    const setPriority = jest.fn<PriorityDeps['setPriority']>();
    const run = jest.fn<PriorityDeps['run']>(() => 0);
    expect(lowerPriority(logger, { setPriority, run, pid: 4242, logger })).toEqual({ cpu: true, io: true });
    expect(setPriority).toHaveBeenCalledWith(4242, 19);
    expect(run).toHaveBeenCalledWith('ionice', ['-c', '2', '-n', '7', '-p', '4242']);
  });

  it('carries on without ionice or without the right to renice', () => {
    const deps: PriorityDeps = {
      setPriority: () => {
        throw new Error('EACCES');
      },
      run: () => null,
      pid: 1,
      logger,
    };
    expect(lowerPriority(logger, deps)).toEqual({ cpu: false, io: false });
  });
});
