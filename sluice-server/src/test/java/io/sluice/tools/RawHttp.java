package io.sluice.tools;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client connection that writes whatever bytes a test gives it (several requests at once, a
 * malformed one) and reads responses one by one: what pipelining and framing tests need.
 */
final class RawHttp implements AutoCloseable {
  /** A response; header names are lower case, repeated headers joined with a comma. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = new BufferedInputStream(socket.getInputStream());
  }

  RawHttp write(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response; {@code head}: it answers a HEAD request, so it has no body. */
  Response read(boolean head) throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + status);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
          (a, b) -> a + "," + b);
    }
    int code = Integer.parseInt(parts[1]);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (!head && code >= 200 && code != 204 && code != 304) {
      if (length == null) {
        throw new IOException("a response without content-length: " + status + " " + headers);
      }
      int n = Integer.parseInt(length);
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new EOFException("connection closed after " + b.length + " of " + n + " body bytes");
      }
      body.write(b);
    }
    return new Response(code, headers, body.toString(StandardCharsets.UTF_8));
  }

  Response read() throws IOException {
    return read(false);
  }

  /** Whether the server closed the connection: the next read finds the end of the stream. */
  boolean closedByPeer() throws IOException {
    return in.read() < 0;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed" + (sb.length() > 0 ? " mid-line: " + sb : ""));
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
