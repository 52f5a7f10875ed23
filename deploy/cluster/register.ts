// Registers Dondoc's namespace and its search attributes on a Temporal cluster, from the project's own list
// (libs/contracts/src/workflow/search-attributes.ts). The dev server gets them as command-line flags; a real
// cluster needs them registered once through its API. Safe to run any number of times: what exists is kept.
// `npm run cluster` calls it after the server starts; the containers' one-off job (deploy/docker/init.ts) calls
// registerOn with the TLS / API-key settings of libs/temporal. Run alone, this file connects in plain gRPC to
// TEMPORAL_ADDRESS and registers TEMPORAL_NAMESPACE (a quick fix on a local cluster).
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../libs/contracts/src/workflow/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const TYPES: Record<(typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES], temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

export interface RegisterOptions {
  namespace: string;
  /** How long Temporal keeps a closed workflow's history (Dondoc's own tables keep the record for good). */
  retentionDays?: number;
  /** How long to keep trying while the cluster is still coming up or the attributes are not visible yet. */
  timeoutMs?: number;
  log?: (msg: string) => void;
}

export interface RegisterResult {
  namespaceCreated: boolean;
  /** The attributes this call added (empty when all were there). */
  added: string[];
}

const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;

function grpcCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? (err as { code?: number }).code : undefined;
}

async function retrying<T>(what: string, deadline: number, fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      // A refusal that no retry changes (a bad type, no permission) is reported at once.
      const code = grpcCode(err);
      if (code === 3 /* INVALID_ARGUMENT */ || code === 7 /* PERMISSION_DENIED */ || code === 16 /* UNAUTHENTICATED */) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not succeed in time: ${last instanceof Error ? last.message : String(last)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Registers the namespace if missing and adds any missing search attribute, then waits until all are listed. */
export async function registerNamespaceAndSearchAttributes(connection: Connection, opts: RegisterOptions): Promise<RegisterResult> {
  const log = opts.log ?? (() => undefined);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const { namespace } = opts;
  let namespaceCreated = false;

  const exists = await retrying('describing the namespace', deadline, async () => {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return true;
    } catch (err) {
      if (grpcCode(err) === GRPC_NOT_FOUND) return false;
      throw err;
    }
  });
  if (!exists) {
    await retrying('registering the namespace', deadline, async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          description: 'Dondoc: assignments of local-government plans',
          workflowExecutionRetentionPeriod: msToTs(`${opts.retentionDays ?? 30} days`),
        });
        namespaceCreated = true;
      } catch (err) {
        // Another replica of this job won the race: the namespace is there, which is all we wanted.
        if (grpcCode(err) !== GRPC_ALREADY_EXISTS) throw err;
      }
    });
    log(`Temporal: namespace ${namespace} registered (retention ${opts.retentionDays ?? 30} days)`);
  }
  // A new namespace reaches every service through the namespace cache (refreshed every few seconds): wait
  // until the frontend answers for it before adding attributes to it.
  await retrying('waiting for the namespace', deadline, () => connection.workflowService.describeNamespace({ namespace }));

  const listed = async (): Promise<Record<string, unknown>> =>
    (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  const present = await retrying('listing search attributes', deadline, listed);
  const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in present)) as (keyof typeof SEARCH_ATTRIBUTES)[];
  if (missing.length > 0) {
    await retrying('adding search attributes', deadline, async () => {
      try {
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((name) => [name, TYPES[SEARCH_ATTRIBUTES[name]]])),
        });
      } catch (err) {
        if (grpcCode(err) !== GRPC_ALREADY_EXISTS) throw err;
      }
    });
    log(`Temporal: search attributes added to ${namespace}: ${missing.join(', ')}`);
  }
  await retrying('waiting for the search attributes', deadline, async () => {
    const now = await listed();
    const absent = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in now));
    if (absent.length > 0) throw new Error(`not listed yet: ${absent.join(', ')}`);
  });
  return { namespaceCreated, added: missing };
}

/** For the one-off job: connect, register, disconnect. */
export async function registerOn(connectionOptions: ConnectionOptions, opts: RegisterOptions): Promise<RegisterResult> {
  const connection = await Connection.connect(connectionOptions);
  try {
    return await registerNamespaceAndSearchAttributes(connection, opts);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  registerOn({ address }, { namespace, log: (m) => process.stdout.write(`${m}\n`) })
    .then((r) => process.stdout.write(`Temporal ${address}: namespace ${namespace} ${r.namespaceCreated ? 'created' : 'present'}; search attributes ${r.added.length ? `added ${r.added.join(', ')}` : 'all present'}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
