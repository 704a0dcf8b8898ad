/**
 * JDK Flight Recorder events of a store, one class per event, all in category "RegionStore":
 * {@code io.regionstore.Commit}, {@code io.regionstore.Fsync}, {@code io.regionstore.Compaction},
 * {@code io.regionstore.HolePunch} and {@code io.regionstore.ReaderPin}. They cost next to nothing
 * unless a recording enables them, e.g. {@code java -XX:StartFlightRecording:filename=rec.jfr ...}
 * and then {@code jfr print --events io.regionstore.Commit rec.jfr}.
 *
 * <p>The store emits them; applications only record and read them. Each class starts its event
 * with a static {@code start()} and commits it, if a recording wants it, with a {@code finish}
 * method that takes the field values.
 */
package io.regionstore.events;
