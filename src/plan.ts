import { runPlan } from './plan-stage.js';
import { run } from './run.js';

await run(runPlan);
