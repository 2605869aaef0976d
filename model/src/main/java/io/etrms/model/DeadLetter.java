package io.etrms.model;

/**
 * A record that could not be used: topic {@code dead-letters}, key = the original key.
 * {@code payload} is the original value as UTF-8 text (invalid bytes replaced).
 */
public record DeadLetter(String sourceTopic, Integer partition, Long offset, String error, String payload, Long timestamp) {
}
