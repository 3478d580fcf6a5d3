package dev.wal.vfs.testkit;

import dev.wal.vfs.Vfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The conformance kit: every sentence of the {@link Vfs} and {@link dev.wal.vfs.VfsFile}
 * contracts as a test, and a check of every {@linkplain dev.wal.vfs.VfsCapabilities capability}
 * a backend claims.
 *
 * <p>A backend's test extends this class and implements {@link #newVfs()} (the pattern of Hadoop's
 * contract tests and Lucene's {@code BaseDirectoryTestCase}); a downstream team can do the same
 * for its own provider. What a backend does not claim is skipped with an assumption saying why.
 * Claims that only a power loss or an injected failure can check use the hooks {@link
 * #simulatePowerLoss(Vfs)} and {@link #failNextFlush(Vfs, String)}; a backend that cannot offer
 * them leaves the defaults, and those tests are skipped with the reason.
 *
 * <p>The tests live in package-private interfaces by area (files, names and open modes, the
 * directory, locks, closing, concurrency, capabilities, and a seeded model-based test of 10,000
 * operations); this class gathers them.
 *
 * <p>Randomized tests take their seed from {@code -Dwal.tests.seed=...} and print it, with the
 * command that replays them, when they fail.
 */
public abstract class VfsContractTest
    implements FileContract,
        OpenContract,
        NameContract,
        DirectoryContract,
        LockContract,
        CloseContract,
        ConcurrencyContract,
        CapabilityContract,
        ModelContract {
  private final List<Vfs> opened = new ArrayList<>();
  private Vfs vfs;

  /**
   * Creates a fresh, empty storage for one test. The kit closes it (and every second {@code Vfs})
   * after the test; release anything else in the subclass's own {@code @AfterEach}.
   *
   * @return the storage
   * @throws IOException if it could not be created
   */
  protected abstract Vfs newVfs() throws IOException;

  /**
   * Opens a second {@code Vfs} on the same storage as {@code first}: it must see the same files
   * and share its locks. The default opens {@code first.spec()}.
   *
   * @param first the storage the test works on
   * @return another {@code Vfs} on it
   * @throws IOException if it could not be opened
   */
  protected Vfs openSecond(Vfs first) throws IOException {
    return Vfs.open(first.spec());
  }

  /**
   * Simulates a power loss of the storage {@code vfs} is open on and returns a {@code Vfs} on the
   * storage as the power loss left it: it must hold everything a claimed capability made durable
   * ({@code flush()} for file contents, {@code syncDirectory()} for creates, renames and deletes).
   * The kit does not use {@code vfs} or its files afterwards, except to close them. The default
   * skips the calling test: a backend without simulated crashes cannot check durability.
   *
   * @param vfs the storage to crash
   * @return the storage after the power loss
   * @throws IOException if the simulation failed
   */
  public Vfs simulatePowerLoss(Vfs vfs) throws IOException {
    Assumptions.abort(
        getClass().getSimpleName() + " does not simulate a power loss (simulatePowerLoss), so"
            + " durability claims cannot be checked here; the fault-injecting backend checks them");
    throw new AssertionError("unreachable");
  }

  /**
   * Makes the next {@code flush()} of the named file, through a handle of {@code vfs} opened
   * after this call, throw an {@link IOException} other than a {@code ClosedChannelException}, as
   * a failed fsync would. The default skips the calling test.
   *
   * @param vfs the storage
   * @param fileName the file whose next flush must fail
   * @throws IOException if the failure could not be arranged
   */
  public void failNextFlush(Vfs vfs, String fileName) throws IOException {
    Assumptions.abort(
        getClass().getSimpleName() + " cannot inject a failed flush (failNextFlush), so the"
            + " poisoned handle is checked by AbstractVfsFile's own tests and the faulty backend");
  }

  /**
   * Returns the spec a child JVM opens to reach the same storage, for the inter-process lock
   * test (run only where {@code interProcessLock} is claimed). The default is {@code vfs.spec()}.
   *
   * @param vfs the storage
   * @return a spec that {@link Vfs#open(String)} understands in another process
   */
  public String specForOtherProcess(Vfs vfs) {
    return vfs.spec();
  }

  @Override
  public final Vfs vfs() {
    return vfs;
  }

  @Override
  public final Vfs openSecondVfs() throws IOException {
    Vfs second = openSecond(vfs);
    opened.add(second);
    return second;
  }

  @BeforeEach
  final void openVfsUnderTest() throws IOException {
    vfs = newVfs();
    opened.add(vfs);
  }

  @AfterEach
  final void closeEveryVfs() throws IOException {
    IOException failure = null;
    for (Vfs each : opened) {
      try {
        each.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    opened.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
