/** Outputs and the job summary: what the step tells the workflow and the person reading it. */
import * as core from '@actions/core';
import { Output } from '../contract.js';
import type { ImagePlan, ImageResult, ImageStatus } from '../build/result.js';

export interface MatrixEntry {
  directory: string;
  version: string;
  previous: string;
}

/** The `matrix` output: no registry, namespace or user name, so no secret can blank it. */
export function matrixOf(plans: readonly ImagePlan[]): { include: MatrixEntry[] } {
  return {
    include: plans.map((p) => ({
      directory: p.directory,
      version: p.version,
      previous: p.previous,
    })),
  };
}

/** Sets `changed`, `directories` and `matrix` for the planned directories. */
export function writePlanOutputs(plans: readonly ImagePlan[]): void {
  const sorted = [...plans].sort((a, b) => compareStrings(a.directory, b.directory));
  core.setOutput(Output.Changed, sorted.length > 0 ? 'true' : 'false');
  core.setOutput(Output.Directories, JSON.stringify(sorted.map((p) => p.directory)));
  core.setOutput(Output.Matrix, JSON.stringify(matrixOf(sorted)));
}

/** The objects of the `images` output, one per directory. */
export function imagesOf(results: readonly ImageResult[]): object[] {
  return results.map((r) => ({
    directory: r.directory,
    image: r.image,
    version: r.version,
    tags: r.tags,
    digest: r.digest,
    status: r.status,
    error: r.error,
  }));
}

export function writeImagesOutput(results: readonly ImageResult[]): void {
  core.setOutput(Output.Images, JSON.stringify(imagesOf(results)));
}

/** Byte-wise order, the same on every machine (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Escapes text for an HTML table cell of the job summary. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n/g, '<br>');
}

const STATUS_LABEL: Record<ImageStatus, string> = {
  pushed: '✅ pushed',
  built: '☑️ built (not pushed)',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export interface SummaryOptions {
  /** A line above the table, e.g. the compared range. */
  heading?: string;
  /** Why nothing could be built (the plan failed), instead of a table. */
  failure?: string;
  /** The versions came from the `version` input: an empty `previous` does not mean new. */
  versionGiven?: boolean;
  /** Directories that were not built, with the reason (shown below the table). */
  notes?: string[];
}

function versionCell(r: ImageResult, versionGiven: boolean): string {
  if (!r.version) return '—';
  const version = `<b>${escapeCell(r.version)}</b>`;
  if (r.previous) return `${escapeCell(r.previous)} → ${version}`;
  return versionGiven ? version : `${version} (new)`;
}

/** The job summary as HTML: a table with one row per directory. Pure, for tests. */
export function summaryHtml(results: readonly ImageResult[], options: SummaryOptions = {}): string {
  const lines: string[] = ['<h2>kaniko-release</h2>'];
  if (options.heading) lines.push(`<p>${escapeCell(options.heading)}</p>`);
  if (options.failure) {
    lines.push(`<p>❌ ${escapeCell(options.failure)}</p>`);
  } else if (results.length === 0) {
    lines.push('<p>No image directory changed: nothing to build.</p>');
  } else {
    const counts = new Map<ImageStatus, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    lines.push(
      `<p>${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}</p>`,
      '<table>',
      '<tr><th>Directory</th><th>Image</th><th>Version</th><th>Digest</th><th>Status</th><th>Duration</th></tr>',
    );
    for (const r of results) {
      const image = r.webUrl
        ? `<a href="${escapeCell(r.webUrl)}"><code>${escapeCell(r.image)}</code></a>`
        : `<code>${escapeCell(r.image)}</code>`;
      const version = versionCell(r, options.versionGiven ?? false);
      const digest = r.digest
        ? `<code title="${escapeCell(r.digest)}">${escapeCell(r.digest.slice(0, 19))}…</code>`
        : '';
      const status = r.error
        ? `${STATUS_LABEL[r.status]}<br>${escapeCell(r.error)}`
        : STATUS_LABEL[r.status];
      lines.push(
        `<tr><td><code>${escapeCell(r.directory)}</code></td><td>${image}</td><td>${version}</td><td>${digest}</td><td>${status}</td><td>${formatDuration(r.durationMs)}</td></tr>`,
      );
    }
    lines.push('</table>');
  }
  if (options.notes && options.notes.length > 0) {
    lines.push('<ul>', ...options.notes.map((n) => `<li>${escapeCell(n)}</li>`), '</ul>');
  }
  return lines.join('\n') + '\n';
}

/** Appends the summary to the job summary file; a runner without one only gets a debug line. */
export async function writeSummary(
  results: readonly ImageResult[],
  options: SummaryOptions = {},
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('No GITHUB_STEP_SUMMARY: the job summary is not written.');
    return;
  }
  await core.summary.addRaw(summaryHtml(results, options)).write();
}
