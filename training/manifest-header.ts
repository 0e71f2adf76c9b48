import type { ModelKind } from '../core/model-kind';
import { PRODUCER_VERSION } from './producer';

/**
 * The fields every trainer's manifest starts with: schema, name (default: the kind), version (default: `version`
 * of now, e.g. timestampVersion), kind, creation time and producer. One place, so the trainers cannot drift apart.
 */
export function manifestHeader(kind: ModelKind, options: { name?: string; version?: string }, version: (now: Date) => string) {
  const now = new Date();
  return {
    schema_version: 1 as const,
    name: options.name ?? kind,
    version: options.version ?? version(now),
    kind,
    created_at: now.toISOString(),
    producer: { name: 'residual' as const, version: PRODUCER_VERSION },
  };
}
