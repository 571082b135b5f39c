import { isDeepStrictEqual } from 'node:util';
import type { EndpointContext, PluginLogger } from '@sf/core/plugin';
import { readOnlyState, STATE_PLAIN_MAX, stateView } from '@sf/core/plugin';
import { applyDelta, copyState, type StateValue } from './apply-delta.js';
import { VersionedMap } from './versioned-map.js';
import type { Publication, Snapshot } from './wire.js';

/** Updates kept while waiting for a snapshot; past this the buffer is dropped (the snapshot then covers it). */
export const MAX_BUFFERED = 100_000;

/** Default `max_buffered_bytes`: bytes of updates (as received) kept while waiting for a snapshot. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** What a replica needs from its endpoint. */
export interface ReplicaHooks {
  /** Checks a whole state (`partial` false) or a delta (`partial` true). */
  check: EndpointContext['check'];
  /** Hands a consistent value to the runner. */
  update: EndpointContext['update'];
  /** A snapshot is needed: start (or continue) asking for one. */
  wantSnapshot(): void;
  /** Logs once and counts a publication or snapshot the replica drops (the runner's `context.reject`). */
  reject: EndpointContext['reject'];
  /** Where to log. */
  logger: PluginLogger;
  /** Bytes of buffered updates (their `bytes`) past which the buffer is dropped; {@link DEFAULT_MAX_BUFFERED_BYTES} by default. */
  maxBufferedBytes?: number;
}

/**
 * The in side's ordering of a delta state: holds the last consistent value and its number, and
 * decides for each publication and snapshot whether to apply it, ignore it, buffer it or ask for
 * a snapshot. Only values the out side had after an update (number 1 or more) reach `update`, in
 * order, each a new read-only view over a {@link VersionedMap} (keys in insertion order, as a plain
 * object's): an update records only the keys it changes, so its cost follows the update, not the
 * state, and a value handed out never changes.
 * Publications can lag behind a snapshot (the two travel on different sockets), so one at or below
 * the held number is simply ignored; only numbers that fall back from the previous publication
 * mean a restart. Calls must not overlap (the endpoint runs them one at a time). Like the runner's
 * `update`, a publication gives a promise only while an `on_update` is still running.
 */
export class Replica {
  /** Bumped on each new resync, so a snapshot asked for before it is not used after it. */
  generation = 0;
  readonly #hooks: ReplicaHooks;
  #held: { state: HeldState; num: number } | undefined;
  #syncing = true;
  #restartSuspected = false;
  #buffer: Publication[] = [];
  #bufferedBytes = 0;
  readonly #maxBufferedBytes: number;
  /** Whether the buffer overflowed since the last snapshot (logged once per sync). */
  #overflowed = false;
  #warnedUnnumbered = false;
  #lastPublished: number | undefined;

