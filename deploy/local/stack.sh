#!/usr/bin/env bash
# Tongban local stack without Docker: a single-node Apache Kafka (KRaft) broker
# run straight from the official jars on Maven Central, plus checks/setup of
# the local PostgreSQL and Redis.
#
#   deploy/local/stack.sh start        prerequisites, jars, broker, topics, databases, redis
#   deploy/local/stack.sh stop         stop the broker (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT s)
#   deploy/local/stack.sh status       one line per service; exit 0 if all up, 3 otherwise
#   deploy/local/stack.sh kafka-start  broker only (keeps data and topics)
#   deploy/local/stack.sh kafka-stop   broker only
#   deploy/local/stack.sh cluster-start [N]   three-broker KRaft cluster on 19092-19094 (or only node N)
#   deploy/local/stack.sh cluster-stop [N]    stop the cluster (or only node N); cluster-kill N: SIGKILL node N
#   deploy/local/stack.sh cluster-status      one line per cluster node; exit 0 if all 3 are up, 3 otherwise
#
# See deploy/local/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"
TOPICS_JSON="$REPO_ROOT/libs/contracts/src/topic-registry.json"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_CDS="${KAFKA_CDS:-1}"   # 1 = use JVM class-data-sharing archives to start JVMs faster
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
CACHE_DIR="${TONGBAN_CACHE_DIR:-$REPO_ROOT/.cache}"
export PGHOST PGPORT PGUSER

TOPIC_RF=1          # replication factor of created topics (the cluster uses 3)
TOPIC_CONFIG=""     # one extra topic config (the cluster uses min.insync.replicas=2)
DATABASES=(tongban_intake tongban_routing tongban_approval tongban_delivery tongban_notification tongban_supervision)

# the pinned version is <kafka.version> in the pom; KAFKA_VERSION=x.y.z overrides it (to try another release)
POM_KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
KAFKA_VERSION="${KAFKA_VERSION:-$POM_KAFKA_VERSION}"
LIBS_DIR="$CACHE_DIR/kafka/$KAFKA_VERSION/libs"
LIBS_DONE="$CACHE_DIR/kafka/$KAFKA_VERSION/.complete"
# TONGBAN_KAFKA_INSTANCE=name runs a second single broker beside the developer's, with its own
# config, data, log and pid file (and its own KAFKA_PORT/KAFKA_CONTROLLER_PORT): npm test runs
# the tests on one ("test"), so their events never reach the consumer groups of `npm start`.
KAFKA_INSTANCE="${TONGBAN_KAFKA_INSTANCE:-}"
INSTANCE_SUFFIX="${KAFKA_INSTANCE:+-$KAFKA_INSTANCE}"
CONF_DIR="$CACHE_DIR/kafka/config$INSTANCE_SUFFIX"
SERVER_PROPS="$CONF_DIR/server.properties"
LOG4J_BROKER="$CONF_DIR/log4j2.properties"
LOG4J_TOOLS="$CONF_DIR/tools-log4j2.properties"
CLUSTER_ID_FILE="$CACHE_DIR/kafka/cluster.id"
DATA_DIR="$CACHE_DIR/kafka-data$INSTANCE_SUFFIX"
LOG_DIR="$CACHE_DIR/logs"
KAFKA_LOG="$LOG_DIR/kafka$INSTANCE_SUFFIX.log"
PID_FILE="$CACHE_DIR/kafka$INSTANCE_SUFFIX.pid"
CDS_DIR="$CACHE_DIR/kafka/$KAFKA_VERSION/cds"

