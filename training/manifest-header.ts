import type { ModelKind } from '../core/model-kind';
import { PRODUCER_VERSION } from './producer';

/**
 * The fields every trainer's manifest starts with: schema, name (default: the kind), version (default: `version`
 * of now, e.g. timestampVersion), kind, creation time and producer. One place, so the trainers cannot drift apart.
 */
export function manifestHeader(kind: ModelKind, options: { name?: string; version?: string }, version: (now: Date) => string) {
  return {
    schema_version: 1 as const,
    name: options.name ?? kind,
    version: options.version ?? version(new Date()),
    kind,
    created_at: new Date().toISOString(),
    producer: { name: 'residual' as const, version: PRODUCER_VERSION },
  };
}
