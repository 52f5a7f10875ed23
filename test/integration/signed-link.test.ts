// The link in the emails opens the assignment page only while it is genuine and unexpired.
import { signedLink } from '@app/notifications';
import { type RunningApi, startApiApp, testConfig } from '../support/harness';

describe('signed assignment links', () => {
  const config = testConfig();
  let api: RunningApi;
  const id = 'asg:5b0c6a3e-1f1f-4c4c-9d9d-000000000001:V.3.4:VQ-XA-AN-SON:once';

  beforeAll(async () => {
    api = await startApiApp(config);
  });

  afterAll(async () => {
    await api?.close();
  });

  const open = async (link: string): Promise<{ status: number; location: string | null }> => {
    const res = await fetch(link, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location') };
  };

  it('redirects a valid link to the assignment page (which asks for a login when needed)', async () => {
    const link = signedLink({ publicUrl: api.baseUrl, assignmentId: id, secret: config.secretKey, expiresAt: new Date(Date.now() + 3600_000) });
    expect(await open(link)).toEqual({ status: 302, location: `/assignments/${encodeURIComponent(id)}` });
  });

  it('sends a tampered or expired link to the login page with the reason', async () => {
    const valid = signedLink({ publicUrl: api.baseUrl, assignmentId: id, secret: config.secretKey, expiresAt: new Date(Date.now() + 3600_000) });
    const tampered = valid.replace('VQ-XA-AN-SON', 'VQ-XA-BINH-PHUC');
    expect(await open(tampered)).toEqual({ status: 302, location: '/login?link=invalid' });
    const expired = signedLink({ publicUrl: api.baseUrl, assignmentId: id, secret: config.secretKey, expiresAt: new Date(Date.now() - 1000) });
    expect(await open(expired)).toEqual({ status: 302, location: '/login?link=expired' });
    const otherSecret = signedLink({ publicUrl: api.baseUrl, assignmentId: id, secret: 'another-secret-of-sufficient-length', expiresAt: new Date(Date.now() + 3600_000) });
    expect(await open(otherSecret)).toEqual({ status: 302, location: '/login?link=invalid' });
  });
});
