# Shared by bench/run and bench/scale (sourced, not run): ports, the processes a run starts and
# stops, the nginx backend, the three proxies' configurations, and readings from /proc.
#
# Ports (SLUICE_BENCH_PORT_BASE, default 18080): nginx as proxy at BASE, the backends at BASE+1
# (answers "v1") and BASE+2 ("v2"), Sluice at BASE+10, HAProxy at BASE+20, bench/scale's extra
# backends at BASE+100 onwards. Sluice's admin interface takes any free port.
#
# Fairness, the same for every proxy: nothing is pinned to a core; access logs are off; the same
# backend, reached over keep-alive connections that are reused across clients; the same 90/10
# split per request; the same request headers added (X-Forwarded-For, X-Forwarded-Proto,
# X-Request-ID, which Sluice adds by default as Envoy does); the same number of workers (nginx
# worker processes, HAProxy threads, Sluice event loops). Sluice runs with the JVM options the
# ./sluice launcher gives it (-Xms32m -Xmx512m), or SLUICE_BENCH_JAVA_OPTS instead when set.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=${SLUICE_BENCH_PORT_BASE:-18080}
nginx_port=$base
v1_port=$((base + 1))
v2_port=$((base + 2))
sluice_port=$((base + 10))
haproxy_port=$((base + 20))
extra_port_base=$((base + 100))
clk_tck=$(getconf CLK_TCK)
me=$(basename "$0")

need() { # command package
  if ! command -v "$1" >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "$me: installing $2" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
    else
      echo "$me: $1 is missing (apt-get install $2)" >&2
      exit 1
    fi
  fi
}

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops one process this script started, and waits for it.
stop() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Fails when something already listens on PORT: a run must not measure another process's server.
port_free() { # port...
  local p
  for p in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$me: port $p is in use by another process; set SLUICE_BENCH_PORT_BASE to move this run's ports" >&2
      exit 1
    fi
  done
}

