package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which proxy a load uses: the flag, else http_proxy/HTTP_PROXY unless no_proxy exempts the host. */
class HttpProxySettingTest {
  private static final URI BB = URI.create("http://bb:8080/");

  @Test
  void theFlagWinsAndNoneMeansNoProxy() {
    Map<String, String> env = Map.of("HTTP_PROXY", "http://10.0.0.1:3128");
    assertThat(HttpProxySetting.resolve("127.0.0.1:4140", env, BB)).isEqualTo(URI.create("http://127.0.0.1:4140"));
    assertThat(HttpProxySetting.resolve("http://127.0.0.1:4140/", env, BB)).isEqualTo(URI.create("http://127.0.0.1:4140"));
    assertThat(HttpProxySetting.resolve("none", env, BB)).isNull();
  }

  @Test
  void theEnvironmentLowerCaseFirst() {
    assertThat(HttpProxySetting.resolve(null, Map.of(), BB)).isNull();
    assertThat(HttpProxySetting.resolve(null, Map.of("HTTP_PROXY", "http://127.0.0.1:4140"), BB))
        .isEqualTo(URI.create("http://127.0.0.1:4140"));
    assertThat(HttpProxySetting.resolve(null, Map.of("http_proxy", "127.0.0.1:1", "HTTP_PROXY", "127.0.0.1:2"), BB))
        .isEqualTo(URI.create("http://127.0.0.1:1"));
  }

  @Test
  void noProxyExemptsHostsAndDomains() {
    Map<String, String> env = Map.of("HTTP_PROXY", "http://p:1", "no_proxy", "localhost, .example.com,10.0.0.5");
    assertThat(HttpProxySetting.resolve(null, env, URI.create("http://localhost:8080/"))).isNull();
    assertThat(HttpProxySetting.resolve(null, env, URI.create("http://a.example.com/"))).isNull();
    assertThat(HttpProxySetting.resolve(null, env, URI.create("http://example.com/"))).isNull();
    assertThat(HttpProxySetting.resolve(null, env, URI.create("http://10.0.0.5/"))).isNull();
    assertThat(HttpProxySetting.resolve(null, env, BB)).isEqualTo(URI.create("http://p:1"));
    assertThat(HttpProxySetting.resolve(null, Map.of("HTTP_PROXY", "p:1", "NO_PROXY", "*"), BB)).isNull();
  }

  @Test
  void aProxyThatIsNotHttpIsAnError() {
    assertThatThrownBy(() -> HttpProxySetting.resolve("ftp://x:1", Map.of(), BB))
        .hasMessage("--proxy: expected an http://HOST:PORT proxy, got 'ftp://x:1'");
    assertThatThrownBy(() -> HttpProxySetting.resolve(null, Map.of("HTTP_PROXY", "https://x:1"), BB))
        .hasMessage("HTTP_PROXY: expected an http://HOST:PORT proxy, got 'https://x:1'");
  }
}
