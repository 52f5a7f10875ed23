// Recorded histories of the current workflows replay against today's bundle: a change that would break
// workflows already running in production (a reordered activity, a removed timer) fails here, in CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromPlainObject } from './history-json';

const DIR = join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

describe('replay of recorded histories', () => {
  beforeAll(() => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  });

  // The tests' bundle has the tracing interceptors; the untraced one is what production workers run with tracing off.
  const options = (bundle: 'traced' | 'untraced' = 'traced') => ({
    workflowBundle: { codePath: bundle === 'traced' ? process.env.WORKFLOW_BUNDLE_PATH! : process.env.WORKFLOW_BUNDLE_PATH_UNTRACED! },
  });

  it('has the recorded histories of every workflow type', () => {
    // Histories are kept from before each patch too: those are the runs a deploy must not break.
    expect(files).toEqual([
      'assignment-amended.json',
      'assignment-extension-cancelled.json',
      'assignment-ladder-approved-one-activity.json',
      'assignment-ladder-approved-patched.json',
      'assignment-ladder-approved.json',
      'assignment-late-start-one-activity.json',
      'assignment-late-start-patched.json',
      'assignment-late-start.json',
      'mail-batch.json',
      'plan-activation.json',
      'plan-amendment.json',
      'plan-cancelled.json',
    ]);
  });

  it.each(files)('replays %s without a determinism error', async (file) => {
    await expect(Worker.runReplayHistory(options(), historyFromPlainObject(load(file)), file)).resolves.toBeUndefined();
  });

  it.each(files)('replays %s without a determinism error on the bundle without tracing', async (file) => {
    await expect(Worker.runReplayHistory(options('untraced'), historyFromPlainObject(load(file)), file)).resolves.toBeUndefined();
  });

  it('rejects a history whose commands no longer match the code', async () => {
    const json = load('assignment-ladder-approved.json') as { events: { eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[] };
    const scheduled = json.events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    scheduled!.activityTaskScheduledEventAttributes!.activityType.name = 'anActivityTheCodeNeverCalls';
    await expect(Worker.runReplayHistory(options(), historyFromPlainObject(json), 'tampered')).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
