package io.etrms.streams.health;

import io.etrms.model.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * The states of the service's Kafka Streams stages at one moment ({@code instrument},
 * {@code account}), and what they mean for an orchestrator:
 * <ul>
 *   <li><b>up</b> (health 200) when every stage is {@code RUNNING} or {@code REBALANCING}: a
 *       rebalance is normal work (an instance joining or leaving), not a fault;</li>
 *   <li><b>failed</b> (the process must exit) when a stage is in {@code ERROR} or on its way there
 *       ({@code PENDING_ERROR}), or is stopping or stopped ({@code PENDING_SHUTDOWN},
 *       {@code NOT_RUNNING}) although this process did not begin to shut down. Such a stage never
 *       processes again by itself; a restart (with its state directory) resumes where it stopped.</li>
 * </ul>
 * {@code CREATED} (before start) is neither up nor failed.
 */
public record StageStates(Map<String, State> stages) {

    private static final Set<State> UP = Set.of(State.RUNNING, State.REBALANCING);
    private static final Set<State> STOPPING = Set.of(State.PENDING_SHUTDOWN, State.NOT_RUNNING);
    private static final Set<State> BROKEN = Set.of(State.PENDING_ERROR, State.ERROR);

    /** @param stages stage name → state, in the order to report them */
    public StageStates {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("no stages");
        }
        stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    /** Every stage is RUNNING or REBALANCING. */
    public boolean up() {
        return stages.values().stream().allMatch(UP::contains);
    }

    /** 200 when {@link #up()}, else 503. */
    public int httpStatus() {
        return up() ? 200 : 503;
    }

    /** {@code {"status":"UP"|"DOWN","stages":{"instrument":"RUNNING",...}}}. */
    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up() ? "UP" : "DOWN");
        Map<String, String> states = new LinkedHashMap<>();
        stages.forEach((name, state) -> states.put(name, state.name()));
        body.put("stages", states);
        return Json.write(body);
    }

    /**
     * Why the process must exit, or empty while it may go on.
     *
     * @param shutdownBegun whether this process has begun to close the stages itself (then a
     *                      stopping stage is expected; a broken one still is not)
     */
    public Optional<String> failure(boolean shutdownBegun) {
        for (Map.Entry<String, State> stage : stages.entrySet()) {
            State state = stage.getValue();
            if (BROKEN.contains(state) || (!shutdownBegun && STOPPING.contains(state))) {
                return Optional.of("Kafka Streams stage " + stage.getKey() + " is " + state + " (stages: " + describe() + ")");
            }
        }
        return Optional.empty();
    }

    /** {@code instrument=RUNNING, account=ERROR}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        stages.forEach((name, state) -> sb.append(sb.isEmpty() ? "" : ", ").append(name).append('=').append(state));
        return sb.toString();
    }
}