if [ -t 1 ]; then B=$'\e[1m'; R=$'\e[31m'; N=$'\e[0m'; else B=""; R=""; N=""; fi
say()  { printf '[stack] %s\n' "$*"; }
die()  { printf '[stack] %sERROR:%s %s\n' "$R" "$N" "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
since() { local t0=$1; local d=$(( $(now_ms) - t0 )); printf '%d.%01ds' $((d / 1000)) $(((d % 1000) / 100)); }

# ---------------------------------------------------------------- prerequisites
JAVA="java"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && JAVA="$JAVA_HOME/bin/java"

java_build() { # a short id of the exact JVM build (CDS archives are only valid for it)
  local out="${1:-}"; [ -n "$out" ] || out="$("$JAVA" -version 2>&1)"
  printf '%s' "$out" | cksum | cut -d' ' -f1
}
need_java() {
  command -v "$JAVA" >/dev/null 2>&1 \
    || die "missing prerequisite: java (install a JDK 17+, e.g. apt-get install -y openjdk-17-jre-headless)"
  local v out
  out="$("$JAVA" -version 2>&1)"
  v="$(sed -n 's/.*version "\([0-9]*\).*/\1/p' <<<"$out" | head -n1)"
  JAVA_BUILD="$(java_build "$out")"
  [ -n "$v" ] && [ "$v" -ge 17 ] \
    || die "missing prerequisite: java 17+ (found '${v:-unknown}'; install a JDK 17+, e.g. apt-get install -y openjdk-17-jre-headless)"
}
need_mvn() {
  command -v mvn >/dev/null 2>&1 \
    || die "missing prerequisite: mvn, needed once to fetch the Kafka jars (apt-get install -y maven)"
}
need_node() {
  command -v node >/dev/null 2>&1 || die "missing prerequisite: node (install Node.js 20+)"
}
pg_hint() {
  local ver=""
  [ -d /etc/postgresql ] && ver="$(ls -1 /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  if [ -n "$ver" ]; then
    echo "start it: pg_ctlcluster --skip-systemctl-redirect $ver main start"
  else
    echo "install and start it: apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect <version> main start"
  fi
}
pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -t 3 >/dev/null 2>&1
  else
    psql -X -q -d postgres -tAc 'SELECT 1' >/dev/null 2>&1
  fi
}
need_postgres() {
  command -v psql >/dev/null 2>&1 \
    || die "missing prerequisite: psql (apt-get install -y postgresql-client)"
  pg_up || die "PostgreSQL is not answering on $PGHOST:$PGPORT ($(pg_hint))"
  psql -X -q -d postgres -tAc 'SELECT 1' >/dev/null 2>&1 \
    || die "PostgreSQL on $PGHOST:$PGPORT answers but 'psql -U $PGUSER' cannot log in (check PGUSER/PGPASSWORD or pg_hba.conf)"
}
redis_hostport() { # redis://[user:pass@]host:port[/db] -> "host port"
  local u="${REDIS_URL#*://}"; u="${u##*@}"; u="${u%%/*}"
  local h="${u%%:*}" p="6379"; [[ "$u" == *:* ]] && p="${u##*:}"
  echo "${h:-127.0.0.1} $p"
}
redis_up() { [ "$(redis-cli -u "$REDIS_URL" ping 2>/dev/null)" = "PONG" ]; }
need_redis() {
  command -v redis-cli >/dev/null 2>&1 \
    || die "missing prerequisite: redis-cli (apt-get install -y redis-server redis-tools)"
  local hp; read -r -a hp <<<"$(redis_hostport)"
  redis_up || die "Redis is not answering at $REDIS_URL (start it: redis-server --daemonize yes --bind ${hp[0]} --port ${hp[1]} --save \"\" --appendonly no)"
}

