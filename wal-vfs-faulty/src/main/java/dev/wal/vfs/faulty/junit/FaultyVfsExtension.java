package dev.wal.vfs.faulty.junit;

import dev.wal.vfs.faulty.CrashOptions;
import dev.wal.vfs.faulty.FaultConfig;
import dev.wal.vfs.faulty.FaultyVfs;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives each test a fresh {@link FaultyVfs}, crash images of it, and a reproduce line when it
 * fails.
 *
 * <pre>{@code
 * @RegisterExtension
 * final FaultyVfsExtension storage = FaultyVfsExtension.over("memory:{}")
 *     .configure(faults -> faults.flushFailureMode(FlushFailureMode.LINUX));
 *
 * @Test
 * void acknowledgedRecordsSurviveAPowerLoss() throws IOException {
 *   try (MyLog log = MyLog.open(storage.vfs())) { ... }
 *   try (MyLog log = MyLog.open(storage.crash())) { ... assert what survived ... }
 * }
 * }</pre>
 *
 * <p>The seed comes from the system property {@code wal.tests.seed} when set, and is random
 * otherwise; a failing test gets it (and a command that replays it) as a suppressed exception,
 * and the end of the storage's trace on standard error. The inner storage and each crash image
 * are opened through the SPI from a spec template whose {@code {}} becomes a fresh name; they are
 * closed after each test. Register the extension as an instance field; a test method may also take
 * a {@link FaultyVfs} parameter. Instances are not thread-safe: one test at a time.
 */
public final class FaultyVfsExtension
    implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler,
        ParameterResolver {
  private static final AtomicLong NAMES = new AtomicLong();
  // A random part, so that the fresh names never collide with a user's own storages.
  private static final String RUN = Long.toHexString(new java.security.SecureRandom().nextLong());
  private static final int TRACE_TAIL_EVENTS = 40;

  private final String specTemplate;
  private UnaryOperator<FaultConfig.Builder> configuration = UnaryOperator.identity();
  private long seed;
  private FaultyVfs vfs;
  private final List<FaultyVfs> opened = new ArrayList<>();

  /** Creates the extension over {@code memory:{}}, for {@code @ExtendWith}. */
  public FaultyVfsExtension() {
    this("memory:{}");
  }

  private FaultyVfsExtension(String specTemplate) {
    if (!specTemplate.contains("{}")) {
      throw new IllegalArgumentException(
          "spec template '" + specTemplate + "' has no {} for the fresh name");
    }
    this.specTemplate = specTemplate;
  }

  /**
   * Creates the extension over storages opened from a spec template.
   *
   * @param specTemplate for example {@code memory:{}}; {@code {}} becomes a fresh name
   * @return the extension
   */
  public static FaultyVfsExtension over(String specTemplate) {
    return new FaultyVfsExtension(Objects.requireNonNull(specTemplate, "specTemplate"));
  }

  /**
   * Sets the faults of each test's storage; the seed is set afterwards, from the test seed.
   *
   * @param configuration adjusts a builder that starts with no faults
   * @return this extension
   */
  public FaultyVfsExtension configure(UnaryOperator<FaultConfig.Builder> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
    return this;
  }

  /** {@return the current test's seed} */
  public long seed() {
    return seed;
  }

  /** {@return the current test's faulty storage} */
  public FaultyVfs vfs() {
    if (vfs == null) {
      throw new IllegalStateException("no test is running: vfs() is for use inside a test");
    }
    return vfs;
  }

  /** {@return a spec from the template with a name no other call returned} */
  public String freshSpec() {
    return specTemplate.replace("{}", "faulty-junit-" + RUN + "-" + NAMES.incrementAndGet());
  }

  /**
   * Takes a power-loss crash image of the current storage with the default options (see {@link
   * CrashOptions#powerLoss()}) into a fresh storage.
   *
   * @return a faulty storage over the image, closed after the test
   * @throws IOException if taking the image failed
   */
  public FaultyVfs crash() throws IOException {
    return crash(CrashOptions.powerLoss());
  }

  /**
   * Takes a crash image of the current storage into a fresh storage.
   *
   * @param options what the crash keeps; without a seed, one derived from the test seed
   * @return a faulty storage over the image, closed after the test
   * @throws IOException if taking the image failed
   */
  public FaultyVfs crash(CrashOptions options) throws IOException {
    FaultyVfs image = vfs().crash(options, freshSpec());
    opened.add(image);
    return image;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    String property = System.getProperty("wal.tests.seed", "");
    seed = property.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(property.trim());
    FaultConfig config = configuration.apply(FaultConfig.builder()).seed(seed).build();
    vfs = FaultyVfs.open(freshSpec(), config);
    opened.add(vfs);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    IOException failure = null;
    for (FaultyVfs each : opened) {
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
    vfs = null;
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw addReproduceLine(context.getRequiredTestClass(),
        context.getTestMethod().map(Method::getName).orElse(null), throwable);
  }

  /** Prints the seed, a reproduce line and the trace's end, and attaches the line to the failure. */
  Throwable addReproduceLine(Class<?> testClass, String methodName, Throwable throwable) {
    String reproduce = "faulty storage seed " + seed + "; reproduce with: mvn -B verify -Dtest="
        + testClass.getSimpleName() + (methodName == null ? "" : "#" + methodName)
        + " -Dwal.tests.seed=" + seed;
    System.err.println(reproduce);
    if (vfs != null) {
      List<?> events = vfs.trace();
      System.err.println("last trace events of " + vfs.spec() + ":");
      events.subList(Math.max(0, events.size() - TRACE_TAIL_EVENTS), events.size())
          .forEach(System.err::println);
    }
    throwable.addSuppressed(new AssertionError(reproduce));
    return throwable;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FaultyVfs.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return vfs();
  }
}
