// Connecting to a Temporal that requires mTLS, through the same options the API, the worker and the CLI use
// (temporalConnectionOptions). The CLI dev server speaks only plain gRPC, so a TLS terminator in front of it plays
// the secured frontend: it asks for a client certificate signed by the test CA (as Temporal's
// `global.tls.frontend.client.requireClientAuth` does) and pipes the decrypted HTTP/2 to the dev server.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { type INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { type AppConfig } from '@app/config';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestReport } from '@app/contracts/workflow';
import { explainTemporalConnectionError, TemporalClientProvider, temporalConnectionOptions } from '@app/temporal';
import { startWorkerApp, testConfig } from '../support/harness';

const dir = mkdtempSync(join(tmpdir(), 'dondoc-temporal-tls-'));
const f = (name: string): string => join(dir, name);
const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });

function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.pem`), '-days', '2', '-subj', `/CN=${name}`);
}
function makeLeaf(name: string, ca: string, extensions: string): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
  writeFileSync(f(`${name}.ext`), extensions);
  openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.pem`), '-CAkey', f(`${ca}.key`), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '2', '-extfile', f(`${name}.ext`));
}

describe('Temporal over mTLS', () => {
  let proxy: Server;
  let address: string;
  /** The client certificate's common name of every TLS session the terminator accepted. */
  const accepted: string[] = [];
  const opened: INestApplicationContext[] = [];

  beforeAll(async () => {
    makeCa('dondoc-test-ca');
    makeCa('unrelated-ca');
    // The name the server certificate is issued for is not the address dialled: TEMPORAL_TLS_SERVER_NAME bridges it.
    makeLeaf('frontend', 'dondoc-test-ca', 'subjectAltName=DNS:temporal-frontend.test\nextendedKeyUsage=serverAuth\n');
    makeLeaf('dondoc-worker', 'dondoc-test-ca', 'extendedKeyUsage=clientAuth\n');
    const [host, port] = process.env.DONDOC_TEST_TEMPORAL_ADDRESS!.split(':');
    proxy = createServer(
      {
        key: readFileSync(f('frontend.key')),
        cert: readFileSync(f('frontend.pem')),
        ca: readFileSync(f('dondoc-test-ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      (socket: TLSSocket) => {
        accepted.push(String(socket.getPeerCertificate().subject?.CN));
        const upstream = netConnect(Number(port), host);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      },
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const app of opened) await app.close();
    await new Promise((resolve) => proxy?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (env: Record<string, string>): AppConfig => testConfig({ TEMPORAL_ADDRESS: address, ...env });
  const mtls = { TEMPORAL_TLS_CA_FILE: f('dondoc-test-ca.pem'), TEMPORAL_TLS_CERT_FILE: f('dondoc-worker.pem'), TEMPORAL_TLS_KEY_FILE: f('dondoc-worker.key'), TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend.test' };

  it('runs a workflow end to end: the worker polls and the API client starts it, both through mTLS', async () => {
    const cfg = config(mtls);
    const worker = await startWorkerApp(cfg);
    opened.push(worker);
    // The worker app's client is the API's (TemporalClientProvider, Connection.lazy); its worker is NativeConnection.
    const client = worker.get(TemporalClientProvider).client;
    const report = await client.workflow.execute<(input: { unitCodes: string[] }) => Promise<DailyDigestReport>>(DAILY_DIGEST_WORKFLOW, {
      taskQueue: cfg.temporal.taskQueue,
      workflowId: `tls-${randomUUID()}`,
      args: [{ unitCodes: ['KHONG-CO-DON-VI-NAY'] }],
      workflowExecutionTimeout: '60s',
    });
    expect(report.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(report.created).toEqual([]);
    const pollers = await client.workflowService.describeTaskQueue({ namespace: cfg.temporal.namespace, taskQueue: { name: cfg.temporal.taskQueue }, taskQueueType: 1 });
    expect(pollers.pollers?.length).toBeGreaterThan(0);
    // Every session the terminator let through carried the client certificate.
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(accepted)).toEqual(new Set(['dondoc-worker']));
  });

  const refusal = async (cfg: AppConfig): Promise<{ client: string; worker: string }> => {
    const options = temporalConnectionOptions(cfg);
    const client = await Connection.connect({ ...options, connectTimeout: '4s' }).then(
      async (c) => {
        // A lazy failure shows on the first call.
        try {
          await new Client({ connection: c }).workflowService.getSystemInfo({});
          return 'connected';
        } finally {
          await c.close();
        }
      },
      (err: unknown) => String(err),
    );
    // What the worker's start-up reports (apps/worker/src/temporal-worker.service.ts explains the same way).
    const worker = await NativeConnection.connect(options).then(
      async (c) => {
        await c.close();
        return 'connected';
      },
      (err: unknown) => explainTemporalConnectionError(err, cfg).message,
    );
    return { client, worker };
  };

  it('refuses a server whose certificate another CA signed, with a certificate error', async () => {
    const { client, worker } = await refusal(config({ ...mtls, TEMPORAL_TLS_CA_FILE: f('unrelated-ca.pem') }));
    expect(client).not.toBe('connected');
    expect(worker).not.toBe('connected');
    expect(worker).toMatch(/^Cannot connect to Temporal at 127\.0\.0\.1:\d+ namespace=default mTLS \(own CA\): the server's certificate is not signed by the CA in TEMPORAL_TLS_CA_FILE\./);
  });

  it('is refused by the server without a client certificate (mTLS required)', async () => {
    const { TEMPORAL_TLS_CERT_FILE: _c, TEMPORAL_TLS_KEY_FILE: _k, ...tlsOnly } = mtls;
    const { client, worker } = await refusal(config(tlsOnly));
    expect(client).not.toBe('connected');
    // The refusal arrives as an alert (CertificateRequired) or, depending on timing, as a closed connection.
    expect(worker).toMatch(/TLS \(own CA\): the server .*a client certificate \(mTLS\).* set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE/);
  });

  it('fails clearly when a plain connection dials the TLS port', async () => {
    const { client, worker } = await refusal(config({}));
    expect(client).not.toBe('connected');
    expect(worker).not.toBe('connected');
    expect(worker).toMatch(/plain: the server closed a plain connection: if it requires TLS set TEMPORAL_TLS=true/);
  });
});
