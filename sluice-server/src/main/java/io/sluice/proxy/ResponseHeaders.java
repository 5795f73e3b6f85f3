package io.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.sluice.route.MutableHeaders;
import java.util.Iterator;

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
    HttpHeaders h = response.headers();
    String first = h.get(name);
    if (first == null) {
      return null;
    }
    // The common case is one value: look for a second without building a list. (The iterator
    // runs newest first, so the joined list comes from getAll, which keeps arrival order.)
    Iterator<String> it = h.valueStringIterator(name);
    it.next();
    if (!it.hasNext()) {
      return first;
    }
    return String.join(",", h.getAll(name));
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
    return response.headers().getAll(name).size();
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
