package io.sluice.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.sluice.route.MutableHeaders;

/** A Netty response's headers as the routing core's {@link MutableHeaders}, with {@code :status}. */
final class ResponseHeaders implements MutableHeaders {
  private final HttpResponse response;

  ResponseHeaders(HttpResponse response) {
    this.response = response;
  }

  @Override
  public String get(String name) {
    if (name.equals(":status")) {
      return Integer.toString(response.status().code());
    }
    return HeaderValues.joined(response.headers(), name);
  }

  @Override
  public String first(String name) {
    return name.equals(":status") ? Integer.toString(response.status().code()) : response.headers().get(name);
  }

  @Override
  public int count(String name) {
    if (name.equals(":status")) {
      return 1;
    }
    return HeaderValues.count(response.headers(), name);
  }

  @Override
  public void add(String name, String value) {
    if (name.charAt(0) != ':') {
      response.headers().add(name, value);
    }
  }

  @Override
  public void set(String name, String value) {
    if (name.charAt(0) != ':') {
      response.headers().set(name, value);
    }
  }

  @Override
  public void remove(String name) {
    if (name.charAt(0) != ':') {
      response.headers().remove(name);
    }
  }
}
