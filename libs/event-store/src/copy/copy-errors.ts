/**
 * Why a copy stopped instead of writing: the target holds something the source does not, at a
 * place the copy was about to fill. Nothing is overwritten; the message names what to look at.
 */
export type CopyConflictCode =
  /** the target holds another event at this revision of the stream */
  | 'COPY_EVENT_MISMATCH'
  /** the target's stream ends before the revision the copy is at: it lost events, or the checkpoint is another store's */
  | 'COPY_TARGET_BEHIND'
  /** the target holds this event id in another stream */
  | 'COPY_EVENT_ID_ELSEWHERE';

export class CopyConflictError extends Error {
  constructor(
    readonly code: CopyConflictCode,
    readonly streamId: string,
    readonly revision: number,
    readonly sourceEventId: string,
    /** the event id the target holds there; undefined when it holds none */
    readonly targetEventId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'CopyConflictError';
  }

  static mismatch(streamId: string, revision: number, sourceEventId: string, targetEventId: string): CopyConflictError {
    return new CopyConflictError(
      'COPY_EVENT_MISMATCH',
      streamId,
      revision,
      sourceEventId,
      targetEventId,
      `stream ${streamId}, revision ${revision}: the target holds event ${targetEventId}, the source event ${sourceEventId}; ` +
        'the target is not a copy of this store (nothing was overwritten)',
    );
  }

  static behind(streamId: string, revision: number, sourceEventId: string, targetLastRevision: number | undefined): CopyConflictError {
    const holds = targetLastRevision === undefined ? 'does not hold the stream' : `ends at revision ${targetLastRevision}`;
    return new CopyConflictError(
      'COPY_TARGET_BEHIND',
      streamId,
      revision,
      sourceEventId,
      undefined,
      `stream ${streamId}: the copy is at revision ${revision} (event ${sourceEventId}) but the target ${holds}; ` +
        'it lost events since the last copy, or the checkpoint belongs to another target',
    );
  }

  static elsewhere(streamId: string, revision: number, sourceEventId: string): CopyConflictError {
    return new CopyConflictError(
      'COPY_EVENT_ID_ELSEWHERE',
      streamId,
      revision,
      sourceEventId,
      undefined,
      `stream ${streamId}, revision ${revision}: event ${sourceEventId} is already in the target, in another stream`,
    );
  }
}
