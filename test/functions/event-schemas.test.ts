import { S3EventNotificationEventBridgeSchema, S3Schema, S3SqsEventNotificationSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { eventItem, isSqsEvent, messageItem } from '../../functions/services/event-records';

// Issue 11.4: the function's event schemas (zod/mini, functions/services/event-schemas.ts) read what
// @aws-lambda-powertools/parser's schemas read from every event those accept, and also the partial events
// s3rver, moto and backfills send, which the parser's schemas reject.
const s3Record = (key: string, versionId?: string) => ({
  eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'eu-west-1', eventTime: '2026-12-01T20:43:38.021Z', eventName: 'ObjectCreated:Put',
  userIdentity: { principalId: 'A1YQ72UWCM96UF' }, requestParameters: { sourceIPAddress: '93.108.161.96' },
  responseElements: { 'x-amz-request-id': 'YMSSR8BZJ2Y99K6P', 'x-amz-id-2': '6ASrUfj5xpn859fIq' },
  s3: {
    s3SchemaVersion: '1.0', configurationId: 'incoming',
    bucket: { name: 'raw-bucket', ownerIdentity: { principalId: 'A1YQ72UWCM96UF' }, arn: 'arn:aws:s3:::raw-bucket' },
    object: {
      key, size: 1305107, eTag: 'b21b84d653bb07b05b1e6b33684dc11b', sequencer: '0C0F6F405D6ED209E1', ...(versionId ? { versionId } : {}),
    },
  },
});
const s3Event = { Records: [s3Record('incoming/plant/night+shift%3A1.csv', 'v-7'), s3Record('incoming/plant/a.csv')] };
const sqsRecord = (body: string, messageId = 'm-1') => ({
  messageId, receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a', body, md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
  attributes: {
    ApproximateReceiveCount: '1', SentTimestamp: '1545082649183', SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: '1545082649185',
  },
  messageAttributes: {}, eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:incoming', awsRegion: 'eu-west-1',
});
const eventBridge = {
  version: '0', id: '17793124-05d4-b198-2fde-7ededc63b103', 'detail-type': 'Object Created', source: 'aws.s3', account: '123456789012',
  time: '2026-12-01T20:43:38Z', region: 'eu-west-1', resources: ['arn:aws:s3:::raw-bucket'],
  detail: {
    version: '0', bucket: { name: 'raw-bucket' },
    object: {
      key: 'incoming/plant/eb.csv', size: 5, etag: 'b1946ac92492d2347c6235b4d2611184', 'version-id': 'v-9', sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R', requester: '123456789012', 'source-ip-address': '1.2.3.4', reason: 'PutObject',
  },
};
const decode = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));
type PtRecord = { s3: { bucket: { name: string }; object: { key: string; versionId?: string } } };
const located = (r: PtRecord) => ({ bucket: r.s3.bucket.name, key: decode(r.s3.object.key), versionId: r.s3.object.versionId });

describe('events the Powertools parser schemas accept read the same objects here', () => {
  test('an S3 notification (S3Schema)', () => {
    const parsed = S3Schema.parse(s3Event);
    const expected = parsed.Records.map(located);
    expect(eventItem(s3Event)).toEqual({ objects: expected, skipped: [] });
    expect(expected[0]).toEqual({ bucket: 'raw-bucket', key: 'incoming/plant/night shift:1.csv', versionId: 'v-7' });
  });

  test('an SQS message carrying an S3 notification (S3SqsEventNotificationSchema)', () => {
    const event = { Records: [sqsRecord(JSON.stringify(s3Event))] };
    const parsed = S3SqsEventNotificationSchema.parse(event);
    expect(isSqsEvent(event as never)).toBe(true);
    const expected = parsed.Records[0]!.body.Records.map(located);
    expect(messageItem(event.Records[0]!)).toEqual({ messageId: 'm-1', objects: expected, skipped: [] });
  });

  test('an EventBridge Object Created event, direct or in an SQS message (S3EventNotificationEventBridgeSchema)', () => {
    const parsed = S3EventNotificationEventBridgeSchema.parse(eventBridge);
    const expected = [{ bucket: parsed.detail.bucket.name, key: parsed.detail.object.key, versionId: parsed.detail.object['version-id'] }];
    expect(eventItem(eventBridge)).toEqual({ objects: expected, skipped: [] });
    expect(messageItem(sqsRecord(JSON.stringify(eventBridge), 'm-2'))).toEqual({ messageId: 'm-2', objects: expected, skipped: [] });
  });
});

describe('partial and malformed events: read, skipped with a reason, or dropped, never thrown', () => {
  const minimal = {
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' }, object: { key: 'incoming/plant/x.csv' } } }],
  };

  test('a record with only eventName, bucket and key (s3rver, moto, backfills) is read, though S3Schema rejects it', () => {
    expect(S3Schema.safeParse(minimal).success).toBe(false);
    expect(eventItem(minimal)).toEqual({ objects: [{ bucket: 'raw', key: 'incoming/plant/x.csv', versionId: undefined }], skipped: [] });
  });

  test('records that are not ObjectCreated are left out; a non-string versionId is no version', () => {
    const records = [{ eventName: 'ObjectRemoved:Delete', s3: minimal.Records[0]!.s3 }, 7, null,
      { eventName: 'ObjectCreated:Copy', s3: { bucket: { name: 'raw' }, object: { key: 'k', versionId: 12 } } }];
    expect(eventItem({ Records: records })).toEqual({ objects: [{ bucket: 'raw', key: 'k', versionId: undefined }], skipped: [] });
  });

  test('records without bucket or key, and keys that are not percent-encoding, are skipped with their index', () => {
    const records = [{ eventName: 'ObjectCreated:Put' }, { eventName: 'ObjectCreated:Put', s3: { bucket: 'raw', object: { key: 'k' } } },
      { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' }, object: { key: 'a%zz.csv' } } }];
    expect(eventItem({ Records: records }).skipped).toEqual([
      'record 0 has no s3.bucket.name or s3.object.key', 'record 1 has no s3.bucket.name or s3.object.key',
      "record 2: key 'a%zz.csv' is not valid percent-encoding",
    ]);
  });

  test('an EventBridge event without bucket or key is skipped; an s3:TestEvent names nothing', () => {
    expect(eventItem({ 'detail-type': 'Object Created', detail: { bucket: {} } })).toEqual({
      objects: [], skipped: ['EventBridge event has no detail.bucket.name or detail.object.key'],
    });
    const test = { messageId: 't', body: JSON.stringify({ Event: 's3:TestEvent', Bucket: 'raw' }) };
    expect(messageItem(test)).toEqual({ messageId: 't', objects: [], skipped: [] });
  });

  test('a body that is not JSON, or JSON that is no event, is invalid (dropped by the handler, never retried)', () => {
    const reason = 'message body is not an S3 or EventBridge event: ';
    expect(messageItem({ messageId: 'a', body: '{oops' }).invalid).toBe(`${reason}message body is not JSON`);
    expect(messageItem({ messageId: 'b', body: 'null' }).invalid).toBe(`${reason}no Records and no detail-type`);
    expect(messageItem({ messageId: 'c', body: '{"Records":"x"}' }).invalid).toBe(`${reason}no Records and no detail-type`);
    expect(eventItem({ hello: 1 }).invalid).toBe('event is not an S3 or EventBridge event: no Records and no detail-type');
    expect(isSqsEvent({ Records: [] } as never)).toBe(false);
    expect(isSqsEvent({ Records: [{ eventSource: 'aws:s3' }] } as never)).toBe(false);
  });
});
