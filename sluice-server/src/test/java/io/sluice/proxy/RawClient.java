package io.sluice.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A client connection that writes exactly the bytes a test gives it and parses what comes back by
 * hand: for the tests about framing, smuggling, pipelining and connection reuse, where a real HTTP
 * client would fix up or hide what is being tested. Reads time out after 10 seconds, so a test fails
 * rather than hangs.
 */
final class RawClient implements AutoCloseable {
  /** A response as read off the wire; header names lower case, in order. */
  record Response(String version, int status, List<String[]> headers, byte[] body) {
    /** The first value of {@code name}, or null. */
    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equals(name.toLowerCase(Locale.ROOT))) {
          return h[1];
        }
      }
      return null;
    }

    /** Every value of {@code name}. */
    List<String> all(String name) {
      List<String> out = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equals(name.toLowerCase(Locale.ROOT))) {
          out.add(h[1]);
        }
      }
      return out;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawClient(int port) throws IOException {
    this(port, 0);
  }

  /** A connection whose receive buffer is {@code receiveBuffer} bytes (0: the system's default). */
  RawClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  /** Writes {@code text} as ISO-8859-1 bytes, as is. */
  RawClient write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends {@code GET target} with a Host header and {@code extra} header lines, and reads the answer. */
  Response get(String target, String... extra) throws IOException {
    StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
    for (String h : extra) {
      sb.append(h).append("\r\n");
    }
    write(sb.append("\r\n").toString());
    return read();
  }

  /** Reads one response, its body framed as the headers say. */
  Response read() throws IOException {
    return read(false);
  }

  /** Reads one response; {@code toHead}: it answers a HEAD request, so it has no body. */
  Response read(boolean toHead) throws IOException {
    Response head = readHead();
    int s = head.status();
    if (toHead || (s >= 100 && s < 200) || s == 204 || s == 304) {
      return head;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String te = head.header("transfer-encoding");
    String cl = head.header("content-length");
    if (te != null && te.equalsIgnoreCase("chunked")) {
      while (true) {
        String sizeLine = line();
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        body.write(in.readNBytes(size));
        if (!line().isEmpty()) {
          throw new IOException("chunk not followed by CRLF");
        }
      }
    } else if (cl != null) {
      int n = Integer.parseInt(cl);
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new EOFException("connection closed after " + b.length + " of " + n + " body bytes");
      }
      body.write(b);
    } else {
      body.write(in.readAllBytes());
    }
    return new Response(head.version(), s, head.headers(), body.toByteArray());
  }

  /** Reads a status line and headers only, leaving the body to be read. */
  Response readHead() throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not a status line: " + status);
    }
    List<String[]> headers = new ArrayList<>();
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.add(new String[] {l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim()});
    }
    return new Response(parts[0], Integer.parseInt(parts[1]), headers, new byte[0]);
  }

  /** Reads and drops up to {@code n} body bytes; how many arrived before the connection ended. */
  long discard(long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long got = 0;
    while (got < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - got));
      if (r < 0) {
        break;
      }
      got += r;
    }
    return got;
  }

  /**
   * Whether the server closes the connection (within the read timeout) with nothing more to say.
   * Bytes that arrive instead make it false.
   */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  /** Everything the server sends until it closes the connection. */
  String readToEnd() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  /** The raw output, for a test that writes from another thread. */
  OutputStream output() {
    return out;
  }

  void setReadTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed mid-line: " + sb);
      }
      sb.append((char) c);
    }
    int len = sb.length();
    if (len > 0 && sb.charAt(len - 1) == '\r') {
      sb.setLength(len - 1);
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
