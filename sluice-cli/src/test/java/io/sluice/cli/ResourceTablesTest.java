package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.resource.ResourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tables of {@code sluice get}, exactly as printed. */
class ResourceTablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(ResourceTables.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    assertThat(ResourceTables.humanDuration(Duration.ofMillis(-500))).isEqualTo("0s");
    assertThat(ResourceTables.humanDuration(Duration.ofSeconds(0))).isEqualTo("0s");
    assertThat(ResourceTables.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(ResourceTables.humanDuration(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(ResourceTables.humanDuration(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(ResourceTables.humanDuration(Duration.ofMinutes(17))).isEqualTo("17m");
    assertThat(ResourceTables.humanDuration(Duration.ofMinutes(179))).isEqualTo("179m");
    assertThat(ResourceTables.humanDuration(Duration.ofMinutes(5 * 60 + 8))).isEqualTo("5h8m");
    assertThat(ResourceTables.humanDuration(Duration.ofHours(6))).isEqualTo("6h");
    assertThat(ResourceTables.humanDuration(Duration.ofHours(47))).isEqualTo("47h");
    assertThat(ResourceTables.humanDuration(Duration.ofHours(3 * 24 + 4))).isEqualTo("3d4h");
    assertThat(ResourceTables.humanDuration(Duration.ofDays(40))).isEqualTo("40d");
    assertThat(ResourceTables.humanDuration(Duration.ofDays(3 * 365 + 10))).isEqualTo("3y10d");
    assertThat(ResourceTables.humanDuration(Duration.ofDays(9 * 365))).isEqualTo("9y");
    assertThat(ResourceTables.age("", NOW)).isEqualTo("<unknown>");
  }

  @Test
  void aRouteTableWithTheNamespaceColumnAndWideColumns() throws Exception {
    JsonNode route = JSON.readTree("""
        {"apiVersion": "policy.linkerd.io/v1beta2", "kind": "HTTPRoute",
         "metadata": {"name": "bb-route", "namespace": "demo", "creationTimestamp": "2024-05-01T11:59:15Z"},
         "spec": {"parentRefs": [{"name": "bb", "kind": "Service", "group": "core", "port": 8080}],
                  "rules": [{"backendRefs": [{"name": "bb", "port": 8080, "weight": 90},
                                             {"name": "bb-v2", "port": 8080}]},
                            {"matches": [{"path": {"value": "/x"}}]}]},
         "status": {"parents": [{"conditions": [{"type": "Accepted", "status": "True"},
                                                {"type": "ResolvedRefs", "status": "False"}]}]}}
        """);
    assertThat(ResourceTables.render(ResourceKind.LINKERD_HTTP_ROUTE, List.of(route), true, true, false, NOW))
        .isEqualTo("""
            NAMESPACE   NAME       HOSTNAMES   PARENTS           ACCEPTED   RESOLVED   BACKENDS                           AGE
            demo        bb-route   <none>      Service/bb:8080   True       False      bb:8080=90,bb-v2:8080=1;<parent>   45s
            """);
  }

  @Test
  void servicesAndEndpointSlicesAsKubectlShowsThem() throws Exception {
    JsonNode svc = JSON.readTree("""
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "bb", "namespace": "demo",
         "creationTimestamp": "2024-05-01T10:00:00Z"},
         "spec": {"ports": [{"name": "http", "port": 8080}, {"name": "admin", "port": 9990, "protocol": "UDP"}]}}
        """);
    assertThat(ResourceTables.render(ResourceKind.SERVICE, List.of(svc), false, false, true, NOW)).isEqualTo("""
        NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)             AGE
        service/bb   ClusterIP   <none>       <none>        8080/TCP,9990/UDP   120m
        """);
    JsonNode slice = JSON.readTree("""
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "bb-1",
         "namespace": "demo", "creationTimestamp": "2024-05-01T11:00:00Z"}, "addressType": "IPv4",
         "ports": [{"name": "http", "port": 8081}],
         "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]}, {"addresses": ["10.0.0.3"]},
                       {"addresses": ["10.0.0.4"]}, {"addresses": ["10.0.0.5"]}]}
        """);
    assertThat(ResourceTables.render(ResourceKind.ENDPOINT_SLICE, List.of(slice), false, false, false, NOW))
        .isEqualTo("""
            NAME   ADDRESSTYPE   PORTS   ENDPOINTS                                AGE
            bb-1   IPv4          8081    10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...   60m
            """);
  }
}
