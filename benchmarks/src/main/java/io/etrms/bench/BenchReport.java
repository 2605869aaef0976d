package io.etrms.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The result of one benchmark run: its parameters, the machine before and after, a table of rows
 * (every figure next to the baseline measured in the same run, and their ratio) and notes on what
 * limits the figures. Printed as a text table and written as JSON.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final String benchmark;
    private final String title;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private MachineSnapshot before;
    private MachineSnapshot after;

    public BenchReport(String benchmark, String title) {
        this.benchmark = benchmark;
        this.title = title;
    }

    public String benchmark() {
        return benchmark;
    }

    public BenchReport parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** Adds a row; keys become columns in the order first seen. */
    public BenchReport row(Map<String, Object> row) {
        rows.add(new LinkedHashMap<>(row));
        return this;
    }

    public BenchReport note(String note) {
        notes.add(note);
        return this;
    }

    /** A headline figure (also printed under the table). */
    public BenchReport summary(String name, Object value) {
        summary.put(name, value);
        return this;
    }

    public void machineBefore(MachineSnapshot snapshot) {
        this.before = snapshot;
    }

    public void machineAfter(MachineSnapshot snapshot) {
        this.after = snapshot;
    }

    public List<Map<String, Object>> rows() {
        return rows;
    }

    public Map<String, Object> summary() {
        return summary;
    }

    public List<String> notes() {
        return notes;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchmark);
        m.put("title", title);
        m.put("parameters", parameters);
        m.put("summary", summary);
        m.put("rows", rows);
        m.put("notes", notes);
        m.put("machine_before", before == null ? null : before.asMap());
        m.put("machine_after", after == null ? null : after.asMap());
        return m;
    }

    public void writeJson(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), asMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Prints the title, parameters, the table, the summary, the notes and the machine load. */
    public void print(PrintStream out) {
        out.println();
        out.println("== " + title + " ==");
        parameters.forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println();
        printTable(out);
        if (!summary.isEmpty()) {
            out.println();
            summary.forEach((k, v) -> out.println("  " + k + ": " + format(v)));
        }
        for (String note : notes) {
            out.println("  note: " + note);
        }
        if (before != null) {
            out.println("  load average before: " + before.loadAverage() + (after == null ? "" : ", after: " + after.loadAverage()));
            out.println("  busiest other processes at start:");
            before.busiestProcesses().forEach(p -> out.println("    " + p));
        }
        out.println();
    }

    private void printTable(PrintStream out) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        List<String> cols = new ArrayList<>(columns);
        int[] widths = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            widths[i] = cols.get(i).length();
            for (Map<String, Object> r : rows) {
                widths[i] = Math.max(widths[i], format(r.get(cols.get(i))).length());
            }
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            header.append(String.format("%-" + widths[i] + "s  ", cols.get(i)));
            rule.append("-".repeat(widths[i])).append("  ");
        }
        out.println(header.toString().stripTrailing());
        out.println(rule.toString().stripTrailing());
        for (Map<String, Object> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                Object v = r.get(cols.get(i));
                String text = format(v);
                line.append(v instanceof Number ? String.format("%" + widths[i] + "s  ", text) : String.format("%-" + widths[i] + "s  ", text));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Numbers with at most 3 significant decimals, no exponent; everything else as text. */
    static String format(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "-";
            }
            double abs = Math.abs(d);
            if (abs >= 1000) {
                return String.format(Locale.ROOT, "%,.0f", d);
            }
            if (abs >= 10) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return String.format(Locale.ROOT, "%.3f", d);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        }
        return String.valueOf(v);
    }

    /** Rounds for the JSON report: 3 decimals are plenty for any rate or latency here. */
    public static double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return Math.round(value * 1000.0) / 1000.0;
    }

    /** value / baseline, NaN when the baseline is not positive. */
    public static double ratio(double value, double baseline) {
        return baseline > 0 ? round(value / baseline) : Double.NaN;
    }
}
