package io.sluice.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 client connection, kept alive, sending one request at a time: a test that uses it
 * knows exactly which connection each request went over, which a pooling client hides. Any
 * failure (refused, reset, closed before the response ended, timeout) is an {@link IOException}.
 */
public final class HttpConnection implements AutoCloseable {
  /** A response; header names are lower case. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private boolean closedByPeer;

  public HttpConnection(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** GET {@code target}; {@code headers} are {@code "name: value"} lines. */
  public Response get(String target, String... headers) throws IOException {
    return send("GET", target, null, headers);
  }

  public Response send(String method, String target, String body, String... headers) throws IOException {
    if (closedByPeer) {
      throw new IOException("the server closed this connection after the previous response");
    }
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    boolean host = false;
    for (String h : headers) {
      host |= h.regionMatches(true, 0, "host:", 0, 5);
      req.append(h).append("\r\n");
    }
    if (!host) {
      req.append("host: test\r\n");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      req.append("content-length: ").append(bytes.length).append("\r\n");
    }
    req.append("\r\n");
    out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
    return read(method.equals("HEAD"));
  }

  private Response read(boolean head) throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + status);
    }
    int code = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
          (a, b) -> a + "," + b);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
      // no body
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int n = Integer.parseInt(line().split(";")[0].trim(), 16); n > 0;
          n = Integer.parseInt(line().split(";")[0].trim(), 16)) {
        body.write(in.readNBytes(n));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (length != null) {
      int n = Integer.parseInt(length);
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new EOFException("connection closed after " + b.length + " of " + n + " body bytes");
      }
      body.write(b);
    } else {
      body.write(in.readAllBytes());
      closedByPeer = true;
    }
    if ("close".equalsIgnoreCase(headers.get("connection"))) {
      closedByPeer = true;
    }
    return new Response(code, headers, body.toString(StandardCharsets.UTF_8));
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

  /** Whether the server said it would close this connection (or closed it). */
  public boolean closedByPeer() {
    return closedByPeer;
  }

  /** Waits until the server closes the connection; true when it did within {@code millis}. */
  public boolean awaitClose(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return in.read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
