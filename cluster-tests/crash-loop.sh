#!/usr/bin/env bash
# The crash loop (issue G): on one machine, a 3-node KRaft cluster of separate broker processes;
# the data set once through a single undisturbed streams-app (the clean run), then through 2
# instances of one application that are killed with SIGKILL and restarted 20 times while the
# fills are processed (the crash run); prints the drift between the two (must be 0) and writes it
# to cluster-tests/target/cluster-runs/crash-loop-*/report.txt. Exit status 0 means no drift.
#
#   cluster-tests/crash-loop.sh                       # 1,000,000 fills, 20 kills
#   cluster-tests/crash-loop.sh --fills 2000 --kills 20 --kill-interval-seconds 8   # fits ~5 min on a 2-core machine
#   cluster-tests/crash-loop.sh --help                # every option
#
# A benchmark-style command: not part of `mvn verify`. It uses most of the machine; say what else
# was running when you quote its figures.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f cluster-tests/target/classpath.txt ] || [ -n "$(find . \( -name target -o -name node_modules -o -name .git \) -prune -o \
      \( -name '*.java' -o -name pom.xml \) -newer cluster-tests/target/classpath.txt -print -quit)" ]; then
  echo "Building (sources changed since the last build)..."
  mvn -B -q -pl cluster-tests -am package -Dmaven.test.skip=true
fi

exec java ${CRASH_LOOP_JAVA_OPTS:--Xmx3g -XX:+UseParallelGC} \
  -cp "cluster-tests/target/classes:$(cat cluster-tests/target/classpath.txt)" io.etrms.cluster.CrashLoop "$@"
