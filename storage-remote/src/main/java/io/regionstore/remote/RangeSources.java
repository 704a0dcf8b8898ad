package io.regionstore.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds the {@link RangeSourceProvider} of a URI's scheme among those on the class path ({@link
 * ServiceLoader}, looked up on every call, so a provider added to a class loader later is found):
 * what {@link RemoteStore#open(URI, io.regionstore.cache.SlotCache)} and the tools use to read
 * and publish {@code http(s)://}, {@code file:} and, with the module {@code storage-s3}, {@code
 * s3://} URIs.
 *
 * <p>A scheme no provider claims fails with {@link IllegalArgumentException}; for a scheme whose
 * provider lives in a module of this project that is not on the class path, the message names the
 * module to add. Thread-safe.
 */
public final class RangeSources {

  /** Schemes of providers that ship in optional modules: scheme to the module to add. */
  private static final Map<String, String> OPTIONAL_MODULES = Map.of("s3", "storage-s3 (io.regionstore:storage-s3)");

  private RangeSources() {}

  /**
   * An opener of the file at {@code uri}: see {@link RangeSourceProvider#opener(URI)}.
   *
   * @throws IllegalArgumentException if no provider on the class path handles the scheme (naming
   *     the module to add, if it is one of ours), or the provider refuses the URI
   */
  public static RangeSourceOpener opener(URI uri) {
    return provider(uri).opener(uri);
  }

  /**
   * Publishes the packed file {@code pack} at {@code target}: see {@link
   * RangeSourceProvider#publish}.
   *
   * @return the version published
   * @throws IllegalArgumentException as {@link #opener(URI)}
   * @throws UnsupportedOperationException if the scheme's provider cannot publish
   */
  public static String publish(Path pack, URI target, PublishCondition condition) throws IOException {
    return provider(target).publish(pack, target, condition);
  }

  /**
   * The provider of {@code uri}'s scheme.
   *
   * @throws IllegalArgumentException as {@link #opener(URI)}
   */
  public static RangeSourceProvider provider(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Map<String, RangeSourceProvider> providers = providers();
    RangeSourceProvider p = providers.get(scheme);
    if (p != null) {
      return p;
    }
    String module = OPTIONAL_MODULES.get(scheme);
    String where = scheme.isEmpty() ? "a URI without a scheme" : scheme + ":// URIs";
    if (module != null) {
      throw new IllegalArgumentException(
          where + " need the module " + module + " on the class path: cannot open " + safe(uri));
    }
    List<String> known = new ArrayList<>(providers.keySet());
    throw new IllegalArgumentException(
        "unsupported scheme \"" + scheme + "\" (supported: " + String.join(", ", known) + "): " + safe(uri));
  }

  /** The providers on the class path by scheme, sorted; the first one found wins a scheme. */
  private static Map<String, RangeSourceProvider> providers() {
    Map<String, RangeSourceProvider> byScheme = new TreeMap<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (RangeSourceProvider p :
        ServiceLoader.load(RangeSourceProvider.class, loader == null ? RangeSources.class.getClassLoader() : loader)) {
      for (String s : p.schemes()) {
        byScheme.putIfAbsent(s.toLowerCase(Locale.ROOT), p);
      }
    }
    return byScheme;
  }

  /** {@code uri} without user info, query and fragment, which may hold secrets. */
  private static String safe(URI uri) {
    return uri.isOpaque() ? uri.getScheme() + ":..." : RangeClient.describe(uri);
  }
}
