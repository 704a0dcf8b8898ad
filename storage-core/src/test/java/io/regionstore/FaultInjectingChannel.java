package io.regionstore;

import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A channel that fails the calls a test selects. {@link #opener} wraps every channel a store
 * opens.
 */
final class FaultInjectingChannel extends ForwardingFileChannel {
  /** Which call is about to happen, on which file, at which position (-1 if not positional). */
  record Call(Path file, String op, long position) {}

  private final Path file;
  private final Predicate<Call> fail;

  private FaultInjectingChannel(FileChannel delegate, Path file, Predicate<Call> fail) {
    super(delegate);
    this.file = file;
    this.fail = fail;
  }

  /** An opener whose channels fail every call for which {@code fail} is true. */
  static ChannelOpener opener(Predicate<Call> fail) {
    return (path, options) -> new FaultInjectingChannel(FileChannel.open(path, options), path, fail);
  }

  @Override
  protected void beforeCall(String operation, long position) throws IOException {
    if (fail.test(new Call(file, operation, position))) {
      throw new IOException("injected failure of " + operation + " on " + file.getFileName());
    }
  }
}
