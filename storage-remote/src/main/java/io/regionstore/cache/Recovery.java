package io.regionstore.cache;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a restarted cache keeps: the journal's claims whose slot exists and whose bytes match the
 * recorded checksum, checked at open, before any view can be handed out.
 *
 * @param adopted the verified claims, oldest record first
 * @param dropped claims refused: slot beyond the file, block outside its content, a key claimed
 *     again by a newer record, or bytes that do not match
 */
record Recovery(List<CacheJournal.Claim> adopted, int dropped) {
  /**
   * Checks every claim against the slot it names in {@code file}. The checksums are computed in
   * parallel (the common fork-join pool): at open this is the cost of reading the whole cache.
   */
  static Recovery verify(List<CacheJournal.Claim> claims, SlotFile file, int blockSize) {
    List<CacheJournal.Claim> candidates = new ArrayList<>();
    Set<BlockKey> seen = new HashSet<>();
    // Newest first, so that of two claims of one key (never made by this code) the newer one wins.
    for (int i = claims.size() - 1; i >= 0; i--) {
      CacheJournal.Claim c = claims.get(i);
      BlockKey key = c.key();
      if (c.slot() < file.slots()
          && key.index() < key.content().blockCount(blockSize)
          && seen.add(key)) {
        candidates.add(c);
      }
    }
    List<CacheJournal.Claim> kept =
        new ArrayList<>(candidates.parallelStream().filter(c -> matches(c, file, blockSize)).toList());
    kept.sort((a, b) -> Long.compare(a.position(), b.position()));
    return new Recovery(kept, claims.size() - kept.size());
  }

  private static boolean matches(CacheJournal.Claim c, SlotFile file, int blockSize) {
    BlockKey key = c.key();
    long length = Math.min(blockSize, key.content().length() - key.index() * blockSize);
    MemorySegment bytes = file.slot(c.slot()).asSlice(0, length);
    return Arrays.equals(BlockChecksum.of(bytes), c.checksum());
  }
}
