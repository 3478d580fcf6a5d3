package dev.wal.vfs.faulty;

/**
 * One entry of a {@link FaultyVfs}'s trace: an operation, an injected fault, or a test's mark.
 *
 * @param index the operation's position in the sequence, from 1; injected faults share the index
 *     of the operation they struck
 * @param thread the name of the calling thread
 * @param kind the operation kind
 * @param file the file's name when called (after a rename, the new one, also through a handle
 *     opened before it), or null for operations on the directory as a whole
 * @param offset the offset, or -1 where none applies
 * @param length the byte count, or -1 where none applies
 * @param outcome what happened: {@code ok}, an error, or the fault injected
 * @param injected whether this entry records an injected fault
 */
public record TraceEvent(
    long index,
    String thread,
    OpKind kind,
    String file,
    long offset,
    long length,
    String outcome,
    boolean injected) {

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder().append('#').append(index).append(' ');
    out.append(injected ? "FAULT " : "").append(kind);
    if (file != null) {
      out.append(' ').append(file);
    }
    if (offset >= 0) {
      out.append(" @").append(offset);
    }
    if (length >= 0) {
      out.append(" len=").append(length);
    }
    return out.append(" [").append(thread).append("] ").append(outcome).toString();
  }
}
