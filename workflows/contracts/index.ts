// Moved to libs/contracts/src/workflow (`@app/contracts/workflow`): this re-export keeps `@app/workflows/contracts`
// working for the code not yet changed over. New code imports the contracts library.
export * from '../../libs/contracts/src/workflow';
