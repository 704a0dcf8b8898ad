package io.regionstore.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Records one event type, with no threshold, while an action runs, and reads the events back. */
final class Recorded {
  /** What runs under the recording. */
  @FunctionalInterface
  interface Action {
    void run() throws IOException;
  }

  private Recorded() {}

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