  constructor(hooks: ReplicaHooks) {
    this.#hooks = hooks;
    this.#maxBufferedBytes = hooks.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  }

  /** Whether a snapshot is needed (before the first one, and after a gap, bad message or restart). */
  get needsSnapshot(): boolean {
    return this.#syncing;
  }

  /** Updates published (as far as seen here) but not in the value held yet, e.g. while waiting for a snapshot. */
  get lag(): number {
    return Math.max(0, (this.#lastPublished ?? 0) - (this.#held?.num ?? 0));
  }

  /** The number of the last publication placed (of the out side's current run), or `undefined` before the first. */
  get published(): number | undefined {
    return this.#lastPublished;
  }

  /** The number of the value held, or `undefined` before the first snapshot. */
  get num(): number | undefined {
    return this.#held?.num;
  }

  /**
   * Handles one publication, in arrival order. Numbers that do not rise from the previous
   * publication mean the out side started counting again (it restarted): what is held and buffered
   * belongs to its old run, so its snapshot is taken next.
   */
  onPublication(update: Publication): void | Promise<void> {
    const previous = this.#lastPublished;
    const restarted = previous !== undefined && update.num <= previous;
    if (restarted)
      this.#hooks.logger.info({ previous, current_num: update.num }, 'delta state: numbering started again: the out side restarted');
    this.#lastPublished = update.num;
    const invalid = this.#hooks.check(update.state, !update.isSnapshot);
    if (invalid) {
      this.#hooks.reject('bad_state', 'delta state: an update failed the state model; resyncing', {
        err: invalid,
        current_num: update.num,
      });
      this.resync('an update failed the state model', restarted);
      return;
    }
    if (!restarted) return this.#sequence(update);
    if (update.isSnapshot) {
      this.#endSync();
      this.generation += 1;
      return this.#adopt(update.state, update.num, update.workflowId, update.trace);
    }
    this.#takeBuffer();
    this.resync(`update ${update.num} after ${previous}`, true);
    this.#bufferUp(update);
  }

  /**
   * Handles a requested snapshot; `generation` and `seen` are {@link generation} and {@link published}
   * as they were when it was asked for. Resolves to false when another snapshot is still needed (it
   * was unusable, or a buffered update after it is missing): the caller waits before asking again.
   */
  async onSnapshot(snapshot: Snapshot, generation: number, seen?: number): Promise<boolean> {
    if (!this.#syncing || generation !== this.generation) return true;
    // Checked like a delta: the out side checks each delta, not the whole state they add up to
    // (which may lack required keys, e.g. `{}` before its first update), so neither can we.
    const invalid = this.#hooks.check(snapshot.state, true);
    if (invalid) {
      this.#hooks.reject('bad_snapshot', 'delta state: a snapshot failed the state model', { err: invalid, current_num: snapshot.num });
      return false;
    }
    const num = this.#snapshotNum(snapshot, seen);
    const unnumbered = num !== snapshot.num;
    const held = this.#held;
    if (held !== undefined && num < held.num) {
      this.#hooks.logger.info({ held: held.num, current_num: snapshot.num }, 'delta state: the out side restarted; taking its state');
    }
    // An unnumbered snapshot at the number held may still hold an update lost at the end of a burst.
    const changed =
      held === undefined || num !== held.num || this.#restartSuspected || (unnumbered && !sameState(held.state, snapshot.state));
    const buffered = this.#endSync();
    if (changed) await this.#adopt(snapshot.state, num, snapshot.workflowId);
    for (const update of buffered) if (update.num > num) await this.#sequence(update);
    return !this.#syncing;
  }

  /**
   * The number a requested snapshot stands for. The out side answered after publishing `seen` (the
   * last publication placed when it was asked for), so its number is at least that, unless it
   * restarted since (then its number is taken as it is). A lower number is not the state's own:
   * Python service_framework 0.0.3 answers every snapshot with 0. Its state is still current, so it
   * stands for number `seen`, and the buffered updates after `seen` are applied on it again: a delta
   * sets and deletes keys, so applying in order updates it already holds ends at the same state.
   */
  #snapshotNum(snapshot: Snapshot, seen: number | undefined): number {
    if (seen === undefined || snapshot.num >= seen || this.#restartSuspected) return snapshot.num;
    if (!this.#warnedUnnumbered) {
      this.#warnedUnnumbered = true;
      this.#hooks.logger.info(
        { current_num: snapshot.num, seen },
        'delta state: the out side numbers its snapshots below its publications (as service_framework 0.0.3 does); ' +
          'taking its state as of the last publication seen',
      );
    }
    return seen;
  }

  /**
   * Asks for a fresh snapshot (after a gap, a bad message or a reconnect); updates are buffered
   * meanwhile. `restart`: the out side may have started again, so its snapshot is taken even at
   * the number held. `routine` (a check, not a loss) logs at debug.
   */
  resync(reason: string, restart = false, routine = false): void {
    if (!this.#syncing && this.#held !== undefined)
      this.#hooks.logger[routine ? 'debug' : 'info']({ held: this.#held.num, reason }, 'delta state: resyncing');
    // Already syncing for a loss: the snapshot on its way covers this too, unless the out side restarted.
    if (!this.#syncing || restart) this.generation += 1;
    this.#syncing = true;
    if (restart) this.#restartSuspected = true;
    this.#hooks.wantSnapshot();
  }

  /** Places a publication of the current run: apply it, buffer it, or ask for a snapshot. */
  #sequence(update: Publication): void | Promise<void> {
    const held = this.#held;
    if (this.#syncing) {
      if (update.isSnapshot && (held === undefined || update.num > held.num)) {
        this.#endSync();
        this.generation += 1;
        return this.#adopt(update.state, update.num, update.workflowId, update.trace);
      }
      this.#bufferUp(update);
      return;
    }
    if (held === undefined) return;
    if (update.num === held.num + 1) {
      if (update.isSnapshot) return this.#adopt(update.state, update.num, update.workflowId, update.trace);
      return this.#commit(withDelta(held.state, update.state), update.num, update.workflowId, update.trace);
    }
    if (update.num > held.num + 1) {
      if (update.isSnapshot) return this.#adopt(update.state, update.num, update.workflowId, update.trace);
      this.resync(`update ${held.num + 1} to ${update.num - 1} lost`);
      this.#bufferUp(update);
    }
    // Otherwise the value held already includes it: published before the snapshot it came from.
  }

  /**
   * Keeps a publication for after the snapshot. Past {@link MAX_BUFFERED} updates or
   * `maxBufferedBytes` the buffer is dropped: the snapshot then covers what it held, or a gap after
   * it shows, and the replica asks again.
   */
  #bufferUp(update: Publication): void {
    const bytes = update.bytes ?? 0;
    const full = this.#buffer.length >= MAX_BUFFERED || this.#bufferedBytes + bytes > this.#maxBufferedBytes;
    if (full && this.#buffer.length > 0) {
      if (!this.#overflowed)
        this.#hooks.logger.warn(
          { buffered: this.#buffer.length, bytes: this.#bufferedBytes, max_buffered_bytes: this.#maxBufferedBytes },
          'delta state: too many updates while waiting for a snapshot; dropping them (logged once per snapshot)',
        );
      this.#overflowed = true;
      this.#takeBuffer();
    }
    this.#buffer.push(update);
    this.#bufferedBytes += bytes;
  }

  /** Empties the buffer; returns what it held. */
  #takeBuffer(): Publication[] {
    const buffered = this.#buffer;
    this.#buffer = [];
    this.#bufferedBytes = 0;
    return buffered;
  }

  /** Leaves the syncing mode; returns the updates buffered meanwhile. */
  #endSync(): Publication[] {
    this.#syncing = false;
    this.#restartSuspected = false;
    this.#overflowed = false;
    return this.#takeBuffer();
  }

