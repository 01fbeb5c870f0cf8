/**
 * The plan action's job summary: what would be built, with which version, in which wave and
 * why — or why there is no plan.
 */
import type { DirectoryFailure, ImagePlan } from '../contract.js';
import { compareStrings } from './outputs.js';
import { escapeCell, escapeText, versionCell, writeJobSummary } from './summary.js';
import { plural } from '../lib/names.js';
import { waveCount } from '../graph/waves.js';

interface PlanSummaryOptions {
  /** How the directories were found (the compared range). */
  heading?: string;
  /** Why there is no plan at all. */
  failure?: string;
  /** Directories that cannot be built (the plan action fails for them). */
  failures?: readonly DirectoryFailure[];
  /** Directories not built and why (deleted, lost their Dockerfile). */
  notes?: readonly string[];
  /** The versions came from the `version` input. */
  versionGiven?: boolean;
}

/** The plan summary as HTML. Pure, for tests. */
export function planSummaryHtml(
  plans: readonly ImagePlan[],
  options: PlanSummaryOptions = {},
): string {
  const lines = ['<h2>kaniko-release plan</h2>'];
  if (options.heading) lines.push(`<p>${escapeCell(options.heading)}</p>`);
  const failures = options.failures ?? [];
  if (options.failure) {
    lines.push(`<p>❌ ${escapeText(options.failure)}</p>`);
  } else if (plans.length === 0 && failures.length === 0) {
    lines.push('<p>No image directory changed: nothing to build.</p>');
  } else if (plans.length > 0) {
    const waves = waveCount(plans);
    lines.push(
      `<p>${plural(plans.length, 'image', 'images')} to build${waves > 1 ? ` in ${waves} waves, each after the one before` : ''}.</p>`,
      '<table>',
      '<tr><th>Wave</th><th>Directory</th><th>Image</th><th>Version</th><th>Why</th></tr>',
    );
    const sorted = [...plans].sort(
      (a, b) => a.wave - b.wave || compareStrings(a.directory, b.directory),
    );
    for (const p of sorted) {
      lines.push(
        `<tr><td>${p.wave}</td><td><code>${escapeCell(p.directory)}</code></td><td><code>${escapeCell(p.ref.reference)}</code></td><td>${versionCell(p, options.versionGiven ?? false)}</td><td>${escapeCell(p.reason)}</td></tr>`,
      );
    }
    lines.push('</table>');
  }
  if (failures.length > 0) {
    lines.push(
      `<p>❌ ${plural(failures.length, 'directory cannot', 'directories cannot')} be built:</p>`,
      '<ul>',
      ...failures.map(
        (f) => `<li><code>${escapeCell(f.directory)}</code>: ${escapeText(f.error)}</li>`,
      ),
      '</ul>',
    );
  }
  if (options.notes && options.notes.length > 0) {
    lines.push('<ul>', ...options.notes.map((n) => `<li>${escapeText(n)}</li>`), '</ul>');
  }
  return lines.join('\n') + '\n';
}

/** Appends the plan summary to the job summary; a runner without one gets a debug line. */
export async function writePlanSummary(
  plans: readonly ImagePlan[],
  options: PlanSummaryOptions = {},
): Promise<void> {
  await writeJobSummary(planSummaryHtml(plans, options));
}
