// nginx in front of the API replicas: its configuration and the account its workers run as. It runs as a
// foreground child of the cluster supervisor (`daemon off`), with every path it writes under the cluster's folder.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { reachableBy, type RunAs } from '../local/postgres';

export const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

export function findNginx(): string | null {
  if (process.env.NGINX_PATH) return existsSync(process.env.NGINX_PATH) ? process.env.NGINX_PATH : null;
  return NGINX_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function accountOf(name: string): RunAs | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name, switched: true };
}

export interface NginxLayout {
  conf: string;
  args: string[];
  /** The account nginx's worker processes run as (root's nginx drops to it), or null when we are not root. */
  workerAccount: RunAs | null;
  /** Where the workers buffer request and response bodies. */
  tempDir: string;
}

/**
 * Writes nginx.conf for the replicas. Retries: a request that got no answer from a replica (refused connection,
 * a replica killed mid-request, timeout before an answer, a 502/503 from a replica going down) goes to the next
 * one, POST/PATCH/DELETE included (`non_idempotent`): every attempt carries the same `X-Request-Id`
 * ($request_id is made once per client request), and the API runs each state-changing request once per id and
 * answers a replay with the first answer (docs/idempotency.md), so a decision or an upload is never applied twice.
 */
export function writeNginxConfig(opts: {
  dir: string;
  listenPort: number;
  upstreams: number[];
  clientMaxBodyBytes: number;
  logDir: string;
}): NginxLayout {
  const nginxDir = join(opts.dir, 'nginx');
  mkdirSync(nginxDir, { recursive: true });
  // As root, nginx's master reads the configuration and opens the logs; its workers switch to an unprivileged
  // account and must be able to write the body buffers. A checkout under /root (mode 700) is out of reach
  // for them, as for PostgreSQL (deploy/local/postgres.ts): the buffers then go to a folder under /var/tmp.
  const workerAccount = isRoot() ? (accountOf('www-data') ?? accountOf('nobody')) : null;
  let tempDir = join(nginxDir, 'tmp');
  if (workerAccount && !reachableBy(join(tempDir, 'x'), workerAccount)) {
    const key = createHash('sha256').update(resolve(opts.dir)).digest('hex').slice(0, 16);
    tempDir = join(existsSync('/var/tmp') ? '/var/tmp' : '/tmp', `dondoc-nginx-${key}`);
  }
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(tempDir, sub), { recursive: true, mode: 0o700 });
    if (workerAccount) chownSync(join(tempDir, sub), workerAccount.uid, workerAccount.gid);
  }
  if (workerAccount) chownSync(tempDir, workerAccount.uid, workerAccount.gid);
  const servers = opts.upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`);
  const conf = [
    '# Written by deploy/cluster/nginx.ts on every start: edit that file, not this one.',
    'daemon off;',
    'worker_processes 2;',
    ...(workerAccount ? [`user ${workerAccount.name};`] : []),
    `pid ${join(nginxDir, 'nginx.pid')};`,
    // Its own errors go to stderr, which the supervisor writes to logs/nginx.log.
    'error_log stderr warn;',
    'events { worker_connections 2048; }',
    'http {',
    // The API sets its own content types; the table only matters for anything nginx answers itself.
    ...(existsSync('/etc/nginx/mime.types') ? ['  include /etc/nginx/mime.types;'] : []),
    "  log_format upstream '$remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent $request_time upstream=$upstream_addr upstream_status=$upstream_status upstream_time=$upstream_response_time id=$request_id';",
    `  access_log ${join(opts.logDir, 'nginx-access.log')} upstream;`,
    `  client_max_body_size ${opts.clientMaxBodyBytes};`,
    `  client_body_temp_path ${join(tempDir, 'client_body')};`,
    `  proxy_temp_path ${join(tempDir, 'proxy')};`,
    `  fastcgi_temp_path ${join(tempDir, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(tempDir, 'uwsgi')};`,
    `  scgi_temp_path ${join(tempDir, 'scgi')};`,
    '  server_tokens off;',
    '  upstream dondoc_api {',
    ...servers,
    '    keepalive 64;',
    '  }',
    '  server {',
    `    listen 127.0.0.1:${opts.listenPort};`,
    '    location / {',
    '      proxy_pass http://dondoc_api;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $http_host;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
    '      proxy_set_header X-Request-Id $request_id;',
    // non_idempotent is safe only because of the API's idempotency keys (X-Request-Id above): see the doc comment.
    '      proxy_next_upstream error timeout http_502 http_503 non_idempotent;',
    `      proxy_next_upstream_tries ${Math.max(2, opts.upstreams.length)};`,
    '      proxy_next_upstream_timeout 15s;',
    '      proxy_connect_timeout 2s;',
    // Exports of a whole district take a while; an answer slower than this is a fault.
    '      proxy_read_timeout 300s;',
    '      proxy_send_timeout 300s;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  const confFile = join(nginxDir, 'nginx.conf');
  writeFileSync(confFile, conf);
  return { conf: confFile, args: ['-p', nginxDir, '-c', confFile, '-e', 'stderr'], workerAccount, tempDir };
}
