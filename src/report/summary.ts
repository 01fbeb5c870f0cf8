/** The job summary: what the step tells the person reading the run. */
import * as core from '@actions/core';
import type { ImageResult, ImageStatus } from '../contract.js';
import { shortDigest } from '../lib/oci.js';

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

/** Escapes text, then shows `…` spans (the action's messages use them) as code. */
export function escapeText(text: string): string {
  return escapeCell(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const STATUS_LABEL: Record<ImageStatus, string> = {
  pushed: '✅ pushed',
  built: '☑️ built (not pushed)',
  unchanged: '🟰 unchanged',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

interface SummaryOptions {
  /** A line above the table, e.g. the compared range. */
  heading?: string;
  /** Why nothing could be built (the plan failed), instead of a table. */
  failure?: string;
  /** The versions came from the `version` input: an empty `previous` does not mean new. */
  versionGiven?: boolean;
  /** Directories that were not built, with the reason (shown below the table). */
  notes?: string[];
}

/** `previous → version`, or `version (new)` for an image without one (unless it was given). */
export function versionCell(
  r: { version: string; previous: string },
  versionGiven: boolean,
): string {
  if (!r.version) return '—';
  const version = `<b>${escapeCell(r.version)}</b>`;
  // An unchanged image keeps its version: it is both.
  if (r.previous === r.version) return version;
  if (r.previous) return `${escapeCell(r.previous)} → ${version}`;
  return versionGiven ? version : `${version} (new)`;
}

/** A digest as `sha256:0123456789ab…`, the whole of it in the title. */
function digestCell(digest: string): string {
  return `<code title="${escapeCell(digest)}">${escapeCell(shortDigest(digest))}…</code>`;
}

/** Each platform of an index with its manifest's digest, one per line. */
function platformLines(platforms: Readonly<Record<string, string>>): string {
  return Object.entries(platforms)
    .map(([name, digest]) => `<br><sub>${escapeCell(name)} ${digestCell(digest)}</sub>`)
    .join('');
}

/** The job summary as HTML: a table with one row per directory. Pure, for tests. */
export function summaryHtml(results: readonly ImageResult[], options: SummaryOptions = {}): string {
  const lines: string[] = ['<h2>kaniko-release</h2>'];
  if (options.heading) lines.push(`<p>${escapeCell(options.heading)}</p>`);
  if (options.failure) {
    lines.push(`<p>❌ ${escapeText(options.failure)}</p>`);
  } else if (results.length === 0) {
    lines.push('<p>No image directory changed: nothing to build.</p>');
  } else {
    const counts = new Map<ImageStatus, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    lines.push(
      `<p>${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}</p>`,
      '<table>',
      '<tr><th>Directory</th><th>Image</th><th>Version</th><th>Tags</th><th>Digest</th><th>Status</th><th>Duration</th></tr>',
    );
    for (const r of results) {
      const image = r.webUrl
        ? `<a href="${escapeCell(r.webUrl)}"><code>${escapeCell(r.image)}</code></a>`
        : `<code>${escapeCell(r.image)}</code>`;
      const version = versionCell(r, options.versionGiven ?? false);
      const tags = r.tags.map((t) => `<code>${escapeCell(t)}</code>`).join(' ');
      const digest = r.digest ? digestCell(r.digest) + platformLines(r.platforms) : '';
      const status = r.error
        ? `${STATUS_LABEL[r.status]}<br>${escapeText(r.error)}`
        : STATUS_LABEL[r.status];
      lines.push(
        `<tr><td><code>${escapeCell(r.directory)}</code>${r.reason ? `<br><sub>${escapeCell(r.reason)}</sub>` : ''}</td><td>${image}</td><td>${version}</td><td>${tags}</td><td>${digest}</td><td>${status}</td><td>${formatDuration(r.durationMs)}</td></tr>`,
      );
    }
    lines.push('</table>');
  }
  if (options.notes && options.notes.length > 0) {
    lines.push('<ul>', ...options.notes.map((n) => `<li>${escapeText(n)}</li>`), '</ul>');
  }
  return lines.join('\n') + '\n';
}

/** Appends HTML to the job summary file; a runner without one only gets a debug line. */
export async function writeJobSummary(html: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('No GITHUB_STEP_SUMMARY: the job summary is not written.');
    return;
  }
  await core.summary.addRaw(html).write();
}

/** Appends the summary to the job summary file; a runner without one only gets a debug line. */
export async function writeSummary(
  results: readonly ImageResult[],
  options: SummaryOptions = {},
): Promise<void> {
  await writeJobSummary(summaryHtml(results, options));
}
