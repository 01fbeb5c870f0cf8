import { runPlan } from './action/plan-step.js';
import { run } from './action/run.js';

await run(runPlan);
