package io.etrms.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSONL or CSV file of input records line by line, giving each line's number, text and
 * parse {@link InputRecordParser.Result}. The format comes from the extension ({@code .jsonl},
 * {@code .ndjson}, {@code .json} or {@code .csv}, optionally {@code .gz}); the record type from
 * the caller, a {@code type} field or column, or the file name ({@code fills}, {@code prices},
 * {@code transfers}).
 *
 * <p>JSONL: one JSON object per line; blank lines are skipped. CSV: a header line naming the
 * columns (the JSON field names, any order), then one record per line; fields may be quoted with
 * {@code "} (a quote inside doubled); an empty cell is a missing field; blank lines and lines
 * starting with {@code #} are skipped. A quoted field cannot span lines.
 */
public final class RecordFileReader implements AutoCloseable {

    /** File formats by extension. */
    public enum Format { JSONL, CSV }

    /**
     * One line of the file.
     *
     * @param number 1-based line number in the file
     * @param text   the line as read, without the line break
     * @param result the parsed record or the reason it was rejected
     */
    public record Line(long number, String text, InputRecordParser.Result result) {
    }

    private final Path file;
    private final Format format;
    private final InputKind kind;
    private final CountingInputStream counting;
    private final BufferedReader reader;
    private final long size;
    private List<String> header;
    private long lineNumber;

    public RecordFileReader(Path file, InputKind forcedKind) throws IOException {
        this.file = file;
        this.format = formatOf(file);
        this.kind = forcedKind != null ? forcedKind : kindFromName(file);
        this.size = Files.size(file);
        this.counting = new CountingInputStream(Files.newInputStream(file));
        InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                ? new GZIPInputStream(counting, 65536) : counting;
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 65536);
    }

    public static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Format.JSONL;
        }
        throw new IllegalArgumentException("cannot tell the format of " + file + ": use .jsonl, .ndjson, .json or .csv (optionally .gz)");
    }

    /** {@code fills.csv}, {@code 2025-11-24-prices.jsonl}: the type the name mentions, or null. */
    public static InputKind kindFromName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        InputKind found = null;
        for (InputKind kind : InputKind.values()) {
            String singular = kind.label().substring(0, kind.label().length() - 1);
            if (name.contains(singular)) {
                if (found != null) {
                    return null; // ambiguous: the records must say
                }
                found = kind;
            }
        }
        return found;
    }

    public Path file() {
        return file;
    }

    public Format format() {
        return format;
    }

    /** Bytes of the file read so far (compressed bytes for .gz), for progress. */
    public long bytesRead() {
        return counting.count;
    }

    public long size() {
        return size;
    }

    /** The next line with content, or null at the end of the file. */
    public Line next() throws IOException {
        while (true) {
            String text = reader.readLine();
            if (text == null) {
                return null;
            }
            lineNumber++;
            if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1); // byte-order mark
            }
            if (text.isBlank()) {
                continue;
            }
            if (format == Format.JSONL) {
                return new Line(lineNumber, text, InputRecordParser.parseJson(text, kind));
            }
            if (text.startsWith("#")) {
                continue;
            }
            if (header == null) {
                header = parseHeader(text);
                continue;
            }
            return new Line(lineNumber, text, csvRecord(text));
        }
    }

    private List<String> parseHeader(String text) throws IOException {
        List<String> names = new ArrayList<>();
        for (String cell : splitCsv(text)) {
            names.add(cell.trim().toLowerCase(Locale.ROOT));
        }
        if (names.stream().anyMatch(String::isEmpty)) {
            throw new IOException(file + " line " + lineNumber + ": the CSV header has an empty column name");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IOException(file + " line " + lineNumber + ": the CSV header repeats a column: " + names);
        }
        return names;
    }

    private InputRecordParser.Result csvRecord(String text) {
        List<String> cells;
        try {
            cells = splitCsv(text);
        } catch (IllegalArgumentException e) {
            return InputRecordParser.Result.invalid("invalid CSV: " + e.getMessage(), null);
        }
        if (cells.size() != header.size()) {
            return InputRecordParser.Result.invalid("expected " + header.size() + " CSV fields (" + String.join(",", header)
                    + "), got " + cells.size(), null);
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i).trim();
            if (!cell.isEmpty()) {
                object.put(header.get(i), cell);
            }
        }
        return InputRecordParser.parse(object, kind);
    }

    /** Splits one CSV line (RFC 4180 quoting, no line breaks inside quotes). */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && cell.toString().isBlank() && !wasQuoted) {
                cell.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted && !Character.isWhitespace(c)) {
                throw new IllegalArgumentException("text after a closing quote at column " + (i + 1));
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        cells.add(cell.toString());
        return cells;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Counts the bytes taken from the file. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
