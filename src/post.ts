import { runPost } from './action/main-step.js';

// The post step only warns: cleanup never fails the job.
await runPost();
