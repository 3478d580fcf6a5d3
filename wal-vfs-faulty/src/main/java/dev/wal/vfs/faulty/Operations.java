package dev.wal.vfs.faulty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each operation of a {@link FaultyVfs} under one lock: numbers it, lets the error rules
 * strike before or after it, traces it, tells the handler, and fires crash points. Safe for use
 * by many threads; every method takes the lock.
 */
final class Operations {
  /** The body of one operation, run with the lock held. */
  interface Body<T> {
    T run(long index) throws IOException;
  }

  /** What an injected failure of the operation does besides throwing. */
  interface OnInjected {
    void apply(boolean afterOperation) throws IOException;
  }

  private final FaultyVfs owner;
  final Object lock = new Object();
  private final Trace trace;
  private final FaultInjector injector;
  private long count;
  private String haltReason;
  private OperationHandler handler;
  private final List<CrashPoint> crashPoints = new ArrayList<>();

  Operations(FaultyVfs owner, FaultConfig config) {
    this.owner = owner;
    this.trace = new Trace(config.traceCapacity);
    this.injector = new FaultInjector(config.seed, config.rules);
  }

  <T> T operate(OpKind kind, String file, long offset, long length, Body<T> body,
      OnInjected onInjected) throws IOException {
    synchronized (lock) {
      long index = ++count;
      String outcome = "ok";
      boolean injected = false;
      try {
        if (haltReason != null) {
          throw new InjectedIOException(index, "storage halted: " + haltReason);
        }
        FaultRule rule = injector.check(kind, file);
        if (rule != null && !rule.isAfterOperation()) {
          if (onInjected != null) {
            onInjected.apply(false);
          }
          throw injected(index, rule, kind, file, "before " + kind.name().toLowerCase());
        }
        T result = body.run(index);
        if (rule != null) {
          if (result instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
          }
          if (onInjected != null) {
            onInjected.apply(true);
          }
          throw injected(index, rule, kind, file,
              "after " + kind.name().toLowerCase() + " took effect");
        }
        return result;
      } catch (IOException | RuntimeException e) {
        injected = InjectedFault.isInjected(e);
        outcome = (injected ? "" : "error: ") + e.getMessage();
        throw e;
      } finally {
        finish(new TraceEvent(index, Thread.currentThread().getName(), kind, file, offset,
            length, outcome, injected));
      }
    }
  }

  private static IOException injected(long index, FaultRule rule, OpKind kind, String file,
      String when) {
    String message =
        rule + " struck " + kind + (file == null ? "" : " of '" + file + "'") + " " + when;
    return rule.failure() == FaultRule.Failure.OUT_OF_SPACE
        ? new InjectedOutOfSpaceException(index, message)
        : new InjectedIOException(index, message);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // The caller gets the injected failure; the handle it never saw is closed best-effort.
    }
  }

  long mark(String label) {
    synchronized (lock) {
      long index = ++count;
      finish(new TraceEvent(index, Thread.currentThread().getName(), OpKind.MARK, null, -1, -1,
          label, false));
      return index;
    }
  }

  /** Records a silent fault in the trace under the index of the operation it struck. */
  void recordFault(long index, OpKind kind, String file, long offset, long length, String what) {
    synchronized (lock) {
      trace.add(new TraceEvent(index, Thread.currentThread().getName(), kind, file, offset,
          length, what, true));
    }
  }

  private void finish(TraceEvent event) {
    trace.add(event);
    if (handler != null) {
      handler.onOperation(event);
    }
    for (CrashPoint point : List.copyOf(crashPoints)) {
      if (point.operationIndex() == event.index()) {
        crashPoints.remove(point);
        point.fire(owner);
        halt("crashed after operation #" + event.index());
      }
    }
  }

  void addRule(FaultRule rule) {
    synchronized (lock) {
      injector.add(rule);
    }
  }

  void addCrashPoint(CrashPoint point) {
    synchronized (lock) {
      crashPoints.add(point);
    }
  }

  void setHandler(OperationHandler handler) {
    synchronized (lock) {
      this.handler = handler;
    }
  }

  void halt(String reason) {
    synchronized (lock) {
      if (haltReason == null) {
        haltReason = reason;
      }
    }
  }

  boolean isHalted() {
    synchronized (lock) {
      return haltReason != null;
    }
  }

  long count() {
    synchronized (lock) {
      return count;
    }
  }

  List<TraceEvent> traceSnapshot() {
    synchronized (lock) {
      return trace.snapshot();
    }
  }

  String printTrace() {
    synchronized (lock) {
      return trace.print();
    }
  }
}
