#!/usr/bin/env bash
# A single Kafka Connect worker (distributed mode) for Sluice's Kafka-mode connector tests (test/kafka/connect-*).
# It needs a broker: start scripts/kafka-local.sh first (and stop this worker before the broker).
#
#   scripts/connect-local.sh start      install (first run only) and start; waits until GET /health answers 200
#   scripts/connect-local.sh stop       stop the worker (its state lives in the broker's internal topics)
#   scripts/connect-local.sh status     exit 0 when the worker runs and its REST API is healthy
#   scripts/connect-local.sh install    only download the jars
#
# Kafka Connect comes from Maven Central through Maven (org.apache.kafka:connect-runtime, connect-json and
# reload4j as the logging backend); the FileStream connectors (connect-file, not on Connect's classpath since
# Kafka 3.2) go to a plugin directory named by plugin.path. The jars are cached in
# $SLUICE_CONNECT_HOME/connect-<version>/, apart from the broker's (a different dependency set). The worker runs as
# `java -cp 'jars/*' org.apache.kafka.connect.cli.ConnectDistributed worker.properties`.
#
# Several workers can share one broker: the group id and the internal topics are named after the REST port.
#
# Environment:
#   SLUICE_CONNECT_HOME           cache + run dir (default $SLUICE_KAFKA_HOME or ~/.cache/sluice-kafka)
#   SLUICE_CONNECT_PORT           REST port, http://127.0.0.1:<port> (default 8083)
#   SLUICE_KAFKA_PORT             the broker's client port on 127.0.0.1 (default 9092)
#   SLUICE_CONNECT_VERSION        Kafka Connect version (default $SLUICE_KAFKA_VERSION or 3.9.2; 3.x only:
#                                 4.x logs through log4j2)
#   SLUICE_CONNECT_HEAP           JVM heap flags (default -Xms128m -Xmx512m)
#   SLUICE_CONNECT_START_TIMEOUT  seconds `start` waits for the worker to be healthy (default 90)
set -euo pipefail

VERSION="${SLUICE_CONNECT_VERSION:-${SLUICE_KAFKA_VERSION:-3.9.2}}"
BASE="${SLUICE_CONNECT_HOME:-${SLUICE_KAFKA_HOME:-$HOME/.cache/sluice-kafka}}"
PORT="${SLUICE_CONNECT_PORT:-8083}"
KAFKA_PORT="${SLUICE_KAFKA_PORT:-9092}"
HEAP="${SLUICE_CONNECT_HEAP:--Xms128m -Xmx512m}"
START_TIMEOUT="${SLUICE_CONNECT_START_TIMEOUT:-90}"
STOP_TIMEOUT=30

INSTALL_DIR="$BASE/connect-$VERSION"
JARS="$INSTALL_DIR/jars"
PLUGINS="$INSTALL_DIR/plugins"
RUN_DIR="$BASE/connect-run-$PORT"  # one worker per REST port
PID_FILE="$RUN_DIR/worker.pid"
LOG_FILE="$RUN_DIR/worker.log"
CONFIG="$RUN_DIR/worker.properties"
LOG4J="$RUN_DIR/log4j.properties"
URL="http://127.0.0.1:$PORT"

log() { echo "connect-local: $*" >&2; }
die() { log "$*"; exit 1; }

