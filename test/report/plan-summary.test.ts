import { describe, expect, it } from 'vitest';
import { planSummaryHtml } from '../../src/report/plan-summary.js';
import { planOf } from '../support/inputs.js';

describe('plan summary', () => {
  it('lists what would be built by wave, with versions and why', () => {
    const html = planSummaryHtml(
      [
        planOf('web', {
          version: 'v2.0.1',
          previous: 'v2.0.0',
          wave: 1,
          reason: 'base base changed',
        }),
        planOf('base', { version: 'v1.0.0', previous: '' }),
        planOf('api', { version: 'v1.4.0', previous: 'v1.3.9', wave: 1 }),
      ],
      { heading: 'push a1b2c3d..e4f5a6b', notes: ['old was deleted: not built'] },
    );
    expect(html).toContain('<p>push a1b2c3d..e4f5a6b</p>');
    expect(html).toContain('<p>3 images to build in 2 waves, each after the one before.</p>');
    const rows = html.split('\n').filter((l) => l.startsWith('<tr><td>'));
    expect(rows).toEqual([
      '<tr><td>0</td><td><code>base</code></td><td><code>docker.io/myorg/base</code></td><td><b>v1.0.0</b> (new)</td><td>changed</td></tr>',
      '<tr><td>1</td><td><code>api</code></td><td><code>docker.io/myorg/api</code></td><td>v1.3.9 → <b>v1.4.0</b></td><td>changed</td></tr>',
      '<tr><td>1</td><td><code>web</code></td><td><code>docker.io/myorg/web</code></td><td>v2.0.0 → <b>v2.0.1</b></td><td>base base changed</td></tr>',
    ]);
    expect(html).toContain('<li>old was deleted: not built</li>');
  });

  it('says when nothing changed, and why there is no plan', () => {
    expect(planSummaryHtml([])).toContain('No image directory changed: nothing to build.');
    const failed = planSummaryHtml([], { failure: 'No plan: use `fetch-depth: 0` <now>' });
    expect(failed).toContain('❌ No plan: use <code>fetch-depth: 0</code> &lt;now&gt;');
    expect(failed).not.toContain('nothing to build');
  });

  it('names the directories that cannot be built, escaped', () => {
    const html = planSummaryHtml([planOf('api', { version: 'v1.0.0' })], {
      failures: [{ directory: 'Bad_<x>', error: 'cannot be an image name' }],
      versionGiven: true,
    });
    expect(html).toContain('<p>1 image to build.</p>');
    expect(html).toContain('<td><b>v1.0.0</b></td>');
    expect(html).toContain('<li><code>Bad_&lt;x&gt;</code>: cannot be an image name</li>');
  });
});
