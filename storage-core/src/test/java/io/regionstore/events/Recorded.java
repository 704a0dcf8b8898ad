package io.regionstore.events;

import io.regionstore.StoreOptions;
import io.regionstore.io.ForwardingFileChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records one event type, with no threshold, while an action runs, and reads the events back; and
 * makes stores whose I/O fails on demand, to record failures.
 */
final class Recorded {
  /** What runs under the recording. */
  @FunctionalInterface
  interface Action {
    void run() throws IOException;
  }

  private Recorded() {}

  /** Store options whose channels fail every {@code operation} call while {@code armed} is set. */
  static StoreOptions failing(String operation, AtomicBoolean armed) {
    return StoreOptions.builder()
        .channelOpener(
            (path, options) ->
                new ForwardingFileChannel(FileChannel.open(path, options)) {
                  @Override
                  protected void beforeCall(String op, long position) throws IOException {
                    if (op.equals(operation) && armed.get()) {
                      throw new IOException("injected " + operation + " failure");
                    }
                  }
                })
        .build();
  }

  /** The events named {@code name} that {@code action} emitted whose {@code field} is {@code value}, in order. */
  static List<RecordedEvent> during(String name, String field, String value, Action action) throws IOException {
    Path file = Files.createTempFile("regionstore-events", ".jfr");
    try {
      try (Recording recording = new Recording()) {
        recording.enable(name).withThreshold(Duration.ZERO);
        recording.start();
        action.run();
        recording.stop();
        recording.dump(file);
      }
      return RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().equals(name) && value.equals(e.getString(field)))
          .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime()))
          .toList();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
