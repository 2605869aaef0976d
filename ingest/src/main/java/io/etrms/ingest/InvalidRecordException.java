package io.etrms.ingest;

import java.util.List;

/** An input record that breaks the rules of DESIGN.md "Inputs"; carries every problem found. */
public final class InvalidRecordException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidRecordException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
