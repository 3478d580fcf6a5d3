package dev.wal.vfs.faulty;

import dev.wal.vfs.AbstractVfs;
import dev.wal.vfs.AbstractVfsFile;
import dev.wal.vfs.Vfs;
import dev.wal.vfs.VfsCapabilities;
import dev.wal.vfs.VfsLock;
import dev.wal.vfs.VfsSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Vfs} decorator that injects faults and simulates crashes, deterministically from a
 * seed. Open one with {@code Vfs.open("faulty:memory:orders?seed=42")} or {@link #wrap(Vfs,
 * FaultConfig)}.
 *
 * <p>All data lives in the inner storage; this class keeps, per file, what is durable and what is
 * only written (at byte-range granularity), and per directory which creates, renames and deletes
 * a directory sync made durable. {@link #crash(CrashOptions, Vfs)} writes the state a power loss
 * (or a process crash) would leave into another storage, without disturbing this one. With {@link
 * FaultConfig#none()} it behaves as the inner storage and passes the conformance kit; its
 * capabilities are the inner storage's, except that flush and directory sync are durable: that
 * is what it simulates.
 *
 * <p>Faults, all from {@link FaultConfig}: errors on any {@link OpKind} by {@link FaultRule}, the
 * fate of dirty data after a failed flush ({@link FlushFailureMode}), a space quota, and silent
 * faults shown only to reads (bit flips, latent sector errors, misdirected writes) as overlays
 * over the true data, which {@link #setSilentFaultsEnabled(boolean)} switches off. Every
 * operation and every fault goes into a bounded {@link #trace()}.
 *
 * <p><b>Memory.</b> Per file, the bytes written since its last flush and the durable bytes they
 * replaced, never a copy of the whole file: a 64 MiB preallocated segment costs nothing until it
 * is written. A truncate keeps the durable bytes it cut off until the next flush.
 *
 * <p>The inner storage must support {@link Vfs#rename}: a deleted or replaced file is kept under
 * a hidden name (starting with {@code ~faulty~}, names refused here) until the next directory
 * sync, so that a crash can bring it back.
 *
 * <p><b>Thread safety and determinism.</b> Safe for use by many threads. One lock serialises every
 * operation, so the trace is a total order. Given the same seed, the same sequence of operations
 * (the trace) gives the same faults and the same crash images, byte for byte. When threads race,
 * the order of operations may differ from run to run; decisions by probability are drawn per file
 * (seed, rule, file name, the file's count of calls), so the faults on one file do not depend on
 * the interleaving with other files, but a rule's N-th call counts across all files.
 */
public final class FaultyVfs extends AbstractVfs {
  private final Vfs inner;
  private final FaultConfig config;
  private final int sectorSize;
  final Namespace namespace = new Namespace();
  final KnownFiles files;
  final SilentFaults silent;
  final Operations operations;
  private final CrashImages crashImages;

  private FaultyVfs(Vfs inner, FaultConfig config, String spec) {
    super(spec, capabilities(inner.capabilities(), config));
    this.inner = inner;
    this.config = config;
    this.sectorSize = capabilities().sectorSize();
    this.operations = new Operations(this, config);
    this.silent = new SilentFaults(config, sectorSize);
    this.files = new KnownFiles(inner, namespace);
    this.crashImages = new CrashImages(this);
  }

  private static VfsCapabilities capabilities(VfsCapabilities inner, FaultConfig config) {
    int sector = config.sectorSize > 0 ? config.sectorSize : inner.sectorSize();
    return new VfsCapabilities(sector, true, true, inner.atomicRename(), inner.interProcessLock());
  }

  /**
   * Wraps a storage. Its files as they are now count as durable. Closing the returned storage
   * closes {@code inner}.
   *
   * @param inner the storage to wrap; must support rename
   * @param config the faults to inject
   * @return the faulty storage
   * @throws IOException if listing or sizing the inner storage's files failed
   */
  public static FaultyVfs wrap(Vfs inner, FaultConfig config) throws IOException {
    Objects.requireNonNull(inner, "inner");
    Objects.requireNonNull(config, "config");
    String spec = VfsSpec.of("faulty", inner.spec(), Map.of("seed", Long.toString(config.seed)))
        .toString();
    FaultyVfs vfs = new FaultyVfs(inner, config, spec);
    vfs.files.adoptExisting();
    return vfs;
  }

  /**
   * Opens the inner storage by spec and wraps it.
   *
   * @param innerSpec for example {@code memory:orders-test}
   * @param config the faults to inject
   * @return the faulty storage; closing it closes the inner one
   * @throws IOException if opening the inner storage failed
   */
  public static FaultyVfs open(String innerSpec, FaultConfig config) throws IOException {
    Vfs inner = Vfs.open(innerSpec);
    boolean success = false;
    try {
      FaultyVfs vfs = wrap(inner, config);
      success = true;
      return vfs;
    } finally {
      if (!success) {
        inner.close();
      }
    }
  }

  /** {@return the configuration} */
  public FaultConfig config() {
    return config;
  }

  Vfs inner() {
    return inner;
  }

  /** {@return how many operations (and marks) this storage has seen} */
  public long operationCount() {
    return operations.count();
  }

  /** {@return the latest trace events, oldest first, at most the configured capacity} */
  public List<TraceEvent> trace() {
    return operations.traceSnapshot();
  }

  /** {@return the trace as text, one event a line} */
  public String printTrace() {
    return operations.printTrace();
  }

  /**
   * Puts a label into the trace, for example {@code "acknowledged lsn 17"}, so that a test can
   * tell later which acknowledgements came before a crash point. A mark counts as an operation.
   *
   * @param label any text
   * @return the mark's index in the trace
   */
  public long mark(String label) {
    return operations.mark(label);
  }

  /**
   * Adds an error rule after the others; it counts matching calls from now on. For example,
   * {@code addRule(FaultRule.failOn(OpKind.FLUSH).files("wal-1.seg"))} fails the next flush of
   * that file.
   *
   * @param rule the rule
   */
  public void addRule(FaultRule rule) {
    operations.addRule(Objects.requireNonNull(rule, "rule"));
  }

  /**
   * Sets the handler told of every finished operation, replacing any earlier one.
   *
   * @param handler the handler, or null for none
   */
  public void setOperationHandler(OperationHandler handler) {
    operations.setHandler(handler);
  }

  /**
   * Makes every later call on this storage and its files fail with {@link InjectedIOException},
   * as after the process died. Files and locks stay open until closed.
   *
   * @param reason what the failures say
   */
  public void halt(String reason) {
    operations.halt(Objects.requireNonNull(reason, "reason"));
  }

  /** {@return whether {@link #halt(String)} was called, or a crash point fired} */
  public boolean isHalted() {
    return operations.isHalted();
  }

  /**
   * Shows (true, the default) or hides the silent faults to reads. Hiding them shows the true
   * data; the faults stay recorded, and no new ones are injected while hidden.
   *
   * @param enabled whether reads see silent faults
   */
  public void setSilentFaultsEnabled(boolean enabled) {
    synchronized (operations.lock) {
      silent.enabled = enabled;
    }
  }

  /**
   * Makes reads of {@code bytes.length} bytes at {@code offset} of a file return {@code bytes}
   * instead of what is stored (silent corruption, "bit rot"), until a write covers them or silent
   * faults are switched off. The stored data and crash images are untouched.
   *
   * @param name the file's name
   * @param offset where the corruption starts
   * @param bytes what reads return there
   * @throws java.nio.file.NoSuchFileException if no such file exists
   * @throws IOException if the inner storage failed
   */
  public void corruptOnRead(String name, long offset, byte[] bytes) throws IOException {
    checkName(name);
    if (offset < 0) {
      throw new IllegalArgumentException("offset (" + offset + ") must not be negative");
    }
    synchronized (operations.lock) {
      liveNode(name).overlay.put(offset, bytes.clone());
    }
  }

  /**
   * Marks the sector holding {@code offset} of a file bad: reads touching it throw (or return
   * garbage, as configured) until a write covers the whole sector, or silent faults are
   * switched off. It stays bad in crash images taken later.
   *
   * @param name the file's name
   * @param offset any offset in the sector
   * @throws java.nio.file.NoSuchFileException if no such file exists
   * @throws IOException if the inner storage failed
   */
  public void addLatentSectorError(String name, long offset) throws IOException {
    checkName(name);
    if (offset < 0) {
      throw new IllegalArgumentException("offset (" + offset + ") must not be negative");
    }
    synchronized (operations.lock) {
      liveNode(name).badSectors.add(offset / sectorSize);
    }
  }

  private FileNode liveNode(String name) throws IOException {
    ensureOpen();
    FileNode node = Namespace.isReserved(name) ? null : files.known(name);
    if (node == null) {
      throw new java.nio.file.NoSuchFileException(name, null, "no such file in " + spec());
    }
    return node;
  }

  /**
   * Writes the state a crash would leave into {@code target}, without changing this storage, and
   * returns a faulty storage over it that code can reopen on (and crash again). The image holds
   * the true data; of the silent faults, only latent sector errors carry over into it (a power
   * loss heals no sector), while bit flips, misdirected writes and {@link #corruptOnRead} stay
   * with this storage.
   *
   * @param options what the crash keeps, and its seed
   * @param target an empty storage that receives the image; the returned storage owns it
   * @return a faulty storage over the image, configured by {@code options}
   * @throws IllegalArgumentException if {@code target} is not empty
   * @throws IOException if reading this storage or writing the image failed
   */
  public FaultyVfs crash(CrashOptions options, Vfs target) throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(target, "target");
    synchronized (operations.lock) {
      ensureOpen();
      return crashImages.take(options, target);
    }
  }

  /**
   * Opens the target by spec (for example {@code memory:crash-1}, a fresh name) and writes the
   * crash image into it, as {@link #crash(CrashOptions, Vfs)}.
   *
   * @param options what the crash keeps
   * @param targetSpec the spec of an empty storage
   * @return a faulty storage over the image
   * @throws IOException if opening the target, reading this storage or writing failed
   */
  public FaultyVfs crash(CrashOptions options, String targetSpec) throws IOException {
    Vfs target = Vfs.open(targetSpec);
    boolean success = false;
    try {
      FaultyVfs image = crash(options, target);
      success = true;
      return image;
    } finally {
      if (!success) {
        target.close();
      }
    }
  }

  /**
   * Arms a crash right after the operation of index {@code operationIndex} (see {@link
   * #operationCount()}): the image goes into {@code target}, and this storage halts.
   *
   * @param operationIndex the index of the last operation that happens, at least 1
   * @param options what the crash keeps
   * @param target an empty storage for the image
   * @return the crash point, to fetch the image from
   */
  public CrashPoint crashAfter(long operationIndex, CrashOptions options, Vfs target) {
    if (operationIndex < 1) {
      throw new IllegalArgumentException(
          "operationIndex (" + operationIndex + ") must be at least 1");
    }
    CrashPoint point = new CrashPoint(operationIndex, options, target);
    operations.addCrashPoint(point);
    return point;
  }

  /** {@return bytes of unflushed data and saved durable data held in memory, over all files} */
  public long heldBytes() {
    synchronized (operations.lock) {
      return files.heldBytes();
    }
  }

  <T> T operate(OpKind kind, String file, long offset, long length, Operations.Body<T> body,
      Operations.OnInjected onInjected) throws IOException {
    return operations.operate(kind, file, offset, length, body, onInjected);
  }

  void recordFault(long index, OpKind kind, String file, long offset, long length, String what) {
    operations.recordFault(index, kind, file, offset, length, what);
  }

  int sectorSize() {
    return sectorSize;
  }

  @Override
  protected AbstractVfsFile doOpen(String name, OpenMode mode) throws IOException {
    return DirectoryOps.open(this, name, mode);
  }

  @Override
  protected List<String> doList() throws IOException {
    return DirectoryOps.list(this);
  }

  @Override
  protected boolean doExists(String name) throws IOException {
    return DirectoryOps.exists(this, name);
  }

  @Override
  protected void doDelete(String name) throws IOException {
    DirectoryOps.delete(this, name);
  }

  @Override
  protected void doRename(String source, String target) throws IOException {
    DirectoryOps.rename(this, source, target);
  }

  @Override
  protected void doSyncDirectory() throws IOException {
    DirectoryOps.syncDirectory(this);
  }

  @Override
  protected VfsLock doLock(String name) throws IOException {
    return DirectoryOps.lock(this, name);
  }

  @Override
  protected void doClose() throws IOException {
    inner.close();
  }
}
