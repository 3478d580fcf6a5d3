/**
 * The benchmark: the log beside the disk's own limits and RocksDB, in one run.
 *
 * <p>Start at {@link dev.wal.bench.BenchMain}, the command line. It builds a {@code BenchConfig}
 * and hands it to {@code Bench}, which runs every cell (a workload at one record size and thread
 * count) for each {@code Contender} in turn: {@code DurableRun} (durable and steady workloads),
 * {@code BufferedRun} and {@code RecoveryRun} drive a contender's {@code Store} and return a {@code
 * Result} with HdrHistogram percentiles; in the steady workload the log's store runs a {@code
 * Checkpointer} that truncates the log behind the appenders. {@code Report} prints the table, {@code ResultFiles} writes CSV and JSON, and
 * {@code ThroughputChart} draws the PNG.
 *
 * <p>The contenders: {@code ForceEachContender} and {@code IdealGroupCommitContender} measure the
 * disk itself with plain {@code FileChannel}s, {@code RocksDbContender} runs RocksDB with
 * synchronous writes, and the log contenders run the log on each backend.
 *
 * <p>This is an application, shaded into one jar and run on the class path, so it has no module
 * descriptor.
 */
package dev.wal.bench;
