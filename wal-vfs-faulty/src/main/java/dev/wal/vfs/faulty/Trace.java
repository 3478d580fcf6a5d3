package dev.wal.vfs.faulty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A ring buffer of the latest trace events. Not thread-safe; the owner serialises calls. */
final class Trace {
  private final int capacity;
  private final ArrayDeque<TraceEvent> events;
  private long dropped;

  Trace(int capacity) {
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  void add(TraceEvent event) {
    if (events.size() == capacity) {
      events.removeFirst();
      dropped++;
    }
    events.addLast(event);
  }

  List<TraceEvent> snapshot() {
    return List.copyOf(new ArrayList<>(events));
  }

  String print() {
    StringBuilder out = new StringBuilder();
    if (dropped > 0) {
      out.append("... ").append(dropped).append(" earlier events dropped (trace capacity ")
          .append(capacity).append(")\n");
    }
    for (TraceEvent event : events) {
      out.append(event).append('\n');
    }
    return out.toString();
  }
}
