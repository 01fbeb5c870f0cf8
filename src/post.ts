import { runPost } from './pipeline.js';

// The post step only warns: cleanup never fails the job.
await runPost();
