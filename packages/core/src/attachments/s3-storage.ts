import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertStorageKey, type Storage, StorageObjectNotFoundError } from './storage';

export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** For S3-compatible servers (MinIO, Ceph, s3rver…); omitted means AWS. */
  endpoint?: string;
  /** Omitted: the SDK's default chain (environment, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Bucket in the path instead of the host name: what most self-hosted servers need. */
  forcePathStyle?: boolean;
  /** Bytes buffered per multi-part chunk (S3's minimum is 5 MiB). */
  partSizeBytes?: number;
}

export type S3Storage = Storage & {
  /** Closes the client's pooled connections (at shutdown). */
  destroy(): void;
};

const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * Attachments in an S3-compatible bucket. An upload's length is unknown while it streams, which
 * PutObject does not accept, so bytes go through lib-storage's Upload: one part in memory at a time
 * (queueSize 1), sent as a single PutObject when the file fits in one part, else as a multi-part
 * upload that is aborted if the stream fails. Memory per upload is bounded by the part size, whatever
 * the file's size.
 */
export function createS3Storage(config: S3StorageConfig): S3Storage {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    forcePathStyle: config.forcePathStyle ?? false,
    // The SDK's default checksums (aws-chunked trailers) are not understood by many S3-compatible
    // servers; integrity is ours anyway (the sha256 column is computed while streaming).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  const partSize = Math.max(config.partSizeBytes ?? MIN_PART_SIZE, MIN_PART_SIZE);

  return {
    async put(key, content: Readable) {
      assertStorageKey(key);
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: content },
        queueSize: 1,
        partSize,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    async get(key) {
      assertStorageKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        // In Node the SDK's body is an http.IncomingMessage, a Readable.
        return object.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey) throw new StorageObjectNotFoundError(key);
        throw error;
      }
    },
    async delete(key) {
      assertStorageKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async exists(key) {
      assertStorageKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
        throw error;
      }
    },
    destroy: () => client.destroy(),
  };
}
