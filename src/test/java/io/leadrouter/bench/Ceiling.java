package io.leadrouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database's own limit on this machine, by pgbench against the service's PostgreSQL: a durable single-row
 * insert into a table shaped like the queue (same partial index), and a {@code FOR UPDATE SKIP LOCKED} claim of the
 * best queued row, as a pull does. The tables live in a schema of their own, dropped afterwards.
 */
final class Ceiling {

    /** One pgbench script's result: transactions per second and their average latency. */
    record Result(String name, String sql, int clients, double tps, double latencyMs) {
    }

    /** pgbench connections: enough to keep 2 cores and the WAL writer busy, as the service's pool does. */
    private static final int CLIENTS = 16;
    /** Queued rows before the claim starts: the pull target's 100k, plus what the claim will take. */
    private static final int QUEUED_BEFORE_CLAIM = 100_000;

    static final String INSERT = "INSERT INTO bench_ceiling.lead (team, company, value) VALUES ('ceiling', 'Ceiling ' || :client_id, 1000);";
    static final String CLAIM = """
            UPDATE bench_ceiling.lead SET status = 'ASSIGNED' WHERE id = (SELECT id FROM bench_ceiling.lead \
            WHERE team = 'ceiling' AND status = 'QUEUED' ORDER BY priority DESC, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED);""";

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    private final BenchDatabase database;
    private final String pgbench;
    private final Duration each;

    private Ceiling(BenchDatabase database, String pgbench, Duration each) {
        this.database = database;
        this.pgbench = pgbench;
        this.each = each;
    }

    /** The ceiling, or empty (with why on stderr) when there is no pgbench or no database to run it against. */
    static List<Result> measure(BenchDatabase database, String pgbench, Duration each) throws Exception {
        if (database == null || each.isZero()) {
            return List.of();
        }
        Optional<String> executable = Optional.ofNullable(pgbench).or(Ceiling::findPgbench);
        if (executable.isEmpty()) {
            System.err.println("no ceiling: pgbench not found (give --pgbench /path/to/pgbench)");
            return List.of();
        }
        return new Ceiling(database, executable.get(), each).run();
    }

    private List<Result> run() throws Exception {
        database.execute("""
                DROP SCHEMA IF EXISTS bench_ceiling CASCADE;
                CREATE SCHEMA bench_ceiling;
                CREATE TABLE bench_ceiling.lead (
                    id bigserial PRIMARY KEY, team text NOT NULL, company text, value numeric(18, 2),
                    status text NOT NULL DEFAULT 'QUEUED', priority integer NOT NULL DEFAULT 0,
                    created_at timestamptz NOT NULL DEFAULT now());
                CREATE INDEX ON bench_ceiling.lead (team, priority DESC, created_at, id) WHERE status = 'QUEUED';
                """);
        try {
            List<Result> results = new ArrayList<>();
            results.add(pgbench("durable single-row insert", INSERT));
            // every claim run starts from the same deep queue: 100k, plus more than the fastest claim rate seen takes
            database.execute("""
                    TRUNCATE bench_ceiling.lead;
                    INSERT INTO bench_ceiling.lead (team, company, value, created_at)
                    SELECT 'ceiling', 'Queued ' || g, 1000, now() - g * interval '1 ms' FROM generate_series(1, %d) g
                    """.formatted(QUEUED_BEFORE_CLAIM + 20_000 * (int) each.toSeconds()));
            database.execute("VACUUM ANALYZE bench_ceiling.lead");
            results.add(pgbench("SKIP LOCKED claim, 100k queued", CLAIM));
            return results;
        } finally {
            database.execute("DROP SCHEMA IF EXISTS bench_ceiling CASCADE");
        }
    }

    private Result pgbench(String name, String sql) throws IOException, InterruptedException {
        Path script = Files.createTempFile("ceiling", ".sql");
        Files.writeString(script, sql + "\n");
        Map<String, String> libpq = database.libpq();
        ProcessBuilder builder = new ProcessBuilder(pgbench, "-n", "-M", "prepared", "-c", Integer.toString(CLIENTS), "-j", "2",
                "-T", Long.toString(Math.max(1, each.toSeconds())), "-f", script.toString(), "-h", libpq.get("host"),
                "-p", libpq.get("port"), "-U", libpq.getOrDefault("user", "postgres"), libpq.get("database"))
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", libpq.getOrDefault("password", ""));
        System.err.printf("ceiling: pgbench %s for %s%n", name, each);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(each.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Files.deleteIfExists(script);
        return new Result(name, sql, CLIENTS, number(TPS, output), number(LATENCY, output));
    }

    private static double number(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("pgbench printed no " + pattern + ":\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /** pgbench on the PATH, else the newest under Debian's {@code /usr/lib/postgresql/<version>/bin}. */
    private static Optional<String> findPgbench() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "pgbench"))) {
                return Optional.of(Path.of(dir, "pgbench").toString());
            }
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin/pgbench")).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(path -> Integer.parseInt(path.getParent().getParent().getFileName().toString())))
                    .map(Path::toString);
        } catch (IOException | NumberFormatException none) {
            return Optional.empty();
        }
    }
}
