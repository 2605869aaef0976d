package io.etrms.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The configuration of one service, built in one place, each layer over the one before:
 * <ol>
 *   <li>the service's defaults;</li>
 *   <li>an optional properties file;</li>
 *   <li>environment variables: {@code KAFKA_BOOTSTRAP_SERVERS} → {@code bootstrap.servers}
 *       (any {@code KAFKA_*}), {@code ETRMS_TOPIC_PREFIX} → {@code etrms.topic.prefix} (any
 *       {@code ETRMS_*});</li>
 *   <li>command-line flags.</li>
 * </ol>
 * Keys under {@code etrms.} are ours; every other key is handed to the Kafka clients, so
 * security settings (SASL, TLS) pass straight through.
 */
public final class EtrmsConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "etrms.topic.prefix";
    public static final String TOPIC_PARTITIONS = "etrms.topic.partitions";
    public static final String TOPIC_REPLICATION = "etrms.topic.replication.factor";
    /** {@code min.insync.replicas} of the topics ETRMS creates; empty: the broker's default. */
    public static final String TOPIC_MIN_INSYNC_REPLICAS = "etrms.topic.min.insync.replicas";

    private final Map<String, String> values;

    private EtrmsConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Defaults every service shares. */
    public static Map<String, String> commonDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(BOOTSTRAP_SERVERS, "localhost:9092");
        defaults.put(TOPIC_PREFIX, Topics.DEFAULT_PREFIX);
        defaults.put(TOPIC_PARTITIONS, Integer.toString(Topics.DEFAULT_PARTITIONS));
        defaults.put(TOPIC_REPLICATION, "1");
        defaults.put(TOPIC_MIN_INSYNC_REPLICAS, "");
        return defaults;
    }

    public static EtrmsConfig load(Map<String, String> defaults, Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> merged = new LinkedHashMap<>(commonDefaults());
        merged.putAll(defaults);
        if (file != null) {
            merged.putAll(readFile(file));
        }
        merged.putAll(fromEnvironment(env));
        flags.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new EtrmsConfig(merged);
    }

    public static EtrmsConfig of(Map<String, String> values) {
        Map<String, String> merged = new LinkedHashMap<>(commonDefaults());
        merged.putAll(values);
        return new EtrmsConfig(merged);
    }

    /** {@code KAFKA_SASL_MECHANISM=PLAIN} → {@code sasl.mechanism=PLAIN}; {@code ETRMS_HTTP_PORT} → {@code etrms.http.port}. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && name.length() > 6) {
                out.put(dotted(name.substring(6)), value);
            } else if (name.startsWith("ETRMS_") && name.length() > 6) {
                out.put("etrms." + dotted(name.substring(6)), value);
            }
        });
        return out;
    }

    private static String dotted(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
        return out;
    }

    /** This configuration with {@code defaults} filled in for every key it does not set. */
    public EtrmsConfig withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(values);
        return new EtrmsConfig(merged);
    }

    public EtrmsConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new EtrmsConfig(copy);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing configuration " + key);
        }
        return value;
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int getInt(String key) {
        return parse(key, Integer::parseInt);
    }

    public long getLong(String key) {
        return parse(key, Long::parseLong);
    }

    public double getDouble(String key) {
        return parse(key, Double::parseDouble);
    }

    public boolean getBoolean(String key) {
        String value = get(key).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("configuration " + key + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private <T> T parse(String key, java.util.function.Function<String, T> parser) {
        String value = get(key).trim();
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration " + key + " must be a number, was '" + value + "'", e);
        }
    }

    /** Every setting not under {@code etrms.}: the Kafka client configuration. */
    public Map<String, Object> kafka() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!k.startsWith("etrms.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    public Topics topics() {
        String minInsync = values.getOrDefault(TOPIC_MIN_INSYNC_REPLICAS, "").trim();
        return new Topics(get(TOPIC_PREFIX), getInt(TOPIC_PARTITIONS),
                minInsync.isEmpty() ? Map.of() : Map.of("min.insync.replicas", Integer.toString(Integer.parseInt(minInsync))));
    }

    public short replicationFactor() {
        return (short) getInt(TOPIC_REPLICATION);
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=')
                .append(k.contains("password") || k.contains("secret") || k.contains("jaas") ? "***" : v).append('\n'));
        return sb.toString();
    }
}
