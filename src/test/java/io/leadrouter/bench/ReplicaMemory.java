package io.leadrouter.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.leadrouter.replica.ReplicaCluster;

/** A replica's memory under load: heap in use right after a full GC (what the reps' state really holds) and RSS. */
final class ReplicaMemory {

    private ReplicaMemory() {
    }

    static Map<String, Object> measure(ReplicaCluster cluster, String replica, HttpClient http) throws Exception {
        long pid = cluster.pid(replica);
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        String metrics = http.send(HttpRequest.newBuilder(cluster.managementUrl(replica).resolve("/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long heap = 0;
        long heapMax = 0;
        for (String line : metrics.split("\n")) {
            if (line.contains("area=\"heap\"") && line.startsWith("jvm_memory_used_bytes{")) {
                heap += value(line);
            } else if (line.contains("area=\"heap\"") && line.startsWith("jvm_memory_max_bytes{") && value(line) > 0) {
                heapMax += value(line);
            }
        }
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("replica", replica);
        memory.put("heapAfterGcMiB", heap / (1024.0 * 1024));
        memory.put("heapMaxMiB", heapMax / (1024.0 * 1024));
        memory.put("rssMiB", rssKb(pid) / 1024.0);
        System.err.printf("replica %s after a full GC: heap %.0f MiB of %.0f, RSS %.0f MiB%n", replica, memory.get("heapAfterGcMiB"),
                memory.get("heapMaxMiB"), memory.get("rssMiB"));
        return memory;
    }

    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    }
}
