package io.regionstore.catalog;

import java.util.List;

/**
 * One generation of the catalog: every sealed region at the moment it was taken.
 *
 * @param generation increases by one with every catalog write
 * @param regions the regions, in no particular order
 */
public record CatalogSnapshot(long generation, List<PersistedRegion> regions) {}
