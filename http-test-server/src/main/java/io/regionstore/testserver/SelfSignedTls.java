package io.regionstore.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway key store with one self-signed certificate for 127.0.0.1, made by the running JDK's
 * {@code keytool}, and an {@link SSLContext} that trusts exactly that certificate.
 */
final class SelfSignedTls {

  static final String PASSWORD = "range-test";
  static final String ALIAS = "range";

  final Path keyStore;
  final SSLContext clientContext;

  private SelfSignedTls(Path keyStore, SSLContext clientContext) {
    this.keyStore = keyStore;
    this.clientContext = clientContext;
  }

  /** Makes the key store in a new temporary folder. */
  static SelfSignedTls create() throws IOException, GeneralSecurityException, InterruptedException {
    Path dir = Files.createTempDirectory("range-tls");
    Path store = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(ALIAS, keys.getCertificate(ALIAS));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return new SelfSignedTls(store, context);
  }

  /** Deletes the key store and its folder. */
  void delete() throws IOException {
    Files.deleteIfExists(keyStore);
    Files.deleteIfExists(keyStore.getParent());
  }
}
