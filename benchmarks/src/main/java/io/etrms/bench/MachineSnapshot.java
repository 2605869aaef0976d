package io.etrms.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine looked like when a benchmark ran: cores, memory, load average and the busiest
 * other processes. The machine is shared, so every report says what else was running; a figure
 * taken next to a parallel Maven build is not the same figure as one taken on a quiet box.
 */
public record MachineSnapshot(
        String takenAt,
        int cores,
        long memoryTotalMb,
        String cpuModel,
        String javaVersion,
        String loadAverage,
        List<String> busiestProcesses) {

    /** Takes a snapshot now; {@code busiestProcesses} lists the top 6 by CPU, this JVM excluded. */
    public static MachineSnapshot take() {
        return new MachineSnapshot(
                Instant.now().toString(),
                Runtime.getRuntime().availableProcessors(),
                memTotalMb(),
                readCpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                readFirstLine(Path.of("/proc/loadavg")),
                busiestProcesses(6));
    }

    /** A compact map for the JSON report. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taken_at", takenAt);
        m.put("cores", cores);
        m.put("memory_total_mb", memoryTotalMb);
        m.put("cpu_model", cpuModel);
        m.put("java", javaVersion);
        m.put("load_average", loadAverage);
        m.put("busiest_processes", busiestProcesses);
        return m;
    }

    private static long memTotalMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave unknown
        }
        return -1;
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String readFirstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : lines.get(0).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The processes that used the most CPU over the last second (two samples of
     * {@code /proc/PID/stat}), as "%CPU, RSS, command", this JVM excluded.
     */
    static List<String> busiestProcesses(int limit) {
        long self = ProcessHandle.current().pid();
        Map<Long, Long> before = cpuTicks();
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        Map<Long, Long> after = cpuTicks();
        List<Map.Entry<Long, Long>> deltas = new ArrayList<>();
        after.forEach((pid, ticks) -> {
            Long earlier = before.get(pid);
            if (earlier != null && pid != self && ticks > earlier) {
                deltas.add(Map.entry(pid, ticks - earlier));
            }
        });
        deltas.sort(Map.Entry.<Long, Long>comparingByValue().reversed());
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : deltas.subList(0, Math.min(limit, deltas.size()))) {
            long pid = e.getKey();
            // USER_HZ is 100 on Linux: ticks per second = percent of one core.
            out.add(String.format("%d%% cpu, %d MB, %s", e.getValue(), Math.max(0, ProcessMemory.rssKb(pid)) / 1024, commandLine(pid)));
        }
        if (out.isEmpty()) {
            out.add("no other process used CPU");
        }
        return out;
    }

    /** utime + stime of every process, in clock ticks. */
    private static Map<Long, Long> cpuTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(Long.parseLong(proc.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException e) {
                    // the process ended between listing and reading
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return ticks;
    }

    private static String commandLine(long pid) {
        try {
            String cmd = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
            return abbreviate(cmd.isEmpty() ? Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim() : cmd);
        } catch (IOException e) {
            return "?";
        }
    }

    private static String abbreviate(String args) {
        // A Java command line is mostly classpath: keep its main class and the tail.
        String s = args.replaceAll("-(cp|classpath) \\S+", "-cp …").replaceAll("-D\\S+ ", "");
        return s.length() <= 140 ? s : s.substring(0, 137) + "…";
    }

    /**
     * Seconds the JIT compilers of this JVM have spent so far. Everything a benchmark measures runs
     * in its JVM or a child, and on 2 cores a fresh JVM's compilers take about one core for the
     * first minutes under load: a figure measured meanwhile is partly a measure of the JIT.
     */
    static double jitSeconds() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1000.0;
    }
}
