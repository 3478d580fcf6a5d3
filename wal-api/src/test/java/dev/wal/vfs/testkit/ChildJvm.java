package dev.wal.vfs.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM running a main class of the test class path, with the {@code java} of {@code
 * java.home}. Reads of its output are bounded in time; closing it kills it.
 */
final class ChildJvm implements AutoCloseable {
  /** How long a child may take to answer: generous, since it only bounds a hung child. */
  private static final long ANSWER_TIMEOUT_SECONDS = 120;

  private final Process process;
  private final BufferedReader output;

  private ChildJvm(Process process) {
    this.process = process;
    this.output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildJvm(builder.start());
  }

  /** {@return the child's next output line; fails if none comes within the time bound} */
  String readLine() throws IOException, InterruptedException {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return output.readLine();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try {
      return line.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("reading the child's output failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the child JVM gave no answer within " + ANSWER_TIMEOUT_SECONDS + " s", e);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      if (!process.waitFor(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "the child JVM did not die within " + ANSWER_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the child JVM");
    }
  }
}
