// Test support for the domain specs (not exported from the barrel).
import { isDomainError } from './errors';

/** The DomainError code `fn` throws, 'not-a-domain-error' for any other error, undefined when it returns. */
export function domainErrorCodeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isDomainError(e) ? e.code : 'not-a-domain-error';
  }
  return undefined;
}
