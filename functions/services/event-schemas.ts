import * as z from 'zod/mini';

/*
 * The fields of the S3, SQS and EventBridge events the scoring function reads, as schemas. Each field is
 * spelt as in @aws-lambda-powertools/parser's S3Schema, SqsRecordSchema and S3EventNotificationEventBridgeSchema
 * (test/functions/event-schemas.test.ts checks that every event those accept reads the same here). Written
 * with zod/mini, not imported from the parser: its schemas are built with the full zod, which added 452 KB
 * (+21 %) to the handler bundle, the cost the manifest schema left zod for (core/manifest.ts); and they
 * require every field AWS sends (eventTime, requestParameters, …), which s3rver, moto and hand-written backfill
 * events leave out, while the function needs only the object's bucket, key and version.
 */

/** `Records[].s3` of an S3 notification: only the bucket name and the object key are required. */
export const s3ObjectSchema = z.object({
  bucket: z.object({ name: z.string() }),
  object: z.object({ key: z.string(), versionId: z.optional(z.unknown()) }),
});

/** One S3 notification record; records whose `eventName` is not `ObjectCreated*` are left out, not errors. */
export const s3RecordSchema = z.object({
  eventName: z.optional(z.unknown()),
  s3: z.optional(z.unknown()),
});

/** An S3 notification (direct, or the body of an SQS message). */
export const s3NotificationSchema = z.object({ Records: z.array(z.unknown()) });

/** The notification S3 sends once when a bucket's notification configuration is set: nothing to score. */
export const s3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

/** An EventBridge "Object Created" event from S3 (the backfill sends these too). */
export const eventBridgeObjectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.optional(z.unknown()),
});

export const eventBridgeDetailSchema = z.object({
  bucket: z.object({ name: z.string() }),
  object: z.object({ key: z.string(), 'version-id': z.optional(z.unknown()) }),
});

/** What `Records[0]` of an event holds when the event is an SQS batch (SqsRecordSchema's `eventSource`). */
export const sqsRecordSourceSchema = z.object({ eventSource: z.literal('aws:sqs') });