  #adopt(state: Readonly<StateValue>, num: number, workflowId: string | null, trace?: string): void | Promise<void> {
    // A snapshot replaces the whole state, `null` values included.
    const keys = Object.keys(state);
    if (keys.length <= STATE_PLAIN_MAX) return this.#commit(Object.freeze(copyState(state)), num, workflowId, trace);
    return this.#commit(VersionedMap.of(entriesOf(state, keys)), num, workflowId, trace);
  }

  /** Holds `state` as number `num` and hands on it (a frozen plain object) or a view of it (a map); a promise while its `on_update` runs. */
  #commit(state: HeldState, num: number, workflowId: string | null, trace?: string): void | Promise<void> {
    this.#held = { state, num };
    const map = isMap(state);
    // Number 0 with nothing in it is the out side before its first update (`{}`, which need not fit
    // the state model): held so that deltas 1, 2… apply on it, but never exposed. A Python 0.0.3
    // writer numbers every snapshot 0, whatever it holds: that value is exposed.
    if (num === 0 && (map ? state.size === 0 : isEmpty(state))) return;
    // Either is now everyone's `states[name]`, for good: the plain object is frozen, the map's versions never change.
    return this.#hooks.update(map ? stateView(state) : state, workflowId, trace);
  }
}

/**
 * The state held: up to {@link STATE_PLAIN_MAX} keys a frozen plain object (copied per update, which
 * costs less than reads through a view), above it a {@link VersionedMap}, handed out behind a read-only
 * view (an update records only the keys it changes, so its cost does not follow the state's size).
 */
type HeldState = Readonly<StateValue> | VersionedMap;

/** `state` with `delta` applied (a key whose value is `null` is deleted), plain or map by its new size; `state` is unchanged. */
function withDelta(state: HeldState, delta: Readonly<StateValue>): HeldState {
  if (!isMap(state)) {
    const next = applyDelta(state, delta);
    const keys = Object.keys(next);
    if (keys.length <= STATE_PLAIN_MAX) return Object.freeze(next);
    return VersionedMap.of(entriesOf(next, keys));
  }
  const map = state.with(delta);
  // Back to at most STATE_PLAIN_MAX keys: core's frozen plain copy.
  return map.size > STATE_PLAIN_MAX ? map : (readOnlyState(map) as Readonly<StateValue>);
}

/** The entries of `keys` in `state`. */
function* entriesOf(state: Readonly<StateValue>, keys: readonly string[]): Iterable<[string, unknown]> {
  for (const key of keys) yield [key, state[key]];
}

/** Whether `value` has no own key. */
function isEmpty(value: Readonly<StateValue>): boolean {
  return Object.keys(value).length === 0;
}

function isMap(state: HeldState): state is VersionedMap {
  return state instanceof VersionedMap;
}

/** Whether `held` holds exactly the keys and values of `state`. */
function sameState(held: HeldState, state: Readonly<StateValue>): boolean {
  const keys = Object.keys(state);
  if (!isMap(held)) return isDeepStrictEqual(held, state);
  if (keys.length !== held.size) return false;
  for (const key of keys) if (!held.has(key) || !isDeepStrictEqual(held.get(key), state[key])) return false;
  return true;
}
