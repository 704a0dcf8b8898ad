/**
 * {@link io.regionstore.lucene.RegionDirectory}: an Apache Lucene {@link
 * org.apache.lucene.store.Directory} whose files are regions of one {@link io.regionstore.RegionStore},
 * read zero-copy through a bounded number of memory mappings.
 *
 * <p>Switching an application from {@code MMapDirectory} is one line: {@code Directory dir = new
 * RegionDirectory(path);}. Options are in {@link io.regionstore.lucene.RegionDirectoryConfig}.
 */
package io.regionstore.lucene;
