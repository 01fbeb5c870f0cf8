import { runPost } from './action/post-step.js';

// The post step only warns: cleanup never fails the job.
await runPost();
