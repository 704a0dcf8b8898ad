package io.regionstore;

import io.regionstore.errors.StoreLockedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A second process for {@link MultiProcessTest}: {@code write DIR} tries to open the store for
 * writing; {@code read DIR} opens it read-only and prints every region's name and content hash;
 * {@code hold DIR NAME} opens NAME read-only, prints READY and keeps it open until its standard
 * input closes (or it is killed).
 */
public final class StoreChild {
  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "write" -> {
        try (RegionStore store = RegionStore.open(dir)) {
          System.out.println("OPENED");
        } catch (StoreLockedException e) {
          System.out.println("LOCKED " + e.getMessage());
        }
      }
      case "read" -> {
        try (RegionStore store = RegionStore.openReadOnly(dir)) {
          System.out.println("GENERATION " + store.generation());
          for (String name : store.list()) {
            System.out.println("REGION " + name + " " + Arrays.hashCode(RegionStoreTest.readAll(store, name)));
          }
        }
      }
      case "hold" -> {
        try (RegionStore store = RegionStore.openReadOnly(dir);
            RegionReader reader = store.openReader(args[2])) {
          System.out.println("READY " + reader.length());
          System.out.flush();
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          byte[] content = new byte[(int) reader.length()];
          reader.read(0, content, 0, content.length);
          System.out.println("HASH " + Arrays.hashCode(content));
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
