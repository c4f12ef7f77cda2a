package dev.ddbwarehouse.db;

/**
 * How long the current invocation may still spend on the database, derived from the time Lambda
 * says is left before it kills the invocation.
 *
 * <p>Of the remaining time {@code R}, a reserve of {@code R / 10}, clamped to 0.5–10 s, is kept
 * back for rolling back, logging the batch and returning the response. Half of it separates two
 * deadlines:
 *
 * <ul>
 *   <li>the <em>work deadline</em>, {@code R - reserve} from the start: the server-side budgets
 *       ({@code statement_timeout}, {@code lock_timeout}) end there, so a slow statement or a held
 *       lock is cancelled by PostgreSQL and the connection stays usable;
 *   <li>the <em>hard stop</em>, {@code reserve / 2} later: the client-side budgets (connect and
 *       login timeout, socket read timeout, and aborting the connection) end there, for a server
 *       that no longer answers at all.
 * </ul>
 *
 * One batch runs at a time per execution environment (as in Lambda), so one mutable budget per
 * environment serves every invocation; {@link #begin} starts each.
 */
public final class TimeBudget {

  static final long MIN_RESERVE_MILLIS = 500;
  static final long MAX_RESERVE_MILLIS = 10_000;

  private volatile long workDeadline = Long.MAX_VALUE;
  private volatile long hardStop = Long.MAX_VALUE;

  /** Starts an invocation that Lambda ends {@code remainingMillis} from now. */
  public void begin(long remainingMillis) {
    long now = System.nanoTime();
    long reserve = reserveMillis(remainingMillis);
    workDeadline = now + millisToNanos(remainingMillis - reserve);
    hardStop = now + millisToNanos(remainingMillis - reserve / 2);
  }

  /** The time kept back from {@code remainingMillis} for rollback, the batch log and response. */
  static long reserveMillis(long remainingMillis) {
    return Math.clamp(remainingMillis / 10, MIN_RESERVE_MILLIS, MAX_RESERVE_MILLIS);
  }

  /** Time left for database work, server-side (≤ 0 once the work deadline has passed). */
  public long workMillisLeft() {
    return nanosToMillis(workDeadline);
  }

  /** Time left before the client gives up on the server ({@link Long#MAX_VALUE} before any). */
  public long hardMillisLeft() {
    return nanosToMillis(hardStop);
  }

  /** Whether an invocation has begun; before it, only a background warm-up touches the database. */
  public boolean bounded() {
    return workDeadline != Long.MAX_VALUE;
  }

  private static long nanosToMillis(long deadline) {
    if (deadline == Long.MAX_VALUE) return Long.MAX_VALUE;
    return Math.floorDiv(deadline - System.nanoTime(), 1_000_000L);
  }

  private static long millisToNanos(long millis) {
    return Math.max(0, millis) * 1_000_000L;
  }
}
