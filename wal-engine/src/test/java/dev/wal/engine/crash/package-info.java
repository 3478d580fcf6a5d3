/**
 * The crash-consistency suite: the log on the fault-injecting storage ({@code wal-vfs-faulty}),
 * crashed, failed and corrupted, and checked against what it acknowledged.
 *
 * <p>Start at {@link dev.wal.engine.crash.DurabilityOracle}: the record of what was appended,
 * acknowledged durable and cut, and the check of a recovered log against it ({@link
 * dev.wal.engine.crash.Batches} holds what atomic batches promise: whole or not at all). {@link
 * dev.wal.engine.crash.LogDriver} runs one thread's random operations and tells the oracle; {@link
 * dev.wal.engine.crash.Workloads} runs one thread, or several in phases; {@link
 * dev.wal.engine.crash.CrashHarness} has the storage, crash options, bounded runs and the image
 * check. The tests: {@code CrashSweepTest} (a crash after every operation), {@code
 * ConcurrentCrashTest} (crashes while threads append), {@code RecoveryCrashTest} (a crash while
 * recovering from one), {@code IoErrorSweepTest} (fail the N-th operation), {@code
 * ConcurrentIoErrorTest} (an error at a random operation of several threads), {@code
 * LinuxFsyncFailureTest}, {@code SilentCorruptionTest}, {@code OutOfSpaceTest}, {@code
 * FoundBugsTest} (what the suite found, reduced), {@code DurabilityOracleTest} (the oracle
 * catches broken logs) and {@code CrashSuiteTotalsTest} (the run's totals, checked last). {@code
 * CrashSoak} runs them all for as long as asked; see the README, "The crash-consistency suite".
 */
package dev.wal.engine.crash;
