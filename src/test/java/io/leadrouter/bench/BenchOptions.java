package io.leadrouter.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The harness's command line: {@code --name value} pairs, plus the {@code --pull} switch. */
record BenchOptions(URI url, String key, int reps, double rate, Duration duration, Duration think, Duration work,
        double decline, double ignore, boolean pull, int maxInFlight, Duration drain, Path out) {

    static final String USAGE = """
            LoadHarness --url http://localhost:8080 --key dev-key [--reps 50] [--rate 200] [--duration 30s]
                        [--think 50ms] [--work 200ms] [--decline 0.05] [--ignore 0.0] [--pull]
                        [--max-in-flight 256] [--drain 10s] [--out target/bench/report.json]""";

    static BenchOptions parse(String[] args) {
        URI url = URI.create("http://localhost:8080");
        String key = "dev-key";
        int reps = 50;
        double rate = 200;
        Duration duration = Duration.ofSeconds(30);
        Duration think = Duration.ofMillis(50);
        Duration work = Duration.ofMillis(200);
        double decline = 0.05;
        double ignore = 0.0;
        boolean pull = false;
        int maxInFlight = 256;
        Duration drain = Duration.ofSeconds(10);
        Path out = Path.of("target/bench/report.json");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--pull")) {
                pull = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--url" -> url = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                case "--key" -> key = value;
                case "--reps" -> reps = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--duration" -> duration = duration(value);
                case "--think" -> think = duration(value);
                case "--work" -> work = duration(value);
                case "--decline" -> decline = Double.parseDouble(value);
                case "--ignore" -> ignore = Double.parseDouble(value);
                case "--max-in-flight" -> maxInFlight = Integer.parseInt(value);
                case "--drain" -> drain = duration(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (reps < 1 || rate <= 0 || maxInFlight < 1 || decline < 0 || ignore < 0 || decline + ignore > 1) {
            throw new IllegalArgumentException("needs reps >= 1, rate > 0, max-in-flight >= 1, decline + ignore within 0..1\n" + USAGE);
        }
        return new BenchOptions(url, key, reps, rate, duration, think, work, decline, ignore, pull, maxInFlight, drain, out);
    }

    /** {@code 250ms}, {@code 30s}, {@code 2m}. */
    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("a duration is a number with ms, s or m: " + text);
        };
    }
}
