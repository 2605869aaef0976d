#!/bin/sh
# Creates every ETRMS topic, idempotently (--if-not-exists): the topic-creation step of
# docker-compose.yml, and usable as is against any cluster from a machine with Kafka's CLI:
#   BOOTSTRAP=broker1:9092 KAFKA_BIN=/opt/kafka/bin sh deploy/kafka/create-topics.sh
# The table below is model's Topics registry (names, cleanup policy, retention, compaction);
# ComposeFileTest in cluster-tests fails when the two differ.
set -eu

BOOTSTRAP="${BOOTSTRAP:-kafka-1:19092,kafka-2:19092,kafka-3:19092}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
PREFIX="${ETRMS_TOPIC_PREFIX:-etrms.}"
PARTITIONS="${ETRMS_TOPIC_PARTITIONS:-6}"
REPLICATION="${ETRMS_TOPIC_REPLICATION_FACTOR:-3}"
MIN_INSYNC_REPLICAS="${ETRMS_TOPIC_MIN_INSYNC_REPLICAS:-2}"
# Extra client settings for kafka-topics.sh (SASL/TLS): a properties file.
COMMAND_CONFIG="${KAFKA_COMMAND_CONFIG:-}"
# Compaction of the state topics (model's Topics: hourly segments, clean at 10 % superseded,
# no superseded value older than an hour), so that a reader from the beginning reads ~1 value per key.
COMPACT_SEGMENT_MS=3600000
COMPACT_MIN_CLEANABLE_DIRTY_RATIO=0.1
COMPACT_MAX_COMPACTION_LAG_MS=3600000

create() {
  policy="$2"
  topic="$PREFIX$1"
  set -- --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION" \
    --config "cleanup.policy=$2" --config "retention.ms=$3" --config "min.insync.replicas=$MIN_INSYNC_REPLICAS"
  if [ "$policy" = delete ]; then
    # retention counts from append time, not event time (see model's Topics)
    set -- "$@" --config "message.timestamp.type=LogAppendTime"
  else
    set -- "$@" --config "segment.ms=$COMPACT_SEGMENT_MS" \
      --config "min.cleanable.dirty.ratio=$COMPACT_MIN_CLEANABLE_DIRTY_RATIO" \
      --config "max.compaction.lag.ms=$COMPACT_MAX_COMPACTION_LAG_MS"
  fi
  if [ -n "$COMMAND_CONFIG" ]; then
    set -- "$@" --command-config "$COMMAND_CONFIG"
  fi
  "$KAFKA_BIN/kafka-topics.sh" "$@"
}

# topic         cleanup.policy  retention.ms (-1: forever)
create fills          delete    604800000
create prices         delete    86400000
create transfers      delete    -1
create risk-limits    compact   -1
create risk-control   delete    604800000
create positions      compact   -1
create portfolio      compact   -1
create accounts       compact   -1
create risk-metrics   compact   -1
create alerts         delete    2592000000
create risk-commands  delete    604800000
create dead-letters   delete    604800000
create position-snapshots delete 604800000
create account-groups compact   -1
create group-limits   compact   -1
create audit          delete    31536000000
create account-updates delete   604800000
create group-updates  delete    604800000
create group-actions  delete    604800000

echo "ETRMS topics ready under prefix '$PREFIX': $PARTITIONS partitions, replication $REPLICATION, min.insync.replicas $MIN_INSYNC_REPLICAS"
