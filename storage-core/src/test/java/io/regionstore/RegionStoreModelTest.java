package io.regionstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.RegionExistsException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random operations against an in-memory model, checking every byte read, the
 * namespace, what survives a reopen and the space accounting after every step.
 *
 * <p>Seeds: {@code -Dregionstore.tests.seed=N} replays one; a failure message names its seed.
 * {@code -Dregionstore.tests.long=true} runs many more seeds and operations.
 */
class RegionStoreModelTest {
  private static final boolean LONG = Boolean.getBoolean("regionstore.tests.long");
  private static final String[] NAMES = {"a", "b", "c", "d", "e", "f", "g", "h", "segments_1", "_0.cfs"};

  @TempDir Path root;

  @Test
  void randomOperationsMatchTheModel() throws Exception {
    String fixed = System.getProperty("regionstore.tests.seed");
    int seeds = fixed != null ? 1 : LONG ? 200 : 12;
    int ops = LONG ? 20_000 : 2_500;
    Random master = new Random();
    for (int i = 0; i < seeds; i++) {
      long seed = fixed != null ? Long.parseLong(fixed) : master.nextLong();
      try {
        new Run(root.resolve("s" + i), seed).run(ops);
      } catch (Throwable t) {
        throw new AssertionError("model test failed with -Dregionstore.tests.seed=" + seed + ": " + t, t);
      }
    }
  }

  private static final class Run {
    private final Path dir;
    private final Random rnd;
    private final StoreOptions options;
    private final TreeMap<String, byte[]> live = new TreeMap<>();
    private TreeMap<String, byte[]> durable = new TreeMap<>();
    private final Map<String, RegionWriter> writers = new HashMap<>();
    private final Map<String, ByteArrayOutputStream> writing = new HashMap<>();
    private final List<RegionReader> readers = new ArrayList<>();
    private final List<byte[]> readerContent = new ArrayList<>();
    private RegionStore store;

    Run(Path dir, long seed) {
      this.dir = dir;
      this.rnd = new Random(seed);
      this.options =
          StoreOptions.builder()
              .chunkSize(1 << 16)
              .firstExtentSize(4096 << rnd.nextInt(3))
              .writeBufferSize(512 << rnd.nextInt(4))
              .build();
    }

    void run(int ops) throws IOException {
      store = RegionStore.open(dir, options);
      try {
        for (int op = 0; op < ops; op++) {
          step();
          store.checkSpace();
        }
        reopen();
      } finally {
        store.close();
      }
    }

    private String name() {
      return NAMES[rnd.nextInt(NAMES.length)];
    }

    private void step() throws IOException {
      int dice = rnd.nextInt(100);
      if (dice < 15) {
        String name = name();
        if (live.containsKey(name) || writing.containsKey(name)) {
          assertThrows(RegionExistsException.class, () -> store.create(name));
        } else {
          writers.put(name, store.create(name, rnd.nextInt(4) == 0 ? rnd.nextInt(100_000) : 0));
          writing.put(name, new ByteArrayOutputStream());
        }
      } else if (dice < 40 && !writers.isEmpty()) {
        String name = pick(writers.keySet());
        byte[] chunk = new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(70_000) : rnd.nextInt(300)];
        rnd.nextBytes(chunk);
        if (chunk.length == 1) {
          writers.get(name).write(chunk[0]);
        } else {
          writers.get(name).write(chunk, 0, chunk.length);
        }
        writing.get(name).write(chunk);
        assertEquals(writing.get(name).size(), store.length(name));
      } else if (dice < 52 && !writers.isEmpty()) {
        String name = pick(writers.keySet());
        writers.remove(name).seal();
        live.put(name, writing.remove(name).toByteArray());
      } else if (dice < 62 && !live.isEmpty()) {
        String name = pick(live.keySet());
        RegionReader r = store.openReader(name);
        assertEquals(live.get(name).length, r.length());
        readers.add(r);
        readerContent.add(live.get(name));
      } else if (dice < 75 && !readers.isEmpty()) {
        int i = rnd.nextInt(readers.size());
        checkRead(readers.get(i), readerContent.get(i));
        if (rnd.nextInt(3) == 0) {
          readers.remove(i).close();
          readerContent.remove(i);
        }
      } else if (dice < 82) {
        String name = name();
        if (live.containsKey(name)) {
          store.delete(name);
          live.remove(name);
        } else if (writing.containsKey(name)) {
          store.delete(name);
          writing.remove(name);
          writers.remove(name).close(); // sealing a deleted region discards it
        } else {
          assertThrows(NoSuchRegionException.class, () -> store.delete(name));
        }
      } else if (dice < 88) {
        String from = name();
        String to = name();
        if (!live.containsKey(from) && !writing.containsKey(from)) {
          assertThrows(NoSuchRegionException.class, () -> store.rename(from, to));
        } else if (writing.containsKey(from)) {
          assertThrows(IllegalStateException.class, () -> store.rename(from, to));
        } else if (live.containsKey(to) || writing.containsKey(to)) {
          assertThrows(RegionExistsException.class, () -> store.rename(from, to));
        } else {
          store.rename(from, to);
          live.put(to, live.remove(from));
        }
      } else if (dice < 94) {
        store.syncMetadata();
        durable = new TreeMap<>(live);
      } else if (dice < 96) {
        if (!live.isEmpty()) {
          store.sync(List.of(pick(live.keySet())));
        }
      } else if (dice < 98) {
        store.compact();
        durable = new TreeMap<>(live);
      } else {
        reopen();
      }
      List<String> expected = new ArrayList<>(live.keySet());
      expected.addAll(writing.keySet());
      expected.sort(null);
      assertEquals(expected, store.list());
    }

    private void checkRead(RegionReader r, byte[] content) throws IOException {
      if (content.length == 0) {
        assertThrows(EOFException.class, () -> r.readByte(0));
        return;
      }
      int pos = rnd.nextInt(content.length);
      int len = rnd.nextInt(content.length - pos + 1);
      byte[] got = new byte[len];
      r.read(pos, got, 0, len);
      assertArrayEquals(java.util.Arrays.copyOfRange(content, pos, pos + len), got);
      assertEquals(content[pos], r.readByte(pos));
      assertThrows(EOFException.class, () -> r.read(content.length - len, new byte[len + 1], 0, len + 1));
    }

    private void reopen() throws IOException {
      for (RegionReader r : readers) {
        r.close();
      }
      readers.clear();
      readerContent.clear();
      store.close();
      writers.clear();
      writing.clear();
      live.clear();
      live.putAll(durable);
      store = RegionStore.open(dir, options);
      assertEquals(List.copyOf(durable.keySet()), store.list());
      for (Map.Entry<String, byte[]> e : durable.entrySet()) {
        assertArrayEquals(e.getValue(), RegionStoreTest.readAll(store, e.getKey()), e.getKey());
      }
      try (RegionStore readOnly = RegionStore.openReadOnly(dir)) {
        assertEquals(List.copyOf(durable.keySet()), readOnly.list());
      }
    }

    private <T> T pick(java.util.Collection<T> from) {
      int i = rnd.nextInt(from.size());
      for (T t : from) {
        if (i-- == 0) {
          return t;
        }
      }
      throw new AssertionError();
    }
  }
}
