// Moved to libs/contracts/src/workflow (`@app/contracts/workflow`). Only apps/worker still imports
// `@app/workflows/contracts`; once it switches, delete this file and the `@app/workflows/*` alias in tsconfig.json.
export * from '../../libs/contracts/src/workflow';
