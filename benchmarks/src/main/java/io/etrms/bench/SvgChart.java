package io.etrms.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A grouped bar chart written as a self-contained SVG file: one group of bars per category, one
 * bar colour per series (ETRMS next to its baseline), the value printed on every bar. Linear or
 * logarithmic axis. No plotting tool or download is needed to rerun a benchmark.
 */
public final class SvgChart {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 460;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 110;

    private final String title;
    private final String axisLabel;
    private final List<String> categories = new ArrayList<>();
    private final Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    private boolean logarithmic;

    public SvgChart(String title, String axisLabel) {
        this.title = title;
        this.axisLabel = axisLabel;
    }

    public SvgChart logarithmic() {
        this.logarithmic = true;
        return this;
    }

    /** Sets one bar; categories and series appear in the order first set. NaN or null leaves a gap. */
    public SvgChart bar(String category, String seriesName, Double value) {
        if (!categories.contains(category)) {
            categories.add(category);
        }
        series.computeIfAbsent(seriesName, s -> new LinkedHashMap<>()).put(category, value);
        return this;
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public String render() {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (Map<String, Double> values : series.values()) {
            for (Double v : values.values()) {
                if (usable(v)) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (max <= 0) {
            max = 1;
        }
        Axis axis = logarithmic && min > 0 && min < Double.MAX_VALUE ? Axis.log(min, max) : Axis.linear(max);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(WIDTH / 2.0, 24, escape(title), 16, "middle", "bold"));
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int plotWidth = WIDTH - LEFT - RIGHT;
        for (double tick : axis.ticks()) {
            double y = TOP + plotHeight - axis.scale(tick) * plotHeight;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, WIDTH - RIGHT, y));
            svg.append(text(LEFT - 6, y + 4, number(tick), 11, "end", "normal"));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>%n",
                TOP + plotHeight / 2, TOP + plotHeight / 2, escape(axisLabel + (axis.log ? " (log scale)" : ""))));

        int groups = Math.max(1, categories.size());
        double groupWidth = (double) plotWidth / groups;
        int bars = Math.max(1, series.size());
        double barWidth = Math.min(60, groupWidth * 0.8 / bars);
        int s = 0;
        for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
            String colour = COLOURS[s % COLOURS.length];
            for (int c = 0; c < categories.size(); c++) {
                Double v = e.getValue().get(categories.get(c));
                if (!usable(v)) {
                    continue;
                }
                double h = Math.max(1, axis.scale(v) * plotHeight);
                double x = LEFT + c * groupWidth + (groupWidth - bars * barWidth) / 2 + s * barWidth;
                double y = TOP + plotHeight - h;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        x, y, barWidth - 2, h, colour, escape(e.getKey()), escape(categories.get(c)), number(v)));
                svg.append(text(x + (barWidth - 2) / 2, y - 3, number(v), 10, "middle", "normal"));
            }
            double lx = LEFT + s * 190;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", lx, HEIGHT - 24, colour));
            svg.append(text(lx + 16, HEIGHT - 14, escape(e.getKey()), 12, "start", "normal"));
            s++;
        }
        for (int c = 0; c < categories.size(); c++) {
            double x = LEFT + c * groupWidth + groupWidth / 2;
            double y = TOP + plotHeight + 14;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-25 %.1f %.1f)\">%s</text>%n",
                    x, y, x, y, escape(categories.get(c))));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP + plotHeight, WIDTH - RIGHT, TOP + plotHeight));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static boolean usable(Double v) {
        return v != null && !v.isNaN() && !v.isInfinite() && v >= 0;
    }

    private static String text(double x, double y, String content, int size, String anchor, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\" font-weight=\"%s\">%s</text>%n",
                x, y, size, anchor, weight, content);
    }

    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Maps a value to 0..1 of the plot height. */
    private record Axis(boolean log, double low, double high) {
        static Axis linear(double max) {
            double step = Math.pow(10, Math.floor(Math.log10(max)));
            double top = Math.ceil(max / step) * step;
            return new Axis(false, 0, top * 1.08);
        }

        static Axis log(double min, double max) {
            return new Axis(true, Math.floor(Math.log10(min)), Math.ceil(Math.log10(max)) + 0.15);
        }

        double scale(double v) {
            if (log) {
                return (Math.log10(Math.max(v, Math.pow(10, low))) - low) / (high - low);
            }
            return v / high;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double e = low; e <= high; e++) {
                    ticks.add(Math.pow(10, e));
                }
            } else {
                double step = Math.pow(10, Math.floor(Math.log10(high)));
                if (high / step < 3) {
                    step /= 2;
                }
                for (double t = 0; t <= high; t += step) {
                    ticks.add(t);
                }
            }
            return ticks;
        }
    }
}
