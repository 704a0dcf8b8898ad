package io.regionstore.cache;

import io.regionstore.io.ChannelOpener;

/**
 * How the cache journal is written: the seam tests use to inject faults and to make syncs and
 * prunes frequent.
 *
 * @param opener opens the journal's channels
 * @param bufferSize bytes of records buffered before a write (the journal flushes after each fetch
 *     anyway)
 * @param syncEvery blocks recorded between two fsyncs of the journal; a crash loses at most the
 *     records since the last one (those blocks are fetched again later)
 * @param minDeadToPrune dead records (superseded or freed) the journal may hold before it is pruned,
 *     whatever the number of live ones
 */
record JournalSettings(ChannelOpener opener, int bufferSize, int syncEvery, int minDeadToPrune) {
  /** Plain channels, a 16 KiB buffer, an fsync every 256 blocks, prune past 1024 dead records. */
  static final JournalSettings DEFAULT = new JournalSettings(ChannelOpener.DEFAULT, 16 * 1024, 256, 1024);
}
