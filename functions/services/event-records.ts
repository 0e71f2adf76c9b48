import type { EventBridgeEvent, S3Event, SQSEvent } from 'aws-lambda';
import { decodeS3EventKey } from './object-keys';
import type { ObjectLocation } from '../../storage/object-store';

/** The events the scoring function accepts: S3 notifications, SQS messages carrying them, EventBridge. */
export type ScoreEvent = S3Event | SQSEvent | EventBridgeEvent<'Object Created', EventBridgeObjectDetail>;

export interface EventBridgeObjectDetail {
  bucket: { name: string };
  object: { key: string; 'version-id'?: string; size?: number };
}

/** One unit of work; `messageId` is set for SQS records so failures can be reported per message. */
export interface WorkItem {
  messageId?: string;
  objects: ObjectLocation[];
  /** records of this item that name no object that can be read (no `s3` field, a key that is not
   * valid percent-encoding): each is ignored with its reason, the others are still processed */
  skipped: string[];
  /** a message that could not be understood (never retried: it would fail the same way) */
  invalid?: string;
}

export function isSqsEvent(event: ScoreEvent): event is SQSEvent {
  const records = (event as { Records?: unknown }).Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as { eventSource?: string } | null)?.eventSource === 'aws:sqs';
}

/** Flattens any accepted event into work items, decoding S3's URL-encoded keys. Never throws. */
export function workItems(event: ScoreEvent): WorkItem[] {
  if (isSqsEvent(event)) {
    return event.Records.map((record) => {
      try {
        const body = JSON.parse(record.body) as unknown;
        return { messageId: record.messageId, ...objectsOf(body) };
      } catch (err) {
        const reason = err instanceof SyntaxError ? 'message body is not JSON' : (err as Error).message;
        const invalid = `message body is not an S3 or EventBridge event: ${reason}`;
        return { messageId: record.messageId, objects: [], skipped: [], invalid };
      }
    });
  }
  try {
    return [objectsOf(event)];
  } catch (err) {
    return [{ objects: [], skipped: [], invalid: `event is not an S3 or EventBridge event: ${(err as Error).message}` }];
  }
}

function objectsOf(body: unknown): Pick<WorkItem, 'objects' | 'skipped'> {
  const b = (body ?? {}) as { Event?: string; 'detail-type'?: string; Records?: unknown };
  if (b.Event === 's3:TestEvent') return { objects: [], skipped: [] };
  if (b['detail-type'] === 'Object Created') return fromEventBridge(b as EventBridgeEvent<'Object Created', EventBridgeObjectDetail>);
  if (Array.isArray(b.Records)) return fromS3(b.Records as unknown[]);
  throw new Error('no Records and no detail-type');
}

function fromS3(records: unknown[]): Pick<WorkItem, 'objects' | 'skipped'> {
  const objects: ObjectLocation[] = [];
  const skipped: string[] = [];
  records.forEach((r, i) => {
    const record = (r ?? {}) as Partial<S3Event['Records'][number]>;
    if (typeof record.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated')) return;
    const bucket = record.s3?.bucket?.name;
    const key = record.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string') {
      skipped.push(`record ${i} has no s3.bucket.name or s3.object.key`);
      return;
    }
    let decoded: string;
    try {
      decoded = decodeS3EventKey(key);
    } catch {
      skipped.push(`record ${i}: key '${key}' is not valid percent-encoding`);
      return;
    }
    const versionId = record.s3?.object?.versionId;
    objects.push({ bucket, key: decoded, versionId: typeof versionId === 'string' ? versionId : undefined });
  });
  return { objects, skipped };
}

function fromEventBridge(event: EventBridgeEvent<'Object Created', EventBridgeObjectDetail>): Pick<WorkItem, 'objects' | 'skipped'> {
  const bucket = event.detail?.bucket?.name;
  const key = event.detail?.object?.key;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    return { objects: [], skipped: ['EventBridge event has no detail.bucket.name or detail.object.key'] };
  }
  const versionId = event.detail.object['version-id'];
  return { objects: [{ bucket, key, versionId: typeof versionId === 'string' ? versionId : undefined }], skipped: [] };
}
