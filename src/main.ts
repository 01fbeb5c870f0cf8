import { runMain } from './pipeline.js';
import { run } from './run.js';

await run(runMain);
