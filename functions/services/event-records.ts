import type { EventBridgeEvent, S3Event, SQSEvent } from 'aws-lambda';
import { decodeS3EventKey } from './object-keys';
import type { ObjectLocation } from './ports';

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
  /** a message that could not be understood (never retried: it would fail the same way) */
  invalid?: string;
}

export function isSqsEvent(event: ScoreEvent): event is SQSEvent {
  return 'Records' in event && event.Records.length > 0 && (event.Records[0] as { eventSource?: string }).eventSource === 'aws:sqs';
}

/** Flattens any accepted event into work items, decoding S3's URL-encoded keys. */
export function workItems(event: ScoreEvent): WorkItem[] {
  if ('detail-type' in event) return [{ objects: [fromEventBridge(event)] }];
  if (isSqsEvent(event)) {
    return event.Records.map((record) => {
      try {
        const body = JSON.parse(record.body) as unknown;
        return { messageId: record.messageId, objects: objectsOf(body) };
      } catch (err) {
        return { messageId: record.messageId, objects: [], invalid: `message body is not an S3 or EventBridge event: ${(err as Error).message}` };
      }
    });
  }
  return [{ objects: fromS3(event as S3Event) }];
}

function objectsOf(body: unknown): ObjectLocation[] {
  const b = body as Partial<S3Event> & { Event?: string; 'detail-type'?: string };
  if (b.Event === 's3:TestEvent') return [];
  if (b['detail-type'] === 'Object Created') return [fromEventBridge(b as unknown as EventBridgeEvent<'Object Created', EventBridgeObjectDetail>)];
  if (Array.isArray(b.Records)) return fromS3(b as S3Event);
  throw new Error('no Records and no detail-type');
}

function fromS3(event: S3Event): ObjectLocation[] {
  return event.Records.filter((r) => r.eventName?.startsWith('ObjectCreated')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3EventKey(r.s3.object.key),
    versionId: r.s3.object.versionId,
  }));
}

function fromEventBridge(event: EventBridgeEvent<'Object Created', EventBridgeObjectDetail>): ObjectLocation {
  return { bucket: event.detail.bucket.name, key: event.detail.object.key, versionId: event.detail.object['version-id'] };
}
