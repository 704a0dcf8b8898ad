package io.regionstore.lucene;

import java.io.IOException;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * An input that reports every byte range read through it, its clones and slices (at their offset
 * in the file) to a {@link ReadRecorder}. It is deliberately not a {@code RandomAccessInput} or
 * {@code MemorySegmentAccessInput}, so that every read goes through a method that records it.
 * Thread-safety as the wrapped input's (one input per thread, as Lucene uses them).
 */
final class RecordingIndexInput extends IndexInput {
  private final String file;
  private final IndexInput in;
  private final long base;
  private final ReadRecorder recorder;

  RecordingIndexInput(String file, IndexInput in, long base, ReadRecorder recorder) {
    super("recording(" + in + ")");
    this.file = file;
    this.in = in;
    this.base = base;
    this.recorder = recorder;
  }

  private void record(long length) {
    recorder.record(file, base + in.getFilePointer(), length);
  }

  @Override
  public byte readByte() throws IOException {
    record(1);
    return in.readByte();
  }

  @Override
  public void readBytes(byte[] b, int offset, int len) throws IOException {
    record(len);
    in.readBytes(b, offset, len);
  }

  @Override
  public short readShort() throws IOException {
    record(Short.BYTES);
    return in.readShort();
  }

  @Override
  public int readInt() throws IOException {
    record(Integer.BYTES);
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    record(Long.BYTES);
    return in.readLong();
  }

  @Override
  public void skipBytes(long numBytes) throws IOException {
    seek(getFilePointer() + numBytes);
  }

  @Override
  public long getFilePointer() {
    return in.getFilePointer();
  }

  @Override
  public void seek(long pos) throws IOException {
    in.seek(pos);
  }

  @Override
  public long length() {
    return in.length();
  }

  @Override
  public IndexInput slice(String description, long offset, long length) throws IOException {
    recorder.slice(file, base + offset, length);
    return new RecordingIndexInput(file, in.slice(description, offset, length), base + offset, recorder);
  }

  @Override
  public IndexInput slice(String description, long offset, long length, IOContext context) throws IOException {
    recorder.slice(file, base + offset, length);
    return new RecordingIndexInput(file, in.slice(description, offset, length, context), base + offset, recorder);
  }

  @Override
  public RecordingIndexInput clone() {
    return new RecordingIndexInput(file, in.clone(), base, recorder);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
