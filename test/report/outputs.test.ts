import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matrixOf, writeImagesOutput, writePlanOutputs } from '../../src/report/outputs.js';
import { escapeCell, formatDuration, summaryHtml, writeSummary } from '../../src/report/summary.js';
import type { ImagePlan, ImageResult } from '../../src/contract.js';
import { planOf } from '../support/inputs.js';
import { parseCommandFile } from '../support/run-action.js';

const plan = (directory: string, version: string, previous: string): ImagePlan =>
  planOf(directory, { namespace: 'secret-user', version, previous });

const result = (overrides: Partial<ImageResult>): ImageResult => ({
  directory: 'airflow-api',
  image: 'docker.io/myorg/airflow-api',
  version: 'v1.0.5',
  previous: 'v1.0.4',
  tags: ['v1.0.5', 'latest'],
  digest: 'sha256:' + 'ab'.repeat(32),
  platforms: {},
  reason: 'changed',
  status: 'pushed',
  error: '',
  durationMs: 61_500,
  webUrl: 'https://hub.docker.com/r/myorg/airflow-api',
  ...overrides,
});

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  process.env.GITHUB_OUTPUT = path.join(dir, 'output');
  process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'summary');
  fs.writeFileSync(process.env.GITHUB_OUTPUT, '');
  fs.writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
});
afterEach(() => {
  process.env = { ...saved };
});

describe('plan outputs', () => {
  it('writes changed, sorted directories and a matrix without registry, namespace or user', () => {
    writePlanOutputs([plan('b-img', 'v1.0.0', ''), plan('a-img', 'v1.0.5', 'v1.0.4')]);
    const outputs = parseCommandFile(fs.readFileSync(process.env.GITHUB_OUTPUT!, 'utf8'));
    expect(outputs.changed).toBe('true');
    expect(outputs.directories).toBe('["a-img","b-img"]');
    expect(JSON.parse(outputs.matrix!)).toEqual({
      include: [
        { directory: 'a-img', version: 'v1.0.5', previous: 'v1.0.4', wave: 0 },
        { directory: 'b-img', version: 'v1.0.0', previous: '', wave: 0 },
      ],
    });
    expect(outputs.matrix).not.toContain('secret-user');
    expect(outputs.matrix).not.toContain('docker.io');
  });

  it('writes changed=false and empty lists when nothing is to be built', () => {
    writePlanOutputs([]);
    const outputs = parseCommandFile(fs.readFileSync(process.env.GITHUB_OUTPUT!, 'utf8'));
    expect(outputs).toEqual({
      changed: 'false',
      directories: '[]',
      matrix: '{"include":[]}',
      waves: '[]',
    });
  });

  it('writes one matrix per wave, in wave order, each sorted by directory', () => {
    writePlanOutputs([
      plan('z-app', 'v1.0.1', 'v1.0.0'),
      { ...plan('b-app', 'v2.0.1', 'v2.0.0'), wave: 1, reason: 'base z-app changed' },
      { ...plan('a-app', 'v3.0.1', 'v3.0.0'), wave: 1, reason: 'base z-app changed' },
      { ...plan('c-top', 'v1.0.0', ''), wave: 2, reason: 'base b-app changed' },
    ]);
    const outputs = parseCommandFile(fs.readFileSync(process.env.GITHUB_OUTPUT!, 'utf8'));
    const waves = JSON.parse(outputs.waves!) as {
      include: { directory: string; wave: number }[];
    }[];
    expect(waves.map((w) => w.include.map((e) => `${e.wave}:${e.directory}`))).toEqual([
      ['0:z-app'],
      ['1:a-app', '1:b-app'],
      ['2:c-top'],
    ]);
    expect(JSON.parse(outputs.matrix!).include).toHaveLength(4);
  });

  it('matrixOf keeps the order it is given', () => {
    expect(
      matrixOf([plan('z', 'v1', ''), plan('a', 'v2', 'v1')]).include.map((e) => e.directory),
    ).toEqual(['z', 'a']);
  });
});

describe('images output', () => {
  it('has exactly the contract fields per directory', () => {
    writeImagesOutput([
      result({}),
      result({ directory: 'x', status: 'failed', digest: '', error: 'boom' }),
    ]);
    const outputs = parseCommandFile(fs.readFileSync(process.env.GITHUB_OUTPUT!, 'utf8'));
    const images = JSON.parse(outputs.images!) as Record<string, unknown>[];
    expect(images).toHaveLength(2);
    expect(images[0]).toEqual({
      directory: 'airflow-api',
      image: 'docker.io/myorg/airflow-api',
      version: 'v1.0.5',
      previous: 'v1.0.4',
      tags: ['v1.0.5', 'latest'],
      digest: 'sha256:' + 'ab'.repeat(32),
      platforms: {},
      reason: 'changed',
      status: 'pushed',
      error: '',
    });
    expect(Object.keys(images[0]!).sort()).toEqual([
      'digest',
      'directory',
      'error',
      'image',
      'platforms',
      'previous',
      'reason',
      'status',
      'tags',
      'version',
    ]);
    expect(images[1]).toMatchObject({
      directory: 'x',
      status: 'failed',
      error: 'boom',
      digest: '',
    });
  });
});

