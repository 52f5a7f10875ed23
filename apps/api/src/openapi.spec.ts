import 'reflect-metadata';
import { type DynamicModule, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { buildOpenApiDocument, NOTIFICATION_MODE_VALUES, type Operation, operations, OUTBOX_STATUS_VALUES } from '@app/contracts';
import { NOTIFICATION_MODES, OUTBOX_STATUSES } from '@app/persistence';
import { parseConfig } from '@app/config';
import { ApiModule } from './api.module';

/** Routes that are deliberately not in the API document: the signed e-mail link is a page, not an API. */
const NOT_DOCUMENTED = new Set(['get /a/{assignmentId}']);

type ModuleLike = Type<unknown> | DynamicModule | Promise<DynamicModule>;

/** Every controller Nest would register, found the way Nest finds them: through the modules' metadata. */
function controllersOf(root: ModuleLike, seen = new Set<unknown>()): Array<Type<unknown>> {
  if (seen.has(root) || root instanceof Promise) return [];
  seen.add(root);
  const isDynamic = typeof root === 'object' && 'module' in root;
  const cls = isDynamic ? root.module : root;
  const imports: ModuleLike[] = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as ModuleLike[] | undefined) ?? []), ...(isDynamic ? (root.imports as ModuleLike[] | undefined) ?? [] : [])];
  const controllers: Array<Type<unknown>> = [...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, cls) as Array<Type<unknown>> | undefined) ?? []), ...(isDynamic ? root.controllers ?? [] : [])];
  return [...controllers, ...imports.filter(Boolean).flatMap((m) => controllersOf(m, seen))];
}

function join(...parts: string[]): string {
  const path = parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p))
    .join('/');
  return `/${path}`;
}

function registeredRoutes(): string[] {
  const config = parseConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused', SECRET_KEY: 'x'.repeat(48), CAUGHT_MAIL_DIR: '/tmp/dondoc-openapi-spec' }, { requireSecret: false });
  const routes = new Set<string>();
  for (const ctrl of new Set(controllersOf(ApiModule.forRoot(config)))) {
    const base = (Reflect.getMetadata(PATH_METADATA, ctrl) as string | undefined) ?? '';
    const proto = ctrl.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      routes.add(`${RequestMethod[method].toLowerCase()} ${join(base, path)}`);
    }
  }
  return [...routes].sort();
}

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters: Array<{ name: string; in: string }> }>> };

  it('documents exactly the routes Nest registers', () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    const registered = registeredRoutes().filter((r) => !NOT_DOCUMENTED.has(r));
    expect(registered.length).toBeGreaterThan(50);
    expect(documented).toEqual(registered);
  });

  it('gives every operation its success response, the error envelope and its path parameters', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const declared = (operations as Record<string, Operation>)[Object.keys(operations).find((k) => (operations as Record<string, Operation>)[k]!.path === path && (operations as Record<string, Operation>)[k]!.method === method)!]!;
        expect(Object.keys(op.responses)).toContain(String(declared.status));
        expect(Object.keys(op.responses)).toContain('500');
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(names.sort());
      }
    }
  });

  it('keeps the lists it shares with the stores equal to theirs', () => {
    expect([...OUTBOX_STATUS_VALUES]).toEqual([...OUTBOX_STATUSES]);
    expect([...NOTIFICATION_MODE_VALUES]).toEqual([...NOTIFICATION_MODES]);
  });

  it('declares the session cookie and the CSRF header', () => {
    const full = buildOpenApiDocument() as { security: unknown; components: { securitySchemes: Record<string, { in: string; name: string }> } };
    expect(full.components.securitySchemes.session).toMatchObject({ in: 'cookie', name: 'dondoc_session' });
    expect(full.components.securitySchemes.csrf).toMatchObject({ in: 'header', name: 'x-csrf-token' });
    expect(full.security).toEqual([{ session: [], csrf: [] }]);
  });
});
