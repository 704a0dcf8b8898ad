package io.regionstore.lucene;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Unwrappable;

/**
 * A second process opens the index read-only while this one indexes and commits: it searches the
 * last commit (never uncommitted documents) and {@code DirectoryReader.openIfChanged} sees each new
 * commit. The child ({@link ReadOnlySearcher}) runs on the same java binary and class path; every
 * wait for it is bounded, and it is killed in any case.
 */
public class TestReadOnlySharing extends LuceneTestCase {
  /** Bound on one answer from the child: only a hang reaches it. */
  private static final long ANSWER_TIMEOUT_SECONDS = 120;

  public void testChildProcessSearchesEachCommit() throws Exception {
    // the child opens the real folder: it has no Lucene test file system
    Path path = ((Path) Unwrappable.unwrapAll(createTempDir())).toRealPath();
    Path childErr = Files.createTempFile(path.getParent(), "child", ".err");
    int rounds = RegionTestUtil.longTests() ? 30 : 6;
    try (RegionDirectory dir = new RegionDirectory(path);
        IndexWriter writer =
            new IndexWriter(
                dir,
                new IndexWriterConfig(new MockAnalyzer(random())).setMaxBufferedDocs(7))) {
      int committed = addDocs(writer, 0, 25);
      writer.commit();

      Process child = startChild(path, childErr);
      BlockingQueue<String> answers = new LinkedBlockingQueue<>();
      Thread stdout = readLines(child, answers);
      try {
        Writer commands = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        assertEquals("OPEN " + committed, answer(answers, child, childErr));
        int added = committed;
        for (int round = 0; round < rounds; round++) {
          added = addDocs(writer, added, 10 + random().nextInt(40));
          if (random().nextBoolean()) {
            writer.forceMerge(1 + random().nextInt(3));
          }
          writer.commit();
          committed = added;
          command(commands, "CHECK " + (committed - 1));
          assertEquals(
              "STATE true " + committed + " " + committed + " 1",
              answer(answers, child, childErr));

          // documents added (even flushed) but not committed are invisible to the other process
          added = addDocs(writer, added, 5);
          writer.flush();
          command(commands, "CHECK " + (added - 1));
          assertEquals(
              "STATE false " + committed + " " + committed + " 0",
              answer(answers, child, childErr));
        }
        command(commands, "QUIT");
        assertTrue("child did not exit", child.waitFor(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(read(childErr), 0, child.exitValue());
      } finally {
        child.destroyForcibly();
        child.waitFor(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        stdout.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_SECONDS));
      }
    }
  }

  private static int addDocs(IndexWriter writer, int from, int count) throws IOException {
    for (int i = from; i < from + count; i++) {
      Document doc = new Document();
      doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
      doc.add(new TextField("body", "common words " + i, Field.Store.NO));
      writer.addDocument(doc);
    }
    return from + count;
  }

  private static Process startChild(Path index, Path err) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ReadOnlySearcher.class.getName());
    command.add(index.toString());
    return new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
        .start();
  }

  /** Starts a thread that queues the child's output lines; it ends when the child does. */
  private static Thread readLines(Process child, BlockingQueue<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("READ FAILED " + e);
              }
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private static void command(Writer commands, String line) throws IOException {
    commands.write(line + "\n");
    commands.flush();
  }

  private static String answer(BlockingQueue<String> answers, Process child, Path err)
      throws Exception {
    String line = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (line == null) {
      fail("no answer from the child (alive=" + child.isAlive() + "): " + read(err));
    }
    return line;
  }

  private static String read(Path err) throws IOException {
    return Files.readString(err);
  }
}
