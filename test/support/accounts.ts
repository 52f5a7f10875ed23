// The sample accounts' password in tests. Test-only: the app has no default (npm start generates one per
// installation), so nothing here can leak into a real installation.
export const TEST_SAMPLE_PASSWORD = 'test-only-Sample-pass-1';
