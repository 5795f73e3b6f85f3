package io.sluice.proxy;

import io.sluice.config.ListenerSpec;
import io.sluice.route.MutableHeaders;

/**
 * What Envoy's connection manager does to a request's headers before routing: {@code
 * x-forwarded-for}, {@code x-forwarded-proto}, {@code x-request-id}, and with {@code
 * use_remote_address} the removal of what only an internal client may send. Routes can match on
 * these headers, so {@code /route} must prepare them exactly as the data plane does; this is the
 * one place that says how.
 */
public final class ForwardedHeaders {
  private ForwardedHeaders() {}

  /**
   * Prepares {@code request} as received on {@code listener} from {@code clientAddress}. The
   * client's address is appended to {@code x-forwarded-for} unless {@code skip_xff_append} (Envoy
   * appends only with {@code use_remote_address}; Sluice always does, since a proxy that hides the
   * client from the service surprises more people than it protects). With {@code
   * use_remote_address} Sluice is the edge: the scheme is the connection's, and a client cannot
   * claim to be internal.
   */
  public static void prepare(MutableHeaders request, ListenerSpec listener, String clientAddress) {
    if (!listener.http().skipXffAppend()) {
      String xff = request.get("x-forwarded-for");
      // add where the header is absent: set would first look for it to remove it.
      if (xff == null) {
        request.add("x-forwarded-for", clientAddress);
      } else {
        request.set("x-forwarded-for", xff.isEmpty() ? clientAddress : xff + ", " + clientAddress);
      }
    }
    if (listener.http().useRemoteAddress()) {
      request.set("x-forwarded-proto", "http");
      request.remove("x-envoy-internal");
      for (String h : listener.routes().internalOnlyHeaders()) {
        request.remove(h);
      }
    } else if (request.first("x-forwarded-proto") == null) {
      request.add("x-forwarded-proto", "http");
    }
    String id = request.first("x-request-id");
    boolean untrusted = listener.http().useRemoteAddress() && !listener.http().preserveExternalRequestId();
    if ((id == null || id.isEmpty() || untrusted) && listener.http().generateRequestId()) {
      if (id == null) {
        request.add("x-request-id", RequestIds.next());
      } else {
        request.set("x-request-id", RequestIds.next());
      }
    }
  }
}