# Waits until PORT accepts connections; with PID and NAME, fails as soon as that process has
# exited (another process may hold its port), showing the end of its logs.
wait_port() { # port [pid name]
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if [[ -n ${2:-} ]] && ! kill -0 "$2" 2>/dev/null; then
      echo "$me: $3 exited at start:" >&2
      tail -5 "$work/$3.log" "$work/$3"/*.log 2>/dev/null >&2 || true
      exit 1
    fi
    sleep 0.05
  done
  echo "$me: nothing listening on port $1" >&2
  exit 1
}

# The jars a run uses, copied so that a rebuild during the run does not change what is measured.
# Built first when missing or older than a source or pom they are built from.
prepare_jars() {
  local cli="$root/sluice-cli/target/sluice.jar" bench="$root/sluice-bench/target/benchmarks.jar" newer=""
  if [[ -f $cli && -f $bench ]]; then
    newer=$(find "$root/pom.xml" "$root"/sluice-core "$root"/sluice-server "$root"/sluice-cli "$root"/sluice-bench \
      \( -path '*/target' -prune \) -o \( \( -name pom.xml -o -path '*/src/main/*' \) -type f \
      \( -newer "$cli" -o -newer "$bench" \) -print \) 2>/dev/null | head -n 1)
  fi
  if [[ ! -f $cli || ! -f $bench || -n $newer ]]; then
    echo "$me: building sluice.jar and benchmarks.jar (mvn package -pl sluice-cli,sluice-bench -am)" >&2
    (cd "$root" && mvn -q -B -ntp -o -DskipTests -pl sluice-cli,sluice-bench -am package >&2) \
      || (cd "$root" && mvn -q -B -ntp -DskipTests -pl sluice-cli,sluice-bench -am package >&2)
  fi
  cp "$cli" "$work/sluice.jar"
  cp "$bench" "$work/benchmarks.jar"
}

# What was measured: the commit, whether the tree had changes, the versions of everything.
describe_machine() {
  local commit dirty=""
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -n $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]] && dirty=" with uncommitted changes"
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)."
  echo "Versions: Sluice $(java -jar "$work/sluice.jar" --version 2>/dev/null | head -1 | awk '{print $2}') at commit $commit$dirty; $(java -version 2>&1 | head -1); $(nginx -v 2>&1 | sed 's/nginx version: //'); $(haproxy -v 2>/dev/null | head -1 | awk '{print "HAProxy " $3}'); wrk $(dpkg-query -W -f '${Version}' wrk 2>/dev/null)."
}

# ---- the backend: nginx, one worker, answering 200 "v1" on BASE+1 and "v2" on BASE+2, and "b<i>"
# on BASE+100+i for each of the first EXTRA extra ports (bench/scale's wide splits)
start_backend() { # [extra]
  local extra=${1:-0} i
  port_free "$nginx_port" "$v1_port" "$v2_port" "$sluice_port" "$haproxy_port"
  for ((i = 0; i < extra; i++)); do port_free $((extra_port_base + i)); done
  mkdir -p "$work/backend"
  {
    echo "worker_processes 1;"
    echo "daemon off;"
    echo "pid $work/backend/nginx.pid;"
    echo "error_log $work/backend/error.log warn;"
    echo "events { worker_connections 16384; }"
    echo "http {"
    echo "  access_log off;"
    echo "  keepalive_requests 1000000;"
    echo "  server { listen 127.0.0.1:$v1_port backlog=4096; location / { return 200 \"v1\\n\"; } }"
    echo "  server { listen 127.0.0.1:$v2_port backlog=4096; location / { return 200 \"v2\\n\"; } }"
    for ((i = 0; i < extra; i++)); do
      echo "  server { listen 127.0.0.1:$((extra_port_base + i)) backlog=4096; location / { return 200 \"b$i\\n\"; } }"
    done
    echo "}"
  } > "$work/backend/nginx.conf"
  nginx -c "$work/backend/nginx.conf" -p "$work/backend" >"$work/backend/out.log" 2>&1 &
  pids+=($!)
  backend_pid=$!
  wait_port "$v1_port"
  wait_port "$v2_port"
  for ((i = 0; i < extra; i++)); do wait_port $((extra_port_base + i)); done
}

# ---- the proxies. Each sets $started to the process to measure and stop.

# nginx: split_clients on $request_id, a fresh random value per request, like Sluice's split.
nginx_proxy() { # workers
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream v1 { server 127.0.0.1:$v1_port; keepalive 256; }
  upstream v2 { server 127.0.0.1:$v2_port; keepalive 256; }
  split_clients "\${request_id}" \$pick { 90% v1; * v2; }
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    location / {
      proxy_pass http://\$pick;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-ID \$request_id;
    }
  }
}
CONF
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx/out.log" 2>&1 &
  pids+=($!)
  started=$!
  proxy_port=$nginx_port
}

# HAProxy: weighted round robin (exactly 90 of every 100 requests to v1; "random" draws two
# servers and takes the less loaded one, which is not a 90/10 split), every idle backend
# connection reusable by any client (http-reuse always, as nginx's and Sluice's pools are).
haproxy_proxy() { # workers
  mkdir -p "$work/haproxy"
  cat > "$work/haproxy/haproxy.cfg" <<CONF
global
  nbthread $1
  # Binding must fail when another process has the port, not share it (HAProxy sets SO_REUSEPORT
  # by default for seamless reloads).
  noreuseport
  # HAProxy wants two descriptors per connection and refuses to start when the limit (ulimit -n,
  # 20000 here) is below that, so its ceiling is under 10,000 clients.
  maxconn 9900
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
  option forwardfor
frontend bench
  bind 127.0.0.1:$haproxy_port backlog 4096
  maxconn 9900
  http-request set-header X-Forwarded-Proto http
  unique-id-format %[uuid()]
  unique-id-header X-Request-ID
  default_backend split
backend split
  balance roundrobin
  server v1 127.0.0.1:$v1_port weight 90
  server v2 127.0.0.1:$v2_port weight 10
CONF
  haproxy -f "$work/haproxy/haproxy.cfg" -db >"$work/haproxy/out.log" 2>&1 &
  pids+=($!)
  started=$!
  proxy_port=$haproxy_port
}

# The Envoy bootstrap bench/run gives Sluice: one route, weighted_clusters 90/10.
sluice_bootstrap() { # file
  cat > "$1" <<CONF
static_resources:
  listeners:
  - name: bench
    address: {socket_address: {address: 127.0.0.1, port_value: $sluice_port}}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: bench
          http_filters: [{name: envoy.filters.http.router, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]
          route_config:
            virtual_hosts:
            - name: bench
              domains: ['*']
              routes:
              - match: {prefix: /}
                route:
                  weighted_clusters:
                    clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]
$(sluice_clusters v1 "$v1_port" v2 "$v2_port")
admin:
  address: {socket_address: {address: 127.0.0.1, port_value: 0}}
CONF
}

# The clusters: section for NAME PORT pairs, one static endpoint each.
sluice_clusters() { # name port [name port ...]
  echo "  clusters:"
  while [[ $# -gt 0 ]]; do
    echo "  - name: $1"
    echo "    load_assignment: {cluster_name: $1, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: $2}}}}]}]}"
    shift 2
  done
}

# Sluice for a bootstrap file (the 90/10 one by default); --no-watch unless WATCH=1 is set.
sluice_proxy() { # workers [config] [extra JVM options]
  local config=${2:-$work/sluice.yaml} watch=--no-watch
  [[ -n ${2:-} ]] || sluice_bootstrap "$config"
  [[ ${WATCH:-0} == 1 ]] && watch=""
  rm -rf "$work/state"
  # shellcheck disable=SC2086
  java ${SLUICE_BENCH_JAVA_OPTS--Xms32m -Xmx512m} ${3:-} -jar "$work/sluice.jar" proxy -c "$config" --concurrency "$1" \
    --state-dir "$work/state" --mesh none $watch >"$work/sluice.log" 2>&1 &
  pids+=($!)
  started=$!
  proxy_port=$sluice_port
}

# ---- readings from /proc

# The process and its children (nginx's workers).
family() { # pid
  echo "$1"
  pgrep -P "$1" 2>/dev/null || true
}

# CPU time in clock ticks (utime + stime) of a process and its children, every thread included.
cpu_ticks() { # pid
  local p total=0 t
  for p in $(family "$1"); do
    # Fields after "pid (comm) ": utime and stime are the 12th and 13th.
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# A kB field of /proc/PID/status (VmRSS, VmHWM) summed over a process and its children.
status_kb() { # pid field
  local p total=0 v
  for p in $(family "$1"); do
    v=$(awk -v f="$2:" '$1 == f {print $2}' "/proc/$p/status" 2>/dev/null)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
