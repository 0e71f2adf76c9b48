import type { EventBridgeEvent, S3Event, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeS3EventKey } from './object-keys';
import {
  eventBridgeDetailSchema, eventBridgeObjectCreatedSchema, s3NotificationSchema, s3ObjectSchema, s3RecordSchema, s3TestEventSchema,
  sqsRecordSourceSchema,
} from './event-schemas';
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

type Objects = Pick<WorkItem, 'objects' | 'skipped'>;

export function isSqsEvent(event: ScoreEvent): event is SQSEvent {
  const records = (event as { Records?: unknown }).Records;
  return Array.isArray(records) && records.length > 0 && sqsRecordSourceSchema.safeParse(records[0]).success;
}

/** The work of one SQS message: the S3 or EventBridge event in its body. Never throws. */
export function messageItem(record: Pick<SQSRecord, 'messageId' | 'body'>): WorkItem {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    const invalid = 'message body is not an S3 or EventBridge event: message body is not JSON';
    return { messageId: record.messageId, objects: [], skipped: [], invalid };
  }
  const objects = objectsOf(body);
  if (!objects) {
    const invalid = 'message body is not an S3 or EventBridge event: no Records and no detail-type';
    return { messageId: record.messageId, objects: [], skipped: [], invalid };
  }
  return { messageId: record.messageId, ...objects };
}

/** The work of a direct (non-SQS) S3 or EventBridge event, decoding S3's URL-encoded keys. Never throws. */
export function eventItem(event: unknown): WorkItem {
  const invalid = 'event is not an S3 or EventBridge event: no Records and no detail-type';
  return objectsOf(event) ?? { objects: [], skipped: [], invalid };
}

/** The objects an S3 notification or an EventBridge event names; null when it is neither. */
function objectsOf(body: unknown): Objects | null {
  if (s3TestEventSchema.safeParse(body).success) return { objects: [], skipped: [] };
  if (eventBridgeObjectCreatedSchema.safeParse(body).success) return fromEventBridge((body as { detail?: unknown }).detail);
  const s3 = s3NotificationSchema.safeParse(body);
  return s3.success ? fromS3(s3.data.Records) : null;
}

function fromS3(records: unknown[]): Objects {
  const objects: ObjectLocation[] = [];
  const skipped: string[] = [];
  records.forEach((r, i) => {
    const record = s3RecordSchema.safeParse(r ?? {});
    const eventName = record.success ? record.data.eventName : undefined;
    if (typeof eventName !== 'string' || !eventName.startsWith('ObjectCreated')) return;
    const s3 = s3ObjectSchema.safeParse(record.data!.s3);
    if (!s3.success) {
      skipped.push(`record ${i} has no s3.bucket.name or s3.object.key`);
      return;
    }
    const { bucket, object } = s3.data;
    let key: string;
    try {
      key = decodeS3EventKey(object.key);
    } catch {
      skipped.push(`record ${i}: key '${object.key}' is not valid percent-encoding`);
      return;
    }
    objects.push({ bucket: bucket.name, key, versionId: typeof object.versionId === 'string' ? object.versionId : undefined });
  });
  return { objects, skipped };
}

function fromEventBridge(detail: unknown): Objects {
  const parsed = eventBridgeDetailSchema.safeParse(detail);
  if (!parsed.success) return { objects: [], skipped: ['EventBridge event has no detail.bucket.name or detail.object.key'] };
  const { bucket, object } = parsed.data;
  const versionId = object['version-id'];
  const location = { bucket: bucket.name, key: object.key, versionId: typeof versionId === 'string' ? versionId : undefined };
  return { objects: [location], skipped: [] };
}
