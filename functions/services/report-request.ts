import type { Manifest } from '../../core/manifest';

/** Object metadata (x-amz-meta-residual-report: true) that asks for an HTML report beside the result. */
export const METADATA_REPORT = 'residual-report';

/**
 * Whether a result should get `<output>.report.html`: the object's metadata asks for it, or the model was
 * trained with `report: true` in its training config (kept in the manifest's `training.config`).
 * Kept apart from write-report.ts so that the scorer loads the plotting code only when a report is wanted.
 */
export function wantsReport(manifest: Pick<Manifest, 'training'>, metadata: Record<string, string>): boolean {
  const asked = metadata[METADATA_REPORT]?.trim().toLowerCase();
  if (asked === 'true' || asked === '1') return true;
  if (asked === 'false' || asked === '0') return false;
  return manifest.training.config['report'] === true;
}
