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
 *     twice, or bytes that do not match
 */
record Recovery(List<CacheJournal.Claim> adopted, int dropped) {
  /** Checks every claim against the slot it names in {@code file}. */
  static Recovery verify(List<CacheJournal.Claim> claims, SlotFile file, int blockSize) {
    List<CacheJournal.Claim> kept = new ArrayList<>();
    Set<BlockKey> seen = new HashSet<>();
    // Newest first, so that of two claims of one key (never made by this code) the newer one wins.
    for (int i = claims.size() - 1; i >= 0; i--) {
      CacheJournal.Claim c = claims.get(i);
      BlockKey key = c.key();
      if (c.slot() >= file.slots()
          || key.index() >= key.content().blockCount(blockSize)
          || !seen.add(key)) {
        continue;
      }
      long length = Math.min(blockSize, key.content().length() - key.index() * blockSize);
      MemorySegment bytes = file.slot(c.slot()).asSlice(0, length);
      if (Arrays.equals(BlockChecksum.of(bytes), c.checksum())) {
        kept.add(c);
      }
    }
    kept.sort((a, b) -> Long.compare(a.position(), b.position()));
    return new Recovery(kept, claims.size() - kept.size());
  }
}
