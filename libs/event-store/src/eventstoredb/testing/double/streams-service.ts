/** The Streams gRPC service: Read (reads and subscriptions), Append and BatchAppend over the in-memory log. */
import grpc from '@grpc/grpc-js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import codePb from '@eventstore/db-client/generated/code_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import type { AppendOutcome, EventLog, ExpectedState, ProposedEvent } from './event-log.js';
import { proposedEventOf, streamNameOf, uuidText } from './messages.js';
import type { OpenCalls } from './open-calls.js';
import { readResponses } from './reads.js';
import { runSubscription, type ResponseSink } from './subscriptions.js';

export function streamsService(log: EventLog, calls: OpenCalls): Pick<IStreamsServer, 'read' | 'append' | 'batchAppend'> {
  return {
    read: (call) => {
      const sink = responseSink(call, calls);
      const options = call.request.getOptions();
      const run = async (): Promise<void> => {
        if (!options) throw new Error('A read request carries options');
        if (options.hasSubscription()) return runSubscription(log, options, sink);
        for (const response of readResponses(log, options)) {
          if (sink.closed) return;
          await sink.send(response);
        }
      };
      run().then(
        () => sink.end(),
        (error: unknown) => sink.fail({ code: grpc.status.INTERNAL, details: String(error), metadata: new grpc.Metadata() }),
      );
    },

    append: (call, callback) => {
      let answered = false;
      const answer = (error: grpc.StatusObject | null, response?: AppendResp): void => {
        if (answered) return;
        answered = true;
        release();
        callback(error, response);
      };
      const release = calls.add({ fail: (status) => answer(status), drop: () => (answered = true) });
      let options: AppendReq.Options | undefined;
      const events: ProposedEvent[] = [];
      call.on('data', (request: AppendReq) => {
        options = request.getOptions() ?? options;
        const message = request.getProposedMessage();
        if (message) events.push(proposedEventOf(message));
      });
      call.on('cancelled', () => answer(null));
      call.on('end', () => {
        if (!options)
          return answer({ code: grpc.status.INVALID_ARGUMENT, details: 'Append without options', metadata: new grpc.Metadata() });
        const outcome = log.append(streamNameOf(options.getStreamIdentifier()), expectedOfAppend(options), events);
        answer(null, appendResponse(outcome, options));
      });
    },

    batchAppend: (call) => {
      const release = calls.add({
        fail: (status) => call.emit('error', status),
        drop: () => undefined,
      });
      const pending = new Map<string, { options: BatchAppendReq.Options; events: ProposedEvent[] }>();
      call.on('data', (request: BatchAppendReq) => {
        const correlation = uuidText(request.getCorrelationId());
        const options = request.getOptions() ?? pending.get(correlation)?.options;
        if (!options) return;
        const batch = pending.get(correlation) ?? { options, events: [] };
        pending.set(correlation, batch);
        batch.events.push(...request.getProposedMessagesList().map(proposedEventOf));
        if (!request.getIsFinal()) return;
        pending.delete(correlation);
        const streamId = streamNameOf(options.getStreamIdentifier());
        const outcome = log.append(streamId, expectedOfBatch(options), batch.events);
        call.write(batchAppendResponse(outcome, request, options));
      });
      call.on('end', () => {
        release();
        call.end();
      });
      call.on('cancelled', release);
    },
  };
}

type ClosingSink = ResponseSink & { end(): void; fail(status: grpc.StatusObject): void };

