package io.sluice.proxy;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.util.internal.PlatformDependent;
import io.sluice.config.BootstrapReader;
import io.sluice.route.RandomSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A proxy in a JVM of its own, for the tests that must show the proxy's memory stays bounded
 * whatever passes through it ({@link ProxyProcess} starts it). Prints {@code port N} when
 * listening; on standard input, {@code peak} answers {@code peak BYTES}, the most direct memory
 * Netty had allocated at any sample (every millisecond) since start, and end of input stops it.
 */
public final class ProxyProcessMain {
  private ProxyProcessMain() {}

  public static void main(String[] args) throws Exception {
    ProxyServer proxy = new ProxyServer(
        BootstrapReader.read(Path.of(args[0])), new ProxyServer.Options(1, RandomSource.threadLocal(), null, null));
    proxy.start();
    AtomicLong peak = new AtomicLong();
    PooledByteBufAllocatorMetric pooled = PooledByteBufAllocator.DEFAULT.metric();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long used = Math.max(PlatformDependent.usedDirectMemory(), pooled.usedDirectMemory());
        peak.accumulateAndGet(used, Math::max);
        LockSupport.parkNanos(1_000_000); // the sampling period
      }
    }, "direct-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
    System.out.println("port " + proxy.listenerAddresses().values().iterator().next().getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("peak")) {
        System.out.println("peak " + peak.get());
        System.out.flush();
      }
    }
    sampler.interrupt();
    proxy.close();
  }
}
