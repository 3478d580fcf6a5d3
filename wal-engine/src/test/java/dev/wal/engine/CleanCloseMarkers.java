package dev.wal.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Clean-close markers for the meta file, as the fuzzer and the seeded test plant them over a
 * {@link LogImages} log: the marker its clean close wrote, or one whose fields are near it, name
 * another segment, or are anything at all. Every field keeps the true value half the time, so that
 * a marker that matches (and the open that skips the rewrite) is common.
 */
final class CleanCloseMarkers {
  private CleanCloseMarkers() {}

  /** {@return the marker the image's clean close wrote (every image has one)} */
  static LogMeta.CleanClose truth(LogImages.Image image) {
    ByteBuffer meta = imageMeta(image);
    return new LogMeta.CleanClose(
        meta.getLong(WalFormat.META_CLEAN_LAST_LSN_OFFSET),
        meta.getLong(WalFormat.META_CLEAN_SEGMENT_OFFSET),
        meta.getLong(WalFormat.META_CLEAN_BYTES_OFFSET));
  }

  /** {@return the image's logical first LSN, as its meta file holds it} */
  static long firstLsn(LogImages.Image image) {
    return imageMeta(image).getLong(WalFormat.META_FIRST_LSN_OFFSET);
  }

  private static ByteBuffer imageMeta(LogImages.Image image) {
    byte[] bytes = image.files().get(SegmentNames.META);
    if (bytes == null) {
      throw new IllegalStateException("image '" + image.shape() + "' has no meta file");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * {@return a marker for the image: none, the true one, or one with some fields changed: a
   * segment that is another one or none of the image's, a size near the true one or any, a last
   * LSN near the true one, before the segment's start, past the end, or any} Out of choices (all
   * 0), it is none.
   *
   * @param applied receives what the marker holds, for messages
   */
  static LogMeta.CleanClose perturbed(
      LogImages.Image image, Mutations.Choices choices, List<String> applied) {
    if (choices.pick(4) == 0) {
      applied.add("no clean-close marker");
      return null;
    }
    LogMeta.CleanClose truth = truth(image);
    List<String> segments = SegmentFiles.segmentNames(image.files().keySet());
    long segment = truth.segmentFirstLsn();
    switch (choices.pick(8)) {
      case 0 -> segment = SegmentNames.parseSegmentName(
          segments.get(choices.pick(segments.size()))); // maybe an older one
      case 1 -> segment += choices.pick(5) - 2;
      case 2 -> segment = choices.anyLong();
      default -> {}
    }
    long bytes = truth.segmentBytes();
    switch (choices.pick(8)) {
      case 0 -> bytes += choices.pick(1025) - 512;
      case 1 -> bytes = Layout.alignUp(bytes + 1, 512) * (1 + choices.pick(2));
      case 2 -> bytes = choices.anyLong();
      default -> {}
    }
    long lastLsn = truth.lastLsn();
    switch (choices.pick(10)) {
      case 0 -> lastLsn += choices.pick(5) - 2;
      case 1 -> lastLsn = segment - 1 - choices.pick(3); // an empty segment, or before its start
      case 2 -> lastLsn += 1 + choices.pick(1 << 20); // past the end
      case 3 -> lastLsn = choices.anyLong();
      case 4 -> lastLsn = Mutations.HUGE_LONGS[choices.pick(Mutations.HUGE_LONGS.length)];
      default -> {}
    }
    LogMeta.CleanClose marker = new LogMeta.CleanClose(lastLsn, segment, bytes);
    applied.add("clean-close marker " + marker + (marker.equals(truth) ? " (the true one)" : ""));
    return marker;
  }

  /**
   * {@return the image's meta file (its first LSN, no reset, a right checksum) with {@code
   * marker} in place of its own}
   */
  static byte[] metaWith(LogImages.Image image, LogMeta.CleanClose marker) {
    return LogImages.meta(
        WalFormat.META_MAGIC, WalFormat.FORMAT_VERSION, firstLsn(image), 0, marker, true);
  }

  /** {@return the clean-close marker in a meta file's bytes, or null if it holds none} */
  static LogMeta.CleanClose markerIn(byte[] meta) {
    ByteBuffer fields = ByteBuffer.wrap(meta).order(ByteOrder.LITTLE_ENDIAN);
    long segment = fields.getLong(WalFormat.META_CLEAN_SEGMENT_OFFSET);
    return segment == 0 ? null : new LogMeta.CleanClose(
        fields.getLong(WalFormat.META_CLEAN_LAST_LSN_OFFSET), segment,
        fields.getLong(WalFormat.META_CLEAN_BYTES_OFFSET));
  }
}
