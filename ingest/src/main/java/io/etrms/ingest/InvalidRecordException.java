package io.etrms.ingest;

import java.util.List;

/** An input record that breaks the input rules (docs/design-decisions.md, "Inputs"); carries every problem. */
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
