# syntax=docker/dockerfile:1
#
# The images of the three ETRMS services, from one multi-stage build: a Maven stage compiles the
# project once, then each service gets a JRE 17 runtime image that runs as a non-root user.
#
#   docker build --target streams-app -t etrms/streams-app:0.1.0 .
#   docker build --target ws-gateway  -t etrms/ws-gateway:0.1.0 .
#   docker build --target ingest      -t etrms/ingest:0.1.0 .
#
# docker-compose.yml builds all three. Every service is configured by environment variables
# (KAFKA_* -> Kafka client settings, ETRMS_* -> ETRMS settings), by flags after the image name,
# or by a properties file passed with --config; see docs/configuration.md.

ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.16_8-jre

# ---------------------------------------------------------------------------------------------
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# Jars of each service and its runtime dependencies end up in <module>/target/dependency/.
# The cache mount keeps the local Maven repository between builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl streams-app,ws-gateway,ingest -am -DskipTests \
        package dependency:copy-dependencies -DincludeScope=runtime \
 && for m in streams-app ws-gateway ingest; do \
        mkdir -p /out/$m && cp $m/target/dependency/*.jar $m/target/$m-*.jar /out/$m/; \
    done

# ---------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS runtime
# A fixed non-root user; /var/lib/etrms is the one writable place (Kafka Streams state).
RUN groupadd --system --gid 10001 etrms \
 && useradd --system --uid 10001 --gid etrms --home-dir /app --no-create-home --shell /usr/sbin/nologin etrms \
 && mkdir -p /app/lib /var/lib/etrms \
 && chown etrms:etrms /var/lib/etrms
WORKDIR /app
# Heap from the container's memory limit; a JVM that runs out of memory exits (and is restarted)
# instead of limping on.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001

# ---------------------------------------------------------------------------------------------
FROM runtime AS streams-app
COPY --from=build /out/streams-app/ /app/lib/
ENV ETRMS_STREAMS_STATE_DIR=/var/lib/etrms/streams
VOLUME ["/var/lib/etrms"]
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.etrms.streams.StreamsMain"]

# ---------------------------------------------------------------------------------------------
FROM runtime AS ingest
COPY --from=build /out/ingest/ /app/lib/
EXPOSE 8001
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.etrms.ingest.IngestCli"]
CMD ["simulate"]

# ---------------------------------------------------------------------------------------------
# Last, so that a plain "docker build ." gives the gateway.
FROM runtime AS ws-gateway
COPY --from=build /out/ws-gateway/ /app/lib/
EXPOSE 8000
# Ready = caught up with the compacted topics; bash's /dev/tcp, as the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ETRMS_HTTP_PORT:-8000} && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.etrms.gateway.GatewayMain"]