function responseSink(call: grpc.ServerWritableStream<ReadReq, ReadResp>, calls: OpenCalls): ClosingSink {
  let closed = false;
  let markClosed: () => void = () => undefined;
  const whenClosed = new Promise<void>((resolve) => (markClosed = resolve));
  const close = (): void => {
    if (closed) return;
    closed = true;
    release();
    markClosed();
  };
  const fail = (status: grpc.StatusObject): void => {
    if (closed) return;
    close();
    // grpc-js turns an 'error' on a server stream into the call's status.
    call.emit('error', status);
  };
  const release = calls.add({ fail, drop: close });
  call.on('cancelled', close);
  return {
    get closed() {
      return closed;
    },
    whenClosed,
    send: (response) => {
      if (closed || call.write(response)) return Promise.resolve();
      return Promise.race([new Promise<void>((resolve) => call.once('drain', resolve)), whenClosed]);
    },
    end: () => {
      if (closed) return;
      close();
      call.end();
    },
    fail,
  };
}

function expectedOfAppend(options: AppendReq.Options): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  return { kind: 'any' };
}

function expectedOfBatch(options: BatchAppendReq.Options): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasStreamPosition()) return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  return { kind: 'any' };
}

function appendResponse(outcome: AppendOutcome, options: AppendReq.Options): AppendResp {
  const empty = (): InstanceType<typeof sharedPb.Empty> => new sharedPb.Empty();
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
    if (outcome.current < 0n) wrong.setCurrentNoStream(empty());
    else wrong.setCurrentRevision(outcome.current.toString());
    if (options.hasRevision()) wrong.setExpectedRevision(options.getRevision());
    else if (options.hasNoStream()) wrong.setExpectedNoStream(empty());
    else if (options.hasStreamExists()) wrong.setExpectedStreamExists(empty());
    else wrong.setExpectedAny(empty());
    return new streamsPb.AppendResp().setWrongExpectedVersion(wrong);
  }
  const success = new streamsPb.AppendResp.Success();
  if (outcome.revision < 0n) success.setNoStream(empty());
  else success.setCurrentRevision(outcome.revision.toString());
  if (outcome.position) {
    const { commit, prepare } = outcome.position;
    success.setPosition(new streamsPb.AppendResp.Position().setCommitPosition(commit.toString()).setPreparePosition(prepare.toString()));
  } else success.setNoPosition(empty());
  return new streamsPb.AppendResp().setSuccess(success);
}

function batchAppendResponse(outcome: AppendOutcome, request: BatchAppendReq, options: BatchAppendReq.Options): BatchAppendResp {
  const empty = (): InstanceType<typeof emptyPb.Empty> => new emptyPb.Empty();
  const response = new streamsPb.BatchAppendResp()
    .setCorrelationId(request.getCorrelationId())
    .setStreamIdentifier(options.getStreamIdentifier());
  if (options.hasStreamPosition()) response.setStreamPosition(options.getStreamPosition());
  else if (options.hasNoStream()) response.setNoStream(empty());
  else if (options.hasStreamExists()) response.setStreamExists(empty());
  else response.setAny(empty());
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new sharedPb.WrongExpectedVersion();
    if (outcome.current < 0n) wrong.setCurrentNoStream(empty());
    else wrong.setCurrentStreamRevision(outcome.current.toString());
    if (options.hasStreamPosition()) wrong.setExpectedStreamPosition(options.getStreamPosition());
    else if (options.hasNoStream()) wrong.setExpectedNoStream(empty());
    else if (options.hasStreamExists()) wrong.setExpectedStreamExists(empty());
    else wrong.setExpectedAny(empty());
    const details = new anyPb.Any();
    details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
    const status = new statusPb.Status().setCode(codePb.Code.FAILED_PRECONDITION).setMessage('Wrong expected version.').setDetails(details);
    return response.setError(status);
  }
  const success = new streamsPb.BatchAppendResp.Success();
  if (outcome.revision < 0n) success.setNoStream(empty());
  else success.setCurrentRevision(outcome.revision.toString());
  if (outcome.position) {
    const { commit, prepare } = outcome.position;
    success.setPosition(new sharedPb.AllStreamPosition().setCommitPosition(commit.toString()).setPreparePosition(prepare.toString()));
  } else success.setNoPosition(empty());
  return response.setSuccess(success);
}
