/**
 * JDK Flight Recorder events of a store, one class per event, all in category "RegionStore":
 * {@code io.regionstore.Commit}, {@code io.regionstore.Fsync}, {@code io.regionstore.Compaction},
 * {@code io.regionstore.HolePunch} and {@code io.regionstore.ReaderPin}. They cost next to nothing
 * unless a recording enables them, e.g. {@code java -XX:StartFlightRecording:filename=rec.jfr ...}
 * and then {@code jfr print --events io.regionstore.Commit rec.jfr}.
 *
 * <p>The store emits them; applications only record and read them. The store creates an event,
 * calls {@code begin()} before the work it times and then the class's {@code finish} method, which
 * takes the field values and commits the event if a recording wants it.
 */
package io.regionstore.events;
