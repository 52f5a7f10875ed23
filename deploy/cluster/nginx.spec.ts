import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNginxConfig } from './nginx';

describe('the nginx configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-nginx-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('balances over every replica, retries what got no answer, and keeps its files under the cluster folder', () => {
    const layout = writeNginxConfig({ dir, listenPort: 8480, upstreams: [8441, 8442, 8443], clientMaxBodyBytes: 31457280, logDir: join(dir, 'logs') });
    const conf = readFileSync(layout.conf, 'utf8');
    expect(conf.match(/server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=5s;/g)).toEqual([
      'server 127.0.0.1:8441 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:8442 max_fails=1 fail_timeout=5s;',
      'server 127.0.0.1:8443 max_fails=1 fail_timeout=5s;',
    ]);
    expect(conf).toContain('listen 127.0.0.1:8480;');
    // A POST that reached a replica which died is replayed on another one, under the same request id (the API
    // answers a replay with the first answer: docs/idempotency.md).
    expect(conf).toContain('proxy_next_upstream error timeout http_502 http_503 non_idempotent;');
    expect(conf).toContain('proxy_set_header X-Request-Id $request_id;');
    expect(conf).toContain('proxy_next_upstream_tries 3;');
    expect(conf).toContain('client_max_body_size 31457280;');
    expect(conf).toContain('daemon off;');
    expect(conf).toContain(`pid ${join(dir, 'nginx', 'nginx.pid')};`);
    expect(conf).toContain(`access_log ${join(dir, 'logs', 'nginx-access.log')} upstream;`);
    for (const line of conf.split('\n').filter((l) => /_temp_path /.test(l))) expect(line).toContain(layout.tempDir);
    expect(layout.args).toEqual(['-p', join(dir, 'nginx'), '-c', layout.conf, '-e', 'stderr']);
  });
});
