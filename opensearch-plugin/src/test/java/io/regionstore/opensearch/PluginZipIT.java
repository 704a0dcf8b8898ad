package io.regionstore.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.opensearch.common.bootstrap.JarHell;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.IndexService;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.plugins.PluginsService;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.test.OpenSearchIntegTestCase.ClusterScope;
import org.opensearch.test.OpenSearchIntegTestCase.Scope;

/**
 * The plugin zip that {@code mvn package} builds, checked as {@code bin/opensearch-plugin install}
 * checks it, then installed into a node's {@code plugins} folder and loaded by OpenSearch's own
 * plugin loader (its own class loader and jar-hell check).
 *
 * <p>Runs in failsafe after {@code package}, with neither this module's classes nor its
 * RegionStore dependencies on the class path (see the pom): like a node, the JVM has only
 * OpenSearch and Lucene, and the plugin's classes can only come from the zip.
 */
@ClusterScope(scope = Scope.TEST, numDataNodes = 0, numClientNodes = 0, supportsDedicatedMasters = false)
public class PluginZipIT extends OpenSearchIntegTestCase {
  private static final String NAME = System.getProperty("regionstore.plugin.name");
  private static final String VERSION = System.getProperty("regionstore.plugin.version");
  private static final String CLASSNAME = "io.regionstore.opensearch.RegionStorePlugin";

  private static Path zip() {
    return Path.of(System.getProperty("regionstore.plugin.zip"));
  }

  public void testZipHoldsTheDescriptorAndTheJarsAtTopLevelAndNoLucene() throws Exception {
    Set<String> entries = new TreeSet<>();
    try (ZipFile zip = new ZipFile(zip().toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        entries.add(e.nextElement().getName());
      }
    }
    assertEquals(
        new TreeSet<>(
            Set.of(
                "plugin-descriptor.properties",
                "opensearch-plugin-" + VERSION + ".jar",
                "lucene-directory-" + VERSION + ".jar",
                "storage-core-" + VERSION + ".jar")),
        entries);
  }

  public void testDescriptorIsExactlyThis() throws Exception {
    Properties p = new Properties();
    try (ZipFile zip = new ZipFile(zip().toFile());
        InputStream in = zip.getInputStream(zip.getEntry("plugin-descriptor.properties"))) {
      p.load(in);
    }
    Properties expected = new Properties();
    expected.load(
        new StringReader(
            String.join(
                "\n",
                "description=OpenSearch store plugin: index.store.type \"regionstore\" keeps each shard in a RegionDirectory.",
                "version=" + VERSION,
                "name=" + NAME,
                "classname=" + CLASSNAME,
                "java.version=25",
                "opensearch.version=" + System.getProperty("regionstore.opensearch.version"))));
    assertEquals(expected, p);
  }

  /** What install checks before it copies anything: descriptor, compatibility, jar hell. */
  public void testPassesTheInstallersChecks() throws Exception {
    Path home = createTempDir();
    Path staged = unzip(home.resolve("staging"));
    Path plugins = Files.createDirectories(home.resolve("plugins"));
    Path modules = Files.createDirectories(home.resolve("modules"));
    PluginInfo info = PluginInfo.readFromProperties(staged);
    assertEquals(NAME, info.getName());
    assertEquals(CLASSNAME, info.getClassname());
    assertFalse(info.hasNativeController());
    PluginsService.verifyCompatibility(info);
    PluginsService.checkJarHellForPlugin(Set.copyOf(JarHell.parseClassPath()), info, staged, plugins, modules);
    // The same check fails when a Lucene jar rides along, as it would if the zip shipped one.
    Path lucene = Path.of(org.apache.lucene.store.Directory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(lucene)) {
      Files.copy(in, staged.resolve(lucene.getFileName().toString()));
    }
    IllegalStateException e =
        expectThrows(
            IllegalStateException.class,
            () -> PluginsService.checkJarHellForPlugin(Set.copyOf(JarHell.parseClassPath()), info, staged, plugins, modules));
    assertEquals("failed to load plugin " + NAME + " due to jar hell", e.getMessage());
    assertTrue(e.getCause().getMessage(), e.getCause().getMessage().startsWith("jar hell!"));
    assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains(lucene.getFileName().toString()));
  }

  /** Installed into {@code plugins/regionstore}, a node loads it and serves a regionstore index. */
  public void testNodeLoadsTheInstalledPluginAndServesARegionstoreIndex() throws Exception {
    Path home = createTempDir();
    unzip(home.resolve("plugins").resolve(NAME));
    String node = internalCluster().startNode(Settings.builder().put(Environment.PATH_HOME_SETTING.getKey(), home));
    List<String> loaded = new ArrayList<>();
    for (PluginInfo info : internalCluster().getInstance(PluginsService.class, node).info().getPluginInfos()) {
      loaded.add(info.getName());
    }
    assertTrue(loaded.toString(), loaded.contains(NAME));

    assertAcked(
        client()
            .admin()
            .indices()
            .prepareCreate("rs")
            .setSettings(
                Settings.builder()
                    .put("index.store.type", "regionstore")
                    .put("index.number_of_shards", 1)
                    .put("index.number_of_replicas", 0))
            .setMapping(Europarl.MAPPING));
    ensureGreen("rs");
    Europarl.index(client(), "rs", 1_000);
    assertEquals(1_000, client().prepareSearch("rs").setTrackTotalHits(true).get().getHits().getTotalHits().value());

    IndexService service = internalCluster().getInstance(IndicesService.class, node).indexService(resolveIndex("rs"));
    IndexShard shard = service.getShard(0);
    Directory dir = FilterDirectory.unwrap(shard.store().directory());
    assertEquals("io.regionstore.lucene.RegionDirectory", dir.getClass().getName());
    URL source = dir.getClass().getProtectionDomain().getCodeSource().getLocation();
    assertEquals(
        home.resolve("plugins").resolve(NAME).resolve("lucene-directory-" + VERSION + ".jar").toRealPath().toString(),
        Path.of(source.toURI()).toRealPath().toString());
    assertTrue(Files.isRegularFile(shard.shardPath().resolveIndex().resolve("regionstore.data")));
  }

  /** Extracts the zip into {@code target} as the installer does (every entry a top-level file). */
  private static Path unzip(Path target) throws Exception {
    Files.createDirectories(target);
    try (ZipFile zip = new ZipFile(zip().toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        assertFalse(entry.getName(), entry.isDirectory() || entry.getName().contains("/"));
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, target.resolve(entry.getName()));
        }
        if (entry.getName().endsWith(".jar")) {
          assertNoLuceneOrOpenSearchClasses(target.resolve(entry.getName()));
        }
      }
    }
    return target;
  }

  private static void assertNoLuceneOrOpenSearchClasses(Path jar) throws Exception {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> foreign =
          file.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("org/apache/lucene/") || n.startsWith("org/opensearch/"))
              .toList();
      assertEquals(jar + " bundles " + foreign, List.of(), foreign);
    }
  }
}
