package io.leadrouter.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.leadrouter.policy.Policy;
import io.leadrouter.policy.PolicyCompiler;
import io.leadrouter.policy.PolicyDocument;
import io.leadrouter.policy.TeamPolicy;
import io.leadrouter.routing.ModeHysteresis;

/**
 * The what-if replay: {@code ./mvnw -q compile exec:java -Dexec.args="--data crm --policy
 * docs/examples/crm-policy.json --seed 42"}. Exit 0 on success, 2 on bad arguments, 1 when a
 * file cannot be read or a policy is invalid.
 */
public final class ReplayCommand {

    static final String USAGE = """
            Usage: ./mvnw -q compile exec:java -Dexec.args="--data crm|xeducation [options]"

            Replays a day of leads against a roster and a routing policy with simulated rep
            availability and acceptance, using the service's routing engine, and reports
            assignments per rep, fairness, value per tier, waiting times, held and escalated
            leads and constraint violations. Given two policies, prints them side by side.

              --data crm|xeducation  the data set (adapters for the files in data/)
              --data-dir DIR         where the data sets are (default data)
              --policy FILE          a policy document (JSON, as PUT /api/v1/routing/policy);
                                     give it twice, or add --compare FILE, to compare two
                                     (default: the built-in policy)
              --compare FILE         the second policy to compare with
              --shadow FILE          also compute every decision under this policy, without
                                     acting, and compare (agreement, fairness, value per
                                     tier, who would have got what), as a shadow policy
                                     published to the service does
              --seed N               seed of every simulated draw (default 42)
              --date YYYY-MM-DD      crm: replay the opportunities engaged on this date only
              --days N               crm: lay the N busiest engage dates onto one day (default 10)
              --leads N              xeducation: the first N leads of the file (default 500)
              --reps N               xeducation: size of the synthetic roster (default 20)
              --json FILE            also write the report(s) as JSON to FILE
              --help                 this text
            """;

    static final Path DEFAULT_DATA_DIR = Path.of("data");

    /** The service's built-in team settings (PolicyProducers with LeadRouterConfig's defaults), without the container. */
    static final TeamPolicy BUILT_IN = TeamPolicy.builtIn(Duration.ofSeconds(30), 5, new ModeHysteresis(3.0, 1.0));

    /** Read like the REST API reads a policy: unknown fields are errors, durations in ISO-8601. */
    static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    /** A problem with the command line: printed with the usage, exit 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    record Options(String data, Path dataDir, List<Path> policies, long seed, LocalDate date, int days, int leads, int reps,
            Path json, boolean help, Path shadow) {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("replay: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            return 0;
        }
        try {
            Scenario scenario = scenario(options);
            Policy shadow = options.shadow() == null ? null : policy(options.shadow());
            List<ReplayReport> reports = new ArrayList<>();
            if (options.policies().isEmpty()) {
                reports.add(shadowed(new Simulation(new PolicyCompiler(BUILT_IN).builtInPolicy(), "built-in", options.seed()),
                        shadow, options).run(scenario));
            }
            for (Path file : options.policies()) {
                reports.add(shadowed(new Simulation(policy(file), file.getFileName().toString(), options.seed()), shadow, options)
                        .run(scenario));
            }
            out.print(reports.size() == 1 ? ReportPrinter.print(reports.get(0))
                    : ReportPrinter.compare(reports.get(0), reports.get(1)));
            reports.stream().filter(r -> r.shadow() != null).forEach(r -> out.print("\n" + ReportPrinter.shadow(r)));
            if (options.json() != null) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(options.json().toFile(),
                        reports.size() == 1 ? reports.get(0) : reports);
                out.println("\nJSON report written to " + options.json());
            }
            return 0;
        } catch (InvalidPolicyException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("replay: cannot read " + e.getMessage());
            return 1;
        }
    }

    private static Simulation shadowed(Simulation simulation, Policy shadow, Options options) {
        return shadow == null ? simulation : simulation.withShadow(shadow, options.shadow().getFileName().toString());
    }

    static Scenario scenario(Options options) throws IOException {
        return switch (options.data()) {
            case "crm" -> CrmDataset.load(options.dataDir().resolve("crm-sales-opportunities"),
                    new CrmDataset.Selection(options.date(), options.days()), BehaviourModel.DEFAULT, options.seed());
            case "xeducation" -> XEducationDataset.load(options.dataDir().resolve("x-education-leads.csv"), options.leads(),
                    options.reps(), BehaviourModel.DEFAULT, options.seed());
            default -> throw new IllegalStateException("checked by parse: " + options.data());
        };
    }

    static final class InvalidPolicyException extends Exception {
        InvalidPolicyException(String message) {
            super(message);
        }
    }

    static Policy policy(Path file) throws IOException, InvalidPolicyException {
        PolicyDocument document;
        try {
            document = JSON.readValue(file.toFile(), PolicyDocument.class);
        } catch (JacksonException e) {
            throw new InvalidPolicyException(file + " is not a policy document: " + e.getOriginalMessage());
        }
        PolicyCompiler.Result result = new PolicyCompiler(BUILT_IN).compile(document, 1);
        if (result.policy() == null) {
            StringBuilder message = new StringBuilder(file + " is not a valid policy:");
            result.errors().forEach(error -> message.append("\n  ").append(error.field()).append(": ").append(error.reason()));
            throw new InvalidPolicyException(message.toString());
        }
        return result.policy();
    }

    static Options parse(String[] args) throws UsageException {
        String data = null;
        Path dataDir = DEFAULT_DATA_DIR;
        List<Path> policies = new ArrayList<>();
        long seed = 42;
        LocalDate date = null;
        int days = 10;
        int leads = 500;
        int reps = 20;
        Path json = null;
        Path shadow = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Options(null, dataDir, policies, seed, null, days, leads, reps, null, true, null);
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--data" -> {
                    if (!value.equals("crm") && !value.equals("xeducation")) {
                        throw new UsageException("--data must be crm or xeducation, not '" + value + "'");
                    }
                    data = value;
                }
                case "--data-dir" -> dataDir = Path.of(value);
                case "--policy", "--compare" -> policies.add(existing(value, arg));
                case "--seed" -> seed = number(arg, value, Long.MIN_VALUE);
                case "--date" -> date = date(value);
                case "--days" -> days = (int) number(arg, value, 1);
                case "--leads" -> leads = (int) number(arg, value, 1);
                case "--reps" -> reps = (int) number(arg, value, 2);
                case "--json" -> json = Path.of(value);
                case "--shadow" -> shadow = existing(value, arg);
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        if (data == null) {
            throw new UsageException("--data is required (crm or xeducation)");
        }
        if (policies.size() > 2) {
            throw new UsageException("at most two policies can be compared");
        }
        return new Options(data, dataDir, List.copyOf(policies), seed, date, days, leads, reps, json, false, shadow);
    }

    private static Path existing(String value, String option) throws UsageException {
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new UsageException(option + ": no readable file " + value);
        }
        return path;
    }

    private static long number(String option, String value, long min) throws UsageException {
        try {
            long n = Long.parseLong(value);
            if (n < min || n > Integer.MAX_VALUE && min > Long.MIN_VALUE) {
                throw new UsageException(option + " must be at least " + min + ", not " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, not '" + value + "'");
        }
    }

    private static LocalDate date(String value) throws UsageException {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--date must be YYYY-MM-DD, not '" + value + "'");
        }
    }
}
