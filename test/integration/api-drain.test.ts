// A replica that is told to stop while a proxy keeps sending over kept-alive connections (nginx in the cluster)
// must stop promptly and answer what it was already asked (apps/api/src/common/connection-drain.ts).
import { Agent, request } from 'node:http';
import { startApiApp, testConfig } from '../support/harness';

interface Outcome {
  status: number;
  connectionHeader: string | undefined;
  sentAfterStop: boolean;
}

function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API replica stopping behind a keep-alive proxy', () => {
  it('closes kept-alive connections after their current response and stops within seconds', async () => {
    const api = await startApiApp(testConfig());
    // Four connections, each reused for request after request, as nginx's upstream keepalive does.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let stopAt: number | null = null;
    const outcomes: Outcome[] = [];
    const errors: string[] = [];
    const loop = async (): Promise<void> => {
      const giveUpAt = Date.now() + 30_000;
      while (Date.now() < giveUpAt) {
        const sentAfterStop = stopAt !== null;
        try {
          const res = await get(`${api.baseUrl}/api/auth/me`, agent);
          outcomes.push({ status: res.status, connectionHeader: res.connection, sentAfterStop });
        } catch (err) {
          // Refused: the listening socket is closed, so a proxy would go to another replica. That ends the loop.
          errors.push((err as NodeJS.ErrnoException).code ?? String(err));
          return;
        }
      }
    };
    const loops = [loop(), loop(), loop(), loop()];
    while (outcomes.length < 40) await new Promise((r) => setTimeout(r, 20));

    stopAt = Date.now();
    await api.close();
    const stopMs = Date.now() - stopAt;
    await Promise.all(loops);
    agent.destroy();

    // Without the drain, close() waits as long as the clients keep sending (30 s here; the supervisor's SIGKILL
    // after 20 s in the cluster).
    expect(stopMs).toBeLessThan(5_000);
    // Every loop ended when the replica stopped listening: refused, or reset on a connection idle at that instant
    // (no answer had begun; nginx retries that on the other replica).
    expect(errors).toHaveLength(4);
    for (const code of errors) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(code);
    // Every request the replica took got its whole answer (no session: 401), none a 5xx or a cut-off body.
    expect(outcomes.length).toBeGreaterThanOrEqual(40);
    expect(outcomes.filter((o) => o.status !== 401)).toEqual([]);
    // A response written after the stop began tells the client not to reuse the connection.
    for (const o of outcomes.filter((x) => x.sentAfterStop)) expect(o.connectionHeader).toBe('close');
  }, 60_000);
});
