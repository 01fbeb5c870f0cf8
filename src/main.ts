import { runMain } from './action/main-step.js';
import { run } from './action/run.js';

await run(runMain);