# ---------------------------------------------------------------- jars
ensure_jars() {
  [ -n "$KAFKA_VERSION" ] || die "cannot read <kafka.version> from $POM"
  if [ -f "$LIBS_DONE" ] && compgen -G "$LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null; then
    return 0
  fi
  need_mvn
  local t0; t0=$(now_ms)
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central into ${LIBS_DIR#"$REPO_ROOT"/} ..."
  rm -rf "$LIBS_DIR"; mkdir -p "$LIBS_DIR"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
        -DoutputDirectory="$LIBS_DIR" -DincludeScope=runtime >"$CACHE_DIR/kafka/mvn.log" 2>&1; then
    tail -n 20 "$CACHE_DIR/kafka/mvn.log" >&2
    die "maven could not fetch the Kafka jars (full output: $CACHE_DIR/kafka/mvn.log)"
  fi
  touch "$LIBS_DONE"
  say "fetched $(ls -1 "$LIBS_DIR" | wc -l) jars in $(since "$t0")"
}
classpath() { # explicit, sorted (stable) classpath
  local IFS=:; local jars=("$LIBS_DIR"/*.jar); echo "${jars[*]}"
}
# JVM options for the short-lived tool JVMs (format, topics): start fast, small heap;
# JVM log output (CDS notes) goes to stderr so it never mixes with a tool's stdout.
TOOL_JVM_OPTS=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
               -Xlog:disable -Xlog:all=warning:stderr -Djava.awt.headless=true)
JAVA_BUILD="0"
# Class-data sharing (AppCDS, JDK 13+): the first run of a JVM role dumps the classes it
# loaded into <cache>/kafka/<version>/cds/<role>-<java build>.jsa; later runs map that
# archive and start ~1 s faster (broker restart ~2.9 s -> ~1.9 s, a tool call 0.9 s -> 0.4 s).
# A missing, stale or broken archive is ignored by the JVM (-Xshare:auto).
cds_opts() { # cds_opts <role> [nodump]: prints the JVM flag (one word) to use, "" for none
  [ "$KAFKA_CDS" = "1" ] && [ "$JAVA_BUILD" != "0" ] || return 0
  local jsa="$CDS_DIR/$1-$JAVA_BUILD.jsa"
  if [ -s "$jsa" ]; then
    echo "-XX:SharedArchiveFile=$jsa"
  elif [ "${2:-}" != "nodump" ]; then
    mkdir -p "$CDS_DIR"; rm -f "$jsa.tmp"
    echo "-XX:ArchiveClassesAtExit=$jsa.tmp"
  fi
}
cds_commit() { # cds_commit <role> <ok>: keep a freshly dumped archive only after a clean exit
  local jsa="$CDS_DIR/$1-$JAVA_BUILD.jsa"
  [ -f "$jsa.tmp" ] || return 0
  if [ "$2" = "ok" ] && [ -s "$jsa.tmp" ]; then mv -f "$jsa.tmp" "$jsa"; else rm -f "$jsa.tmp"; fi
}
tool() { # tool <main class> args...   (no CDS: used for the one-off storage format)
  local main=$1; shift
  "$JAVA" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="$LOG4J_TOOLS" \
    -cp "$(classpath)" "$main" "$@"
}
topic_cmd() { # topic_cmd dump|nodump args...: TopicCommand, with the "tools" CDS archive
  local cds; cds="$(cds_opts tools "$1")"; shift
  "$JAVA" "${TOOL_JVM_OPTS[@]}" ${cds:+"$cds"} -Dlog4j2.configurationFile="$LOG4J_TOOLS" \
    -cp "$CP" org.apache.kafka.tools.TopicCommand --bootstrap-server "${TOPIC_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}" "$@"
}

# ---------------------------------------------------------------- config
write_config() {
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"
  if [ -n "${CLUSTER_NODE:-}" ]; then
    mkdir -p "$(dirname "$SERVER_PROPS")"
    cluster_server_props >"$SERVER_PROPS.tmp"
  else
  cat >"$SERVER_PROPS.tmp" <<EOF
# Generated by deploy/local/stack.sh on each broker start - do not edit (edit the script).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR

auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# faster local restarts: the broker's lifecycle (register, unfence, controlled shutdown)
# advances on heartbeats; after a crash (SIGKILL) a restarted broker must wait for its old
# session to expire (defaults: 2000 ms / 9000 ms)
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=4000

num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
log.retention.hours=168
log.segment.bytes=104857600
EOF
  fi
  mv "$SERVER_PROPS.tmp" "$SERVER_PROPS"

  cat >"$LOG4J_BROKER" <<'EOF'
# Generated by deploy/local/stack.sh. Console -> .cache/logs/kafka.log (stdout is redirected there),
# plus the usual Kafka server/controller/state-change log files in ${sys:kafka.logs.dir}.
status = warn
name = tongban-kafka
property.dir = ${sys:kafka.logs.dir}
property.pattern = [%d] %p %m (%c)%n

appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = ${pattern}

appender.server.type = RollingFile
appender.server.name = SERVER
appender.server.fileName = ${dir}/server.log
appender.server.filePattern = ${dir}/server.log.%i
appender.server.layout.type = PatternLayout
appender.server.layout.pattern = ${pattern}
appender.server.policies.type = Policies
appender.server.policies.size.type = SizeBasedTriggeringPolicy
appender.server.policies.size.size = 50MB
appender.server.strategy.type = DefaultRolloverStrategy
appender.server.strategy.max = 3

appender.controller.type = RollingFile
appender.controller.name = CONTROLLER
appender.controller.fileName = ${dir}/controller.log
appender.controller.filePattern = ${dir}/controller.log.%i
appender.controller.layout.type = PatternLayout
appender.controller.layout.pattern = ${pattern}
appender.controller.policies.type = Policies
appender.controller.policies.size.type = SizeBasedTriggeringPolicy
appender.controller.policies.size.size = 20MB
appender.controller.strategy.type = DefaultRolloverStrategy
appender.controller.strategy.max = 2

appender.statechange.type = RollingFile
appender.statechange.name = STATECHANGE
appender.statechange.fileName = ${dir}/state-change.log
appender.statechange.filePattern = ${dir}/state-change.log.%i
appender.statechange.layout.type = PatternLayout
appender.statechange.layout.pattern = ${pattern}
appender.statechange.policies.type = Policies
appender.statechange.policies.size.type = SizeBasedTriggeringPolicy
appender.statechange.policies.size.size = 20MB
appender.statechange.strategy.type = DefaultRolloverStrategy
appender.statechange.strategy.max = 2

rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
rootLogger.appenderRef.server.ref = SERVER

logger.controller.name = org.apache.kafka.controller
logger.controller.level = INFO
logger.controller.additivity = false
logger.controller.appenderRef.controller.ref = CONTROLLER

logger.statechange.name = state.change.logger
logger.statechange.level = INFO
logger.statechange.additivity = false
logger.statechange.appenderRef.statechange.ref = STATECHANGE

logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF

  cat >"$LOG4J_TOOLS" <<'EOF'
# Generated by deploy/local/stack.sh: command line tools log warnings to stderr only.
status = warn
name = tongban-kafka-tools
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
EOF
}

cluster_id() {
  if [ ! -s "$CLUSTER_ID_FILE" ]; then
    local cid=""
    # an already formatted data dir keeps its id
    [ -f "$DATA_DIR/meta.properties" ] && cid="$(sed -n 's/^cluster.id=//p' "$DATA_DIR/meta.properties")"
    if [ -z "$cid" ]; then
      need_node
      # Kafka Uuid: 16 random bytes, base64url without padding, not starting with '-'
      cid="$(node -e 'const c=require("crypto");let s;do{s=c.randomBytes(16).toString("base64url")}while(s[0]==="-");process.stdout.write(s)')"
    fi
    mkdir -p "$(dirname "$CLUSTER_ID_FILE")"
    echo "$cid" >"$CLUSTER_ID_FILE"
  fi
  cat "$CLUSTER_ID_FILE"
}

# returns 0 if it formatted (fresh data dir), 1 if the data dir was already formatted
format_if_needed() {
  if [ -f "$DATA_DIR/meta.properties" ]; then return 1; fi
  local t0 cid; t0=$(now_ms); cid="$(cluster_id)"
  say "formatting KRaft storage in ${DATA_DIR#"$REPO_ROOT"/} (cluster id $cid) ..."
  tool kafka.tools.StorageTool format -t "$cid" -c "$SERVER_PROPS" >"$LOG_DIR/kafka-format.log" 2>&1 \
    || { cat "$LOG_DIR/kafka-format.log" >&2; die "kafka storage format failed"; }
  say "storage formatted in $(since "$t0")"
  return 0
}

# ---------------------------------------------------------------- broker process
is_our_broker() { # pid
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $SERVER_PROPS"
}
broker_pids() { # the pid file's process, plus any broker started on our config (pid file lost)
  local pid f pids=()
  if [ -f "$PID_FILE" ]; then
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    is_our_broker "$pid" && pids+=("$pid")
  fi
  # processes having our generated server.properties as an argument (one grep over /proc)
  for f in $(grep -lszxF -- "$SERVER_PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    [[ " ${pids[*]-} " == *" $pid "* ]] && continue
    [ "$pid" = "$$" ] && continue
    is_our_broker "$pid" && pids+=("$pid")
  done
  echo "${pids[*]-}"
}
alive() { # pid: running and not a zombie waiting to be reaped
  kill -0 "$1" 2>/dev/null || return 1
  local st; st="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
  [ -n "$st" ] && [ "$st" != "Z" ] && [ "$st" != "X" ]
}
port_open() { # host port
  (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1
}

start_broker() { # sets FRESH=1 if storage was formatted
  FRESH=0
  local pids; pids="$(broker_pids)"
  if [ -n "$pids" ]; then
    echo "${pids%% *}" >"$PID_FILE"
    if port_open 127.0.0.1 "$KAFKA_PORT"; then
      say "kafka already running (pid $pids) on 127.0.0.1:$KAFKA_PORT"
    else
      say "kafka already running (pid $pids), waiting for it to answer on 127.0.0.1:$KAFKA_PORT ..."
      wait_broker "${pids%% *}" "$(now_ms)"
    fi
    return 0
  fi
  if [ -f "$PID_FILE" ]; then
    say "removing stale pid file (pid $(cat "$PID_FILE" 2>/dev/null) is not running)"
    rm -f "$PID_FILE"
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_open 127.0.0.1 "$p" && die "port 127.0.0.1:$p is already in use by another process (see: ss -ltnp 'sport = :$p'); stop it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  done
  local t0; t0=$(now_ms)
  # (cluster nodes: cluster_start wrote every node's config and formatted its storage before
  # launching them together, so parallel starts never rewrite shared files)
  [ -n "${CLUSTER_NODE:-}" ] || write_config
  if format_if_needed; then FRESH=1; fi
  printf '\n===== %s stack.sh: starting Kafka %s =====\n' "$(date -Is)" "$KAFKA_VERSION" >>"$KAFKA_LOG"
  local cds; cds="$(cds_opts broker ${CLUSTER_NODE:+nodump})"
  # The broker outlives this script: it must not keep the caller's descriptors (a `flock` lock,
  # a CI runner's pipe) open for its whole life, so 3-9 are closed for it.
  # shellcheck disable=SC2086
  setsid nohup "$JAVA" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Xshare:auto $cds \
      -Dlog4j2.shutdownHookEnabled=false \
      -Dkafka.logs.dir="$LOG_DIR" -Dlog4j2.configurationFile="$LOG4J_BROKER" \
      ${KAFKA_OPTS:-} \
      -cp "$(classpath)" kafka.Kafka "$SERVER_PROPS" \
      </dev/null >>"$KAFKA_LOG" 2>&1 3<&- 4<&- 5<&- 6<&- 7<&- 8<&- 9<&- &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  say "kafka $KAFKA_VERSION starting (pid $pid), logs: ${LOG_DIR#"$REPO_ROOT"/}/kafka.log"
  wait_broker "$pid" "$t0"
}

wait_broker() { # pid t0
  local pid=$1 t0=$2 deadline=$(( $(now_ms) + KAFKA_START_TIMEOUT * 1000 ))
  local other
  while :; do
    if ! alive "$pid"; then
      # (if setsid had to fork, the broker runs under another pid: adopt it)
      other="$(broker_pids)"
      if [ -n "$other" ]; then pid="${other%% *}"; echo "$pid" >"$PID_FILE"; continue; fi
      rm -f "$PID_FILE"
      tail -n 40 "$KAFKA_LOG" >&2
      die "kafka exited during startup (log above, full log: $KAFKA_LOG)"
    fi
    # the PLAINTEXT listener only accepts once the broker has caught up with the
    # metadata log and is unfenced, so an accepted connection means "ready"
    if port_open 127.0.0.1 "$KAFKA_PORT"; then break; fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      tail -n 40 "$KAFKA_LOG" >&2
      die "kafka did not answer on 127.0.0.1:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s (log above, full log: $KAFKA_LOG; broker pid $pid left running, use: $0 stop)"
    fi
    sleep 0.2
  done
  say "kafka is up on 127.0.0.1:$KAFKA_PORT after $(since "$t0")"
}

stop_broker() {
  local pids; pids="$(broker_pids)"
  if [ -z "$pids" ]; then
    rm -f "$PID_FILE"
    say "kafka is not running"
    return 0
  fi
  local t0; t0=$(now_ms)
  say "stopping kafka (pid $pids) ..."
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local deadline=$(( $(now_ms) + KAFKA_STOP_TIMEOUT * 1000 )) alive clean=ok
  while :; do
    alive=""
    for p in $pids; do alive "$p" && alive="$alive $p"; done
    [ -z "$alive" ] && break
    if [ "$(now_ms)" -ge "$deadline" ]; then
      say "kafka did not stop within ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL to$alive"
      # shellcheck disable=SC2086
      kill -KILL $alive 2>/dev/null || true
      clean=killed
      for _ in $(seq 50); do
        alive=""; for p in $pids; do alive "$p" && alive="$alive $p"; done
        [ -z "$alive" ] && break; sleep 0.2
      done
      [ -z "$alive" ] || die "could not kill kafka (pid$alive)"
      break
    fi
    sleep 0.1
  done
  rm -f "$PID_FILE"
  [ -z "${CLUSTER_NODE:-}" ] && [ -n "${JAVA_BUILD:-}" ] && [ "$JAVA_BUILD" != 0 ] && cds_commit broker "$clean"
  say "kafka stopped in $(since "$t0")"
}

# ---------------------------------------------------------------- topics
wanted_topics() { # lines "name partitions"
  need_node
  [ -f "$TOPICS_JSON" ] || die "topic list not found: $TOPICS_JSON"
  node -e '
    const cfg = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const d = cfg.defaults || {}, p = d.partitions || 6, dp = d.dlqPartitions || 3;
    for (const t of cfg.topics || []) {
      console.log(`${t.name} ${t.partitions || p}`);
      console.log(`${t.name}.dlq ${t.dlqPartitions || dp}`);
    }' "$TOPICS_JSON"
}
ensure_topics() {
  local t0 wanted existing missing=() name parts
  t0=$(now_ms)
  wanted="$(wanted_topics)"
  CP="$(classpath)"
  local rc=0
  existing="$(topic_cmd dump --list 2>"$LOG_DIR/kafka-topics.log")" || rc=$?
  if [ "$rc" -eq 0 ]; then cds_commit tools ok; else cds_commit tools failed; fi
  [ "$rc" -eq 0 ] || { cat "$LOG_DIR/kafka-topics.log" >&2; die "could not list topics on 127.0.0.1:$KAFKA_PORT"; }
  while read -r name parts; do
    [ -z "$name" ] && continue
    grep -qxF "$name" <<<"$existing" || missing+=("$name $parts")
  done <<<"$wanted"
  local total; total=$(grep -c . <<<"$wanted")
  if [ "${#missing[@]}" -eq 0 ]; then
    say "topics: all $total present (checked in $(since "$t0"))"
    return 0
  fi
  say "topics: creating ${#missing[@]} of $total ..."
  # one JVM per topic (TopicCommand creates one topic per call); run them 3 at a time
  local jobs=0 failed=0
  : >"$LOG_DIR/kafka-topics.log"
  for m in "${missing[@]}"; do
    read -r name parts <<<"$m"
    topic_cmd nodump --create --if-not-exists --topic "$name" --partitions "$parts" --replication-factor "$TOPIC_RF" \
      ${TOPIC_CONFIG:+--config "$TOPIC_CONFIG"} \
      >>"$LOG_DIR/kafka-topics.log" 2>&1 &
    jobs=$((jobs + 1))
    if [ "$jobs" -ge 3 ]; then wait -n || failed=1; jobs=$((jobs - 1)); fi
  done
  while [ "$jobs" -gt 0 ]; do wait -n || failed=1; jobs=$((jobs - 1)); done
  [ "$failed" -eq 0 ] || { cat "$LOG_DIR/kafka-topics.log" >&2; die "topic creation failed (see $LOG_DIR/kafka-topics.log)"; }
  say "topics: created ${#missing[@]} in $(since "$t0")"
}

# ---------------------------------------------------------------- databases
ensure_databases() {
  local created=() db
  for db in "${DATABASES[@]}"; do
    if [ "$(psql -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
      psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null \
        || die "could not create database $db on $PGHOST:$PGPORT"
      created+=("$db")
    fi
  done
  if [ "${#created[@]}" -gt 0 ]; then
    say "postgres: created ${created[*]} on $PGHOST:$PGPORT"
  else
    say "postgres: databases ${DATABASES[*]} present on $PGHOST:$PGPORT"
  fi
}

# ---------------------------------------------------------------- commands
cmd_start() {
  local t0; t0=$(now_ms)
  need_java; need_node; need_postgres; need_redis
  mkdir -p "$CACHE_DIR/kafka" "$LOG_DIR"
  ensure_jars
  start_broker
  ensure_topics
  ensure_databases
  redis_up || die "Redis stopped answering at $REDIS_URL"
  say "redis: answering at $REDIS_URL"
  say "${B}stack ready${N} in $(since "$t0"): kafka 127.0.0.1:$KAFKA_PORT, postgres $PGHOST:$PGPORT, redis $REDIS_URL"
}
cmd_kafka_tool() { # a Kafka command line tool from the same jars, with a full (C2) JIT for measuring
  [ -n "${1:-}" ] || die "usage: $0 kafka-tool <main class> [args...], e.g. org.apache.kafka.tools.ProducerPerformance --help"
  need_java
  mkdir -p "$CACHE_DIR/kafka" "$LOG_DIR"
  ensure_jars >&2
  local main=$1; shift
  "$JAVA" -Xms256m -Xmx1g -Xlog:disable -Xlog:all=warning:stderr -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_TOOLS" -cp "$(classpath)" "$main" "$@"
}
cmd_kafka_start() {
  local t0; t0=$(now_ms)
  need_java
  mkdir -p "$CACHE_DIR/kafka" "$LOG_DIR"
  ensure_jars
  start_broker
  # a freshly formatted broker has no topics yet
  [ "$FRESH" -eq 1 ] && ensure_topics
  say "kafka ready in $(since "$t0")"
}
cmd_stop() {
  # the java build id names the broker's CDS archive (kept only after a clean stop)
  if [ "$KAFKA_CDS" = "1" ] && command -v "$JAVA" >/dev/null 2>&1; then
    JAVA_BUILD="$(java_build)"
  fi
  stop_broker
}
cmd_status() {
  local ok=0 pids
  pids="$(broker_pids)"
  if [ -n "$pids" ] && port_open 127.0.0.1 "$KAFKA_PORT"; then
    say "kafka:    running (pid $pids) on 127.0.0.1:$KAFKA_PORT, version $KAFKA_VERSION"
  elif [ -n "$pids" ]; then
    say "kafka:    starting or unhealthy (pid $pids), not answering on 127.0.0.1:$KAFKA_PORT"; ok=3
  else
    say "kafka:    stopped"; ok=3
  fi
  if command -v psql >/dev/null 2>&1 && pg_up; then
    say "postgres: running on $PGHOST:$PGPORT"
  else
    say "postgres: not answering on $PGHOST:$PGPORT"; ok=3
  fi
  if command -v redis-cli >/dev/null 2>&1 && redis_up; then
    say "redis:    running at $REDIS_URL"
  else
    say "redis:    not answering at $REDIS_URL"; ok=3
  fi
  return "$ok"
}

# ---------------------------------------------------------------- three-broker cluster
# A second, independent Kafka: three combined controller+broker nodes (a 3-voter KRaft quorum)
# on loopback, replication factor 3 and min.insync.replicas 2, each node with its own config,
# data dir, log dir and pid file under $CACHE_DIR/kafka-cluster. It shares only the jars (and the
# class-data-sharing archive, read-only) with the single broker above, which it never touches.
CLUSTER_SIZE=3
KAFKA_CLUSTER_PORT="${KAFKA_CLUSTER_PORT:-19092}"                       # node n: port + n - 1
KAFKA_CLUSTER_CONTROLLER_PORT="${KAFKA_CLUSTER_CONTROLLER_PORT:-19192}" # node n: port + n - 1
KAFKA_CLUSTER_HEAP_OPTS="${KAFKA_CLUSTER_HEAP_OPTS:--Xms128m -Xmx384m}"
CLUSTER_DIR="$CACHE_DIR/kafka-cluster"

cluster_bootstrap() { # host:port list of every node
  local n list=()
  for n in $(seq "$CLUSTER_SIZE"); do list+=("127.0.0.1:$((KAFKA_CLUSTER_PORT + n - 1))"); done
  local IFS=,; echo "${list[*]}"
}
cluster_voters() {
  local n list=()
  for n in $(seq "$CLUSTER_SIZE"); do list+=("$n@127.0.0.1:$((KAFKA_CLUSTER_CONTROLLER_PORT + n - 1))"); done
  local IFS=,; echo "${list[*]}"
}
use_cluster_node() { # n: points the broker functions above at cluster node n
  local n=$1
  [[ "$n" =~ ^[1-9][0-9]*$ ]] && [ "$n" -le "$CLUSTER_SIZE" ] || die "no cluster node '$n' (nodes are 1..$CLUSTER_SIZE)"
  CLUSTER_NODE=$n
  KAFKA_PORT=$((KAFKA_CLUSTER_PORT + n - 1))
  KAFKA_CONTROLLER_PORT=$((KAFKA_CLUSTER_CONTROLLER_PORT + n - 1))
  KAFKA_HEAP_OPTS="$KAFKA_CLUSTER_HEAP_OPTS"
  CONF_DIR="$CLUSTER_DIR/config"
  SERVER_PROPS="$CONF_DIR/node-$n.properties"
  LOG4J_BROKER="$CONF_DIR/log4j2.properties"
  LOG4J_TOOLS="$CONF_DIR/tools-log4j2.properties"
  DATA_DIR="$CLUSTER_DIR/data/node-$n"
  LOG_DIR="$CLUSTER_DIR/logs/node-$n"
  KAFKA_LOG="$LOG_DIR/kafka.log"
  PID_FILE="$CLUSTER_DIR/node-$n.pid"
  CLUSTER_ID_FILE="$CLUSTER_DIR/cluster.id"
}
cluster_server_props() {
  cat <<EOF
# Generated by deploy/local/stack.sh (cluster node $CLUSTER_NODE of $CLUSTER_SIZE) on each start - do not edit.
process.roles=broker,controller
node.id=$CLUSTER_NODE
controller.quorum.voters=$(cluster_voters)
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR

auto.create.topics.enable=false
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=4000

num.network.threads=2
num.io.threads=2
num.replica.fetchers=1
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=33554432
EOF
}
cluster_nodes_arg() { # [n]: the nodes a command acts on
  if [ -n "${1:-}" ]; then use_cluster_node "$1" >/dev/null; echo "$1"; else seq "$CLUSTER_SIZE"; fi
}
cmd_cluster_start() {
  local t0 n nodes; t0=$(now_ms); nodes="$(cluster_nodes_arg "${1:-}")"
  need_java; need_node
  mkdir -p "$CACHE_DIR/kafka" "$CLUSTER_DIR"
  ensure_jars
  # sequentially: one cluster id, each node's config (and the cluster's log4j files) and storage
  for n in $nodes; do
    use_cluster_node "$n"
    mkdir -p "$DATA_DIR" "$LOG_DIR"
    [ -n "$(broker_pids)" ] && continue
    write_config
    format_if_needed || true
  done
  # together: a node only opens its client listener once a quorum (2 of 3 voters) elected a
  # leader and unfenced it, so waiting for each node in turn would wait forever on the first
  local pids=() failed=0
  for n in $nodes; do
    ( use_cluster_node "$n"; start_broker ) &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || failed=1; done
  [ "$failed" -eq 0 ] || die "a cluster node did not come up (logs: ${CLUSTER_DIR#"$REPO_ROOT"/}/logs/node-<n>/kafka.log)"
  if [ -z "${1:-}" ]; then
    use_cluster_node 1
    TOPIC_RF=3 TOPIC_CONFIG="min.insync.replicas=2" TOPIC_BOOTSTRAP="$(cluster_bootstrap)" ensure_topics
  fi
  say "${B}cluster ready${N} in $(since "$t0"): KAFKA_BROKERS=$(cluster_bootstrap)"
}
cmd_cluster_stop() {
  local n nodes pids=() failed=0; nodes="$(cluster_nodes_arg "${1:-}")"
  for n in $nodes; do
    ( use_cluster_node "$n"; stop_broker ) &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || failed=1; done
  return "$failed"
}
cmd_cluster_kill() { # n: SIGKILL, as a crash would
  [ -n "${1:-}" ] || die "cluster-kill needs a node number (1..$CLUSTER_SIZE)"
  use_cluster_node "$1"
  local pids p; pids="$(broker_pids)"
  [ -n "$pids" ] || { say "cluster node $1 is not running"; return 0; }
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for _ in $(seq 50); do
    local left=""; for p in $pids; do alive "$p" && left="$left $p"; done
    [ -z "$left" ] && break; sleep 0.1
  done
  rm -f "$PID_FILE"
  say "cluster node $1 killed (pid $pids)"
}
cmd_cluster_status() {
  local n ok=0 pids
  for n in $(seq "$CLUSTER_SIZE"); do
    use_cluster_node "$n"
    pids="$(broker_pids)"
    if [ -n "$pids" ] && port_open 127.0.0.1 "$KAFKA_PORT"; then
      say "kafka node $n: running (pid $pids) on 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT"
    elif [ -n "$pids" ]; then
      say "kafka node $n: starting or unhealthy (pid $pids), not answering on 127.0.0.1:$KAFKA_PORT"; ok=3
    else
      say "kafka node $n: stopped"; ok=3
    fi
  done
  say "KAFKA_BROKERS=$(cluster_bootstrap)"
  return "$ok"
}

usage() {
  cat <<EOF
usage: $0 {start|stop|status|kafka-start|kafka-stop|cluster-start|cluster-stop|cluster-kill|cluster-status|kafka-tool}
  start        check prerequisites, fetch Kafka jars (once), start Kafka, create topics and databases
  stop         stop Kafka (SIGTERM, SIGKILL after \$KAFKA_STOP_TIMEOUT s)
  status       one line per service; exit 0 if all are up, 3 otherwise
  kafka-start  start only the broker (keeps data and topics)
  kafka-stop   stop only the broker
  cluster-start [N]  three-broker KRaft cluster on 127.0.0.1:$KAFKA_CLUSTER_PORT.. (RF 3, min ISR 2) and its topics;
                     with N only node N (after cluster-stop N / cluster-kill N)
  cluster-stop [N]   stop the cluster, or only node N (SIGTERM, SIGKILL after \$KAFKA_STOP_TIMEOUT s)
  cluster-kill N     SIGKILL cluster node N (a crash)
  cluster-status     one line per cluster node; exit 0 if all are up, 3 otherwise
  kafka-tool CLASS [ARGS]  run a Kafka tool class from the same jars (npm run bench runs
                     org.apache.kafka.tools.ProducerPerformance this way)
EOF
}

main() {
  case "${1:-}" in
    start)       cmd_start ;;
    stop)        cmd_stop ;;
    status)      cmd_status ;;
    kafka-start) cmd_kafka_start ;;
    kafka-stop)  cmd_stop ;;
    cluster-start)  cmd_cluster_start "${2:-}" ;;
    cluster-stop)   cmd_cluster_stop "${2:-}" ;;
    cluster-kill)   cmd_cluster_kill "${2:-}" ;;
    cluster-status) cmd_cluster_status ;;
    kafka-tool)     shift; cmd_kafka_tool "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}
main "$@"; exit $?
