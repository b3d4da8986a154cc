package io.leadrouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The hardware line of a report: the machine the harness runs on and the PostgreSQL it measures. */
final class Machine {

    /** Settings that decide what a commit costs and how much PostgreSQL keeps in memory. */
    private static final List<String> SETTINGS = List.of("shared_buffers", "synchronous_commit", "fsync", "wal_sync_method",
            "full_page_writes", "wal_buffers", "max_wal_size", "checkpoint_timeout", "work_mem", "max_connections");

    private Machine() {
    }

    static Map<String, Object> describe(BenchDatabase database) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryMiB", firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> Long.parseLong(kb.replace("kB", "").strip()) / 1024).orElse(-1L));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", Runtime.version().toString());
        if (database != null) {
            machine.put("postgresql", database.rows("SHOW server_version").get(0).values().iterator().next());
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map<String, Object> row : database.rows(
                    "SELECT name, setting, unit FROM pg_settings WHERE name = ANY (?) ORDER BY name", (Object) SETTINGS.toArray(String[]::new))) {
                settings.put((String) row.get("name"), row.get("setting") + (row.get("unit") == null ? "" : " " + row.get("unit")));
            }
            machine.put("postgresqlSettings", settings);
        }
        return machine;
    }

    static String line(Map<String, Object> machine) {
        String line = String.format("%s, %s cores, %s MiB memory, %s, Java %s", machine.get("cpu"), machine.get("cores"),
                machine.get("memoryMiB"), machine.get("os"), machine.get("java"));
        if (machine.containsKey("postgresql")) {
            line += String.format("; PostgreSQL %s on the same machine (%s)", machine.get("postgresql"), machine.get("postgresqlSettings"));
        }
        return line;
    }

    private static Optional<String> firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(key)).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip());
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }
}
