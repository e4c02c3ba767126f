/**
 * The events the local object store announces (S3 event notifications' stand-in): the gateway
 * emits them after each successful write, and the local processing consumer listens. Declared
 * here so both ends share one name and one payload type (core/typed-emitter.ts).
 */
import { TypedEmitter } from '../typed-emitter.js';

/** An object was written in full (a PUT, or a completed multipart upload). */
export interface ObjectCreatedEvent {
  bucket: string;
  /** URL-encoded like S3 event notifications (spaces as '+'). */
  key: string;
  size: number;
  etag: string;
}

/** Event name -> payload of the store's notifications. */
export interface StoreEventMap {
  'object-created': ObjectCreatedEvent;
}

/** The store's notifications. */
export type StoreEvents = TypedEmitter<StoreEventMap>;

export function storeEvents(): StoreEvents {
  return new TypedEmitter<StoreEventMap>();
}
