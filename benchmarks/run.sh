#!/usr/bin/env bash
# Runs one ETRMS benchmark, or all of them, against baselines measured in the same run:
#
#   benchmarks/run.sh topology   # topology throughput, EOS and ALOS, vs raw producer/consumer
#   benchmarks/run.sh holders    # CPU and records per tick with 10, 100, 1000 accounts holding the instruments
#   benchmarks/run.sh latency    # fill → WebSocket latency, commit.interval.ms sweep, vs plain consumer
#   benchmarks/run.sh fanout     # 5k/10k WebSocket clients x 20 msgs/s and 10k idle, vs a Node.js ws broadcast server
#   benchmarks/run.sh memory     # RSS of the local default (./etrms) idle and under load, vs a bare broker
#   benchmarks/run.sh all        # the four, one after the other
#   benchmarks/run.sh <name> --help   # every option of one benchmark
#
# Each prints a table and writes benchmarks/results/<name>.json and <name>.svg. Each finishes in
# under 10 minutes on a 2-core machine. Everything runs on this machine, on loopback only.
# Builds first when the benchmarks jar is missing or older than the sources (set
# ETRMS_BENCH_NO_BUILD=1 to skip that); ETRMS_BENCH_JAVA_OPTS replaces the JVM options.
# The benchmark JVM of `fanout` is the load generator (10k client sockets on the servers' cores) and
# runs ParallelGC: under G1 everything in it but the client threads cost 0.5-0.9 ms of CPU per
# 1,000 received messages, mostly G1's concurrent refinement (the client threads: about 4),
# under ParallelGC 0.15-0.25. G1 everywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find . \( -name target -o -name data -o -name node_modules -o -name .git \) -prune -o \
      \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]
}
if [ -z "${ETRMS_BENCH_NO_BUILD:-}" ] && stale; then
  echo "Building the benchmarks (and the modules they measure)..."
  mvn -B -q -DskipTests -pl benchmarks -am package
fi

# The fan-out benchmark holds 10k client sockets here and 10k in each server process.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 24000 ]; then
  echo "warning: ulimit -n is $(ulimit -n); the fan-out benchmark needs about 24000 for 10k clients" >&2
fi

gc=-XX:+UseG1GC
[ "${1:-}" = fanout ] && gc=-XX:+UseParallelGC
exec java ${ETRMS_BENCH_JAVA_OPTS:--Xms1g -Xmx4g $gc} -cp "$jar:benchmarks/target/lib/*" io.etrms.bench.BenchCli "$@"