install() {
  if [ -f "$JARS/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found (Maven is needed to download Kafka Connect from Maven Central)"
  command -v java >/dev/null || die "java not found (Kafka Connect needs Java 17)"
  log "downloading Kafka Connect $VERSION from Maven Central into $INSTALL_DIR"
  local started=$SECONDS
  mkdir -p "$INSTALL_DIR"
  rm -rf "$JARS" "$PLUGINS"
  cat >"$INSTALL_DIR/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice</groupId>
  <artifactId>sluice-connect-local</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>connect-runtime</artifactId>
      <version>$VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>connect-json</artifactId>
      <version>$VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>connect-file</artifactId>
      <version>$VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
EOF
  if ! mvn -B -q -f "$INSTALL_DIR/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$JARS" >"$INSTALL_DIR/mvn.log" 2>&1; then
    tail -n 40 "$INSTALL_DIR/mvn.log" >&2
    die "Maven could not download Kafka Connect $VERSION (full log: $INSTALL_DIR/mvn.log)"
  fi
  # The FileStream connectors are a plugin, as in a Kafka distribution: off the worker's classpath, under plugin.path.
  mkdir -p "$PLUGINS/connect-file"
  mv "$JARS"/connect-file-*.jar "$PLUGINS/connect-file/"
  touch "$JARS/.complete"
  log "downloaded $(ls "$JARS" | wc -l) jars in $((SECONDS - started)) s"
}

# The pid of our worker when it is alive (checked against its command line, so a recycled pid is not ours).
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "ConnectDistributed $CONFIG" || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# GET /health answers 200 once the worker has joined its group (GET / answers earlier, before the herder runs).
healthy() {
  if command -v curl >/dev/null; then
    curl -sf -o /dev/null --max-time 2 "$URL/health"
  else
    port_open "$PORT" && grep -q "Kafka Connect started" "$LOG_FILE"
  fi
}

write_config() {
  mkdir -p "$RUN_DIR"
  cat >"$CONFIG" <<EOF
# Generated by scripts/connect-local.sh: one distributed worker for tests.
bootstrap.servers=127.0.0.1:$KAFKA_PORT
group.id=sluice-connect-$PORT
config.storage.topic=_sluice-connect-$PORT-configs
offset.storage.topic=_sluice-connect-$PORT-offsets
status.storage.topic=_sluice-connect-$PORT-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.storage.partitions=1
status.storage.partitions=1
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
# Source offsets are committed every second, so a test sees them soon (Connect's default is 60 s).
offset.flush.interval.ms=1000
listeners=http://127.0.0.1:$PORT
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$PORT
plugin.path=$PLUGINS
plugin.discovery=service_load
scheduled.rebalance.max.delay.ms=0
EOF
  cat >"$LOG4J" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.reflections=ERROR
log4j.logger.org.apache.kafka.clients=WARN
EOF
}

start() {
  local pid
  if pid=$(running_pid); then
    log "already running (pid $pid) at $URL"
    return 0
  fi
  rm -f "$PID_FILE"
  if port_open "$PORT"; then die "port $PORT is in use by another process (set SLUICE_CONNECT_PORT)"; fi
  # Without a broker the worker stays up but its REST API never answers: refuse early instead of timing out.
  if ! port_open "$KAFKA_PORT"; then
    die "no Kafka broker on 127.0.0.1:$KAFKA_PORT (start scripts/kafka-local.sh first, or set SLUICE_KAFKA_PORT)"
  fi
  install
  write_config
  local started=$SECONDS
  : >"$LOG_FILE"
  # setsid: the worker leaves the caller's process group, so a test runner killed with its group does not take it down.
  setsid nohup java $HEAP -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration="file:$LOG4J" \
    -cp "$JARS/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONFIG" >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      die "the worker exited during start-up (log: $LOG_FILE)"
    fi
    if healthy; then break; fi
    if (( SECONDS - started >= START_TIMEOUT )); then
      tail -n 40 "$LOG_FILE" >&2
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      die "the worker was not healthy at $URL/health within ${START_TIMEOUT} s (log: $LOG_FILE)"
    fi
    sleep 0.2
  done
  log "Kafka Connect $VERSION running at $URL (pid $pid, broker 127.0.0.1:$KAFKA_PORT, started in $((SECONDS - started)) s, log $LOG_FILE)"
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      if (( waited >= STOP_TIMEOUT * 5 )); then
        log "worker (pid $pid) still running after ${STOP_TIMEOUT} s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
        break
      fi
      sleep 0.2
      waited=$((waited + 1))
    done
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -rf "$RUN_DIR"
}

status() {
  local pid
  if pid=$(running_pid) && healthy; then
    echo "running: Kafka Connect $VERSION at $URL (pid $pid)"
    return 0
  fi
  echo "not running ($URL)"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  install) install ;;
  *)
    echo "usage: $0 start|stop|status|install" >&2
    exit 2
    ;;
esac