describe('job summary', () => {
  it('has one row per directory with previous → new version, tags, digest, status and duration', () => {
    const html = summaryHtml([
      result({ tags: ['v1.0.5', 'latest', 'v1', 'sha-0123abc'] }),
      result({
        directory: 'new-img',
        previous: '',
        version: 'v1.0.0',
        status: 'built',
        digest: '',
        webUrl: '',
      }),
    ]);
    expect(html).toContain(
      '<th>Directory</th><th>Image</th><th>Version</th><th>Tags</th><th>Digest</th><th>Status</th><th>Duration</th>',
    );
    expect(html).toContain(
      '<td><code>v1.0.5</code> <code>latest</code> <code>v1</code> <code>sha-0123abc</code></td>',
    );
    // Not pushed: no link to a page that may not exist.
    expect(html).toContain('<td><code>docker.io/myorg/airflow-api</code></td>');
    expect(html).toContain('v1.0.4 → <b>v1.0.5</b>');
    expect(html).toContain('<b>v1.0.0</b> (new)');
    expect(html).toContain(
      '<a href="https://hub.docker.com/r/myorg/airflow-api"><code>docker.io/myorg/airflow-api</code></a>',
    );
    expect(html).toContain(`title="sha256:${'ab'.repeat(32)}"`);
    expect(html).toContain('1 min 2 s');
    expect(html).toContain('1 pushed, 1 built');
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('escapes directory names and errors', () => {
    const html = summaryHtml([
      result({
        directory: '<img src=x onerror=alert(1)>|a',
        status: 'failed',
        error: 'line1\n"quoted" & <b>',
      }),
    ]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&#124;a');
    expect(html).toContain('line1<br>&quot;quoted&quot; &amp; &lt;b&gt;');
  });

  it('shows a given version without calling it new, and a dash where there is none', () => {
    const html = summaryHtml(
      [
        result({ previous: '' }),
        result({ directory: 'bad_', version: '', previous: '', status: 'failed', error: 'x' }),
      ],
      { versionGiven: true },
    );
    expect(html).toContain('<td><b>v1.0.5</b></td>');
    expect(html).not.toContain('(new)');
    expect(html).toContain('<td>—</td>');
  });

  it('lists the platforms of an index, and an unchanged image with the version it keeps', () => {
    const arm = `sha256:${'cd'.repeat(32)}`;
    const html = summaryHtml([
      result({ platforms: { 'linux/amd64': `sha256:${'ef'.repeat(32)}`, 'linux/arm64': arm } }),
      result({ directory: 'same', version: 'v2.0.1', previous: 'v2.0.1', status: 'unchanged' }),
    ]);
    expect(html).toContain(
      `<br><sub>linux/arm64 <code title="${arm}">sha256:cdcdcdcdcdcd…</code></sub>`,
    );
    expect(html).toContain('<sub>linux/amd64 <code');
    expect(html).toContain('<td><b>v2.0.1</b></td>');
    expect(html).toContain('🟰 unchanged');
    expect(html).toContain('1 pushed, 1 unchanged');
  });

  it('says why nothing was built when the plan failed, with `…` spans as code', () => {
    const html = summaryHtml([], {
      failure: 'No image was built: <bad> revision; use `fetch-depth: 0`',
    });
    expect(html).toContain(
      '❌ No image was built: &lt;bad&gt; revision; use <code>fetch-depth: 0</code>',
    );
    expect(html).not.toContain('`');
    expect(html).not.toContain('No image directory changed');
  });

  it('says when there was nothing to build', () => {
    expect(summaryHtml([], { heading: 'push a..b' })).toContain('No image directory changed');
  });

  it('is appended to GITHUB_STEP_SUMMARY', async () => {
    await writeSummary([result({})], { notes: ['old-img was deleted: not built'] });
    const text = fs.readFileSync(process.env.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(text).toContain('<code>airflow-api</code>');
    expect(text).toContain('<li>old-img was deleted: not built</li>');
  });

  it.each([
    [250, '250 ms'],
    [1500, '1.5 s'],
    [125_000, '2 min 5 s'],
  ])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('escapeCell leaves plain text alone', () => {
    expect(escapeCell('airflow-api v1.0.5')).toBe('airflow-api v1.0.5');
  });
});
