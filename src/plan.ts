import { runPlan } from './pipeline.js';
import { run } from './run.js';

await run(runPlan);
