/** Conversions between the generated protobuf messages (the client package's own copy) and the double's records. */
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb.js';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { ProposedEvent, StoredEvent } from './event-log.js';
import type { LogPosition } from './positions.js';

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('A request names its stream');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifierOf(streamId: string): StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));
}

export function uuidText(uuid: UUID | undefined): string {
  if (!uuid) throw new Error('A proposed message carries an id');
  const structured = uuid.getStructured();
  if (!structured) return uuid.getString();
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidMessage(id: string, structured: boolean): UUID {
  if (!structured) return new sharedPb.UUID().setString(id);
  const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
  const bits = new sharedPb.UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, bytes.readBigUInt64BE(0)).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, bytes.readBigUInt64BE(8)).toString());
  return new sharedPb.UUID().setStructured(bits);
}

interface ProposedMessage {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** Append and BatchAppend proposed messages carry the same fields. */
export function proposedEventOf(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidText(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

export function readEventResponse(event: StoredEvent, structuredIds: boolean): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, structuredIds))
    .setStreamIdentifier(streamIdentifierOf(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.position.commit.toString())
    .setPreparePosition(event.position.prepare.toString())
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded.getMetadataMap().set('type', event.type).set('content-type', event.contentType).set('created', event.created.toString());
  const readEvent = new streamsPb.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.commit.toString());
  return new streamsPb.ReadResp().setEvent(readEvent);
}

export function checkpointResponse(position: LogPosition): ReadResp {
  const checkpoint = new streamsPb.ReadResp.Checkpoint()
    .setCommitPosition(position.commit.toString())
    .setPreparePosition(position.prepare.toString());
  return new streamsPb.ReadResp().setCheckpoint(checkpoint);
}

export function confirmationResponse(subscriptionId: string): ReadResp {
  return new streamsPb.ReadResp().setConfirmation(new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId));
}

export function caughtUpResponse(): ReadResp {
  return new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp());
}

export function streamNotFoundResponse(streamId: string): ReadResp {
  return new streamsPb.ReadResp().setStreamNotFound(
    new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifierOf(streamId)),
  );
}

export function positionOf(message: { getCommitPosition(): string; getPreparePosition(): string }): LogPosition {
  return { commit: BigInt(message.getCommitPosition()), prepare: BigInt(message.getPreparePosition()) };
}
