package io.sluice.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.cluster.ClusterManager;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.HostPort;
import io.sluice.config.ListenerSpec;
import io.sluice.route.RandomSource;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import io.sluice.stats.TrafficWindows;
import io.sluice.store.StateDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The data plane: the listeners, the event loops and their upstream pools, the clusters, and the
 * state requests read. Configuration changes ({@link #apply}) and runtime changes ({@link
 * #modifyRuntime}) build a new {@link DataPlaneState} and publish it at once; requests in flight
 * keep the state they started with.
 */
public final class ProxyServer implements AutoCloseable {

  /**
   * Options of the data plane.
   *
   * @param window the length of the traffic windows ({@code sluice proxy --window}, 10 s to 10 min)
   * @param windowClock the windows' clock, nanoseconds ({@code System::nanoTime} outside tests)
   */
  public record Options(
      int concurrency, RandomSource random, String accessLogPath, StateDirectory stateDirectory, Duration window,
      LongSupplier windowClock) {
    public Options {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
      }
      TrafficWindows.checkWindow(window);
    }

    /** Options with the default window (1 minute) on the system clock. */
    public Options(int concurrency, RandomSource random, String accessLogPath, StateDirectory stateDirectory) {
      this(concurrency, random, accessLogPath, stateDirectory, TrafficWindows.DEFAULT, System::nanoTime);
    }
  }

  private final Options options;
  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Map<EventLoop, UpstreamPool> pools = new IdentityHashMap<>();
  private final ClusterManager clusterManager;
  private final AccessLog accessLog;
  private final DataPlaneStats stats;
  private final Set<DownstreamHandler> connections = ConcurrentHashMap.newKeySet();
  private final Map<String, Channel> bound = new LinkedHashMap<>();
  private final Map<String, HostPort> boundAddress = new LinkedHashMap<>();
  private volatile DataPlaneState state;
  private volatile boolean draining;

  /** Builds the data plane for {@code bootstrap}; {@link #start} binds the listeners. */
  public ProxyServer(BootstrapSpec bootstrap, Options options) throws IOException {
    this.options = options;
    // First, so that a damaged state file fails the start before any thread exists.
    Map<String, String> overrides =
        options.stateDirectory() == null ? Map.of() : options.stateDirectory().loadRuntimeOverrides();
    this.transport = Transport.best();
    this.boss = transport.newGroup(1, "sluice-accept");
    this.workers = transport.newGroup(options.concurrency(), "sluice-worker");
    for (EventExecutor e : workers) {
      EventLoop loop = (EventLoop) e;
      pools.put(loop, new UpstreamPool(loop, transport, System::nanoTime, 64 * 1024));
    }
    this.stats = new DataPlaneStats(options.window(), options.windowClock(), this::state);
    this.clusterManager =
        new ClusterManager(ClusterManager.Resolver.system(), System::nanoTime, Log::warn, stats.registry());
    this.accessLog = options.accessLogPath() == null ? AccessLog.OFF : AccessLog.to(options.accessLogPath());
    Map<String, UpstreamCluster> clusters = clusterManager.apply(bootstrap.clusters());
    publish(new DataPlaneState(bootstrap, clusters, runtimeOf(bootstrap, overrides), overrides));
  }

  /** Makes {@code next} the state requests read. */
  private void publish(DataPlaneState next) {
    state = next;
    stats.published(next);
  }

  /** Binds every listener. */
  public synchronized void start() throws IOException {
    for (ListenerSpec l : state.bootstrap().listeners()) {
      Channel ch = bind(l);
      bound.put(l.name(), ch);
      boundAddress.put(l.name(), l.address());
      Log.info("listener " + l.name() + " on " + addressOf(ch) + " (" + transport.name().toLowerCase() + ")");
    }
  }

  private Channel bind(ListenerSpec l) throws IOException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
            .childHandler(new DownstreamInitializer(this, l));
    ChannelFuture f = b.bind(l.address().host(), l.address().port()).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot listen on " + l.address() + " (listener " + l.name() + "): " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }

  /**
   * Switches to a new configuration. New or moved listeners are bound first; if one cannot be
   * bound, nothing changes and the error is thrown. Unchanged clusters keep their connections and
   * state; runtime overrides are kept.
   */
  public synchronized void apply(BootstrapSpec next) throws IOException {
    apply(next, () -> {});
  }

  /**
   * Like {@link #apply(BootstrapSpec)}, with a last step before the switch: {@code beforeSwitch}
   * runs once every new listener is bound, when nothing can fail any more. If it throws, the new
   * listeners are closed, nothing changes and its exception is thrown. The resource store writes
   * its state file there, so that a configuration is either both saved and in effect, or neither.
   */
  public synchronized void apply(BootstrapSpec next, BeforeSwitch beforeSwitch) throws IOException {
    Map<String, Channel> opened = new LinkedHashMap<>();
    try {
      for (ListenerSpec l : next.listeners()) {
        HostPort was = boundAddress.get(l.name());
        if (was == null || !was.equals(l.address())) {
          opened.put(l.name(), bind(l));
        }
      }
      beforeSwitch.run();
    } catch (IOException | RuntimeException e) {
      opened.values().forEach(Channel::close);
      throw e;
    }
    Map<String, UpstreamCluster> clusters = clusterManager.apply(next.clusters());
    Map<String, String> overrides = state.runtimeOverrides();
    publish(new DataPlaneState(next, clusters, runtimeOf(next, overrides), overrides));
    for (Map.Entry<String, Channel> e : opened.entrySet()) {
      Channel old = bound.put(e.getKey(), e.getValue());
      if (old != null) {
        // Awaited, so that the old port is free once apply returns (another process may want it).
        old.close().awaitUninterruptibly();
      }
      boundAddress.put(e.getKey(), next.listener(e.getKey()).address());
      Log.info("listener " + e.getKey() + " on " + addressOf(e.getValue()));
    }
    for (String name : new ArrayList<>(bound.keySet())) {
      if (next.listener(name) == null) {
        bound.remove(name).close().awaitUninterruptibly();
        boundAddress.remove(name);
        Log.info("listener " + name + " removed");
      }
    }
  }

  /** The last step of {@link #apply(BootstrapSpec, BeforeSwitch)} before the new configuration takes effect. */
  @FunctionalInterface
  public interface BeforeSwitch {
    void run() throws IOException;
  }

  /**
   * Applies {@code /runtime_modify} changes to the admin layer: a key with an empty value is
   * removed. Persisted in the state directory before it takes effect.
   *
   * @throws IllegalStateException when the bootstrap has no admin layer
   */
  public synchronized void modifyRuntime(Map<String, String> changes) throws IOException {
    if (adminLayerIndex(state.bootstrap()) < 0) {
      throw new IllegalStateException("No admin layer specified");
    }
    Map<String, String> next = new LinkedHashMap<>(state.runtimeOverrides());
    changes.forEach((k, v) -> {
      if (v == null || v.isEmpty()) {
        next.remove(k);
      } else {
        next.put(k, v);
      }
    });
    if (options.stateDirectory() != null) {
      options.stateDirectory().saveRuntimeOverrides(next);
    }
    publish(state.withRuntime(runtimeOf(state.bootstrap(), next), next));
  }

  /** The runtime: the bootstrap's layers with the admin layer holding the overrides. */
  private static RuntimeSnapshot runtimeOf(BootstrapSpec bootstrap, Map<String, String> overrides) {
    List<RuntimeLayer> layers = new ArrayList<>(bootstrap.runtimeLayers());
    int admin = adminLayerIndex(bootstrap);
    if (admin >= 0) {
      RuntimeLayer layer = layers.get(admin);
      for (Map.Entry<String, String> e : overrides.entrySet()) {
        layer = layer.with(e.getKey(), e.getValue());
      }
      layers.set(admin, layer);
    }
    return new RuntimeSnapshot(layers);
  }

  private static int adminLayerIndex(BootstrapSpec bootstrap) {
    List<RuntimeLayer> layers = bootstrap.runtimeLayers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).kind() == RuntimeLayer.Kind.ADMIN) {
        return i;
      }
    }
    return -1;
  }

  /** The addresses the listeners are bound to, by listener name (real ports for port 0). */
  public synchronized Map<String, InetSocketAddress> listenerAddresses() {
    Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    bound.forEach((name, ch) -> out.put(name, (InetSocketAddress) ch.localAddress()));
    return out;
  }

  /** The current runtime overrides (the admin layer). */
  public Map<String, String> runtimeOverrides() {
    return state.runtimeOverrides();
  }

  /**
   * The state requests read now. Read it once and use that object for everything an answer
   * needs: reading {@link #bootstrap()} and then {@link #runtime()} may straddle a change.
   */
  public DataPlaneState state() {
    return state;
  }

  /** The configuration in effect. */
  public BootstrapSpec bootstrap() {
    return state.bootstrap();
  }

  /** The runtime in effect. */
  public RuntimeSnapshot runtime() {
    return state.runtime();
  }

  /** The clusters in effect. */
  public Map<String, UpstreamCluster> clusters() {
    return state.clusters();
  }

  /** The statistics and traffic windows. */
  public DataPlaneStats stats() {
    return stats;
  }

  /** Whether the server is draining (stopping). */
  public boolean draining() {
    return draining;
  }

  /** Client connections open now. */
  public int openConnections() {
    return connections.size();
  }

  /**
   * Stops accepting, lets requests in flight finish (keep-alive connections close after their
   * current response), and after {@code drainTime} closes whatever is left.
   *
   * @return whether every connection finished within the drain time
   */
  public boolean drain(Duration drainTime) {
    synchronized (this) {
      draining = true;
      bound.values().forEach(ch -> ch.close().awaitUninterruptibly());
    }
    for (DownstreamHandler h : connections) {
      h.drain();
    }
    long deadline = System.nanoTime() + drainTime.toNanos();
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return connections.isEmpty();
  }

  @Override
  public void close() {
    draining = true;
    synchronized (this) {
      bound.values().forEach(Channel::close);
      bound.clear();
    }
    pools.values().forEach(UpstreamPool::shutdown);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    clusterManager.close();
    accessLog.close();
  }

  // ---- for the pipeline

  UpstreamPool pool(EventLoop loop) {
    return pools.get(loop);
  }

  RandomSource random() {
    return options.random();
  }

  AccessLog accessLog() {
    return accessLog;
  }

  void connectionOpened(DownstreamHandler h) {
    connections.add(h);
    if (draining) {
      h.drain();
    }
  }

  void connectionClosed(DownstreamHandler h) {
    connections.remove(h);
  }

  private static String addressOf(Channel ch) {
    InetSocketAddress a = (InetSocketAddress) ch.localAddress();
    return a.getHostString() + ":" + a.getPort();
  }
}
