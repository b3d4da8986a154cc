package io.leadrouter.k8s;

import static io.leadrouter.k8s.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.leadrouter.LeadRouterConfig;
import io.smallrye.config.WithDefault;

/**
 * The Kubernetes manifests and the container images, checked against the service itself: its
 * configuration interface, its properties and its endpoints. Nothing is applied or built.
 */
class ManifestTest {

    /** Kinds the Kubernetes model types; every other kind must be one of {@link #GENERIC_KINDS}. */
    private static final Map<String, Class<? extends HasMetadata>> TYPED_KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    /** Custom resources and Kustomize files, by kind and apiVersion. */
    private static final Map<String, String> GENERIC_KINDS = Map.of(
            "ScaledObject", "keda.sh/v1alpha1",
            "NetworkPolicy", "networking.k8s.io/v1",
            "ServiceMonitor", "monitoring.coreos.com/v1",
            "Cluster", "postgresql.cnpg.io/v1",
            "Kustomization", "kustomize.config.k8s.io/v1beta1",
            "Component", "kustomize.config.k8s.io/v1alpha1");

    /** Quarkus keys the manifests may set, by environment name. */
    private static final Map<String, String> QUARKUS_KEYS = Map.of(
            "QUARKUS_DATASOURCE_REACTIVE_URL", "quarkus.datasource.reactive.url",
            "QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url",
            "QUARKUS_DATASOURCE_USERNAME", "quarkus.datasource.username",
            "QUARKUS_DATASOURCE_PASSWORD", "quarkus.datasource.password",
            "QUARKUS_SHUTDOWN_TIMEOUT", "quarkus.shutdown.timeout");

    /** Read by the JVM image's entrypoint, not by the service's configuration. */
    private static final String JAVA_OPTS = "JAVA_OPTS";

    private static final Set<String> SECRET_KEYS = Set.of("LEADROUTER_API_KEYS", "LEADROUTER_TOKEN_SECRET",
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "LEADROUTER_CRM_SALESFORCE_CLIENT_ID",
            "LEADROUTER_CRM_SALESFORCE_CLIENT_SECRET", "LEADROUTER_CRM_HUBSPOT_TOKEN");

    /** Settings for the embedded PostgreSQL, which never runs in a cluster. */
    private static final Set<String> EMBEDDED_ONLY = Set.of("LEADROUTER_EMBEDDED_DB_DIR", "LEADROUTER_EMBEDDED_DB_CLEAN",
            "LEADROUTER_EMBEDDED_DB_IN_PROD");

    // --- the files ------------------------------------------------------------------------------

    @Test
    void everyDocumentParsesAsItsKindWithNoUnknownField() {
        List<Manifests.Document> documents = Manifests.all();
        assertThat(documents).hasSizeGreaterThanOrEqualTo(10);
        for (Manifests.Document document : documents) {
            String kind = document.kind();
            assertThat(kind).as("kind of %s", document).isNotBlank();
            assertThat((String) document.content().get("apiVersion")).as("apiVersion of %s", document).isNotBlank();
            if (TYPED_KINDS.containsKey(kind)) {
                HasMetadata typed = document.as(TYPED_KINDS.get(kind));
                assertThat(typed.getMetadata().getName()).as("name of %s", document).isNotBlank();
                assertThat(unknownFields(typed)).as("fields the Kubernetes model does not know in %s", document).isEmpty();
            } else {
                assertThat(GENERIC_KINDS).as("a kind this test knows, in %s", document).containsKey(kind);
                assertThat(document.content().get("apiVersion")).as("apiVersion of %s", document)
                        .isEqualTo(GENERIC_KINDS.get(kind));
            }
        }
    }

    @Test
    void everyManifestBelongsToAKustomizationAndEveryReferenceExists() throws IOException {
        Set<Path> referenced = new HashSet<>();
        for (Manifests.Document document : Manifests.all()) {
            if (!Set.of("Kustomization", "Component").contains(document.kind())) {
                continue;
            }
            Path dir = document.file().getParent();
            List<String> entries = new ArrayList<>();
            entries.addAll(listAt(document.content(), "resources"));
            entries.addAll(listAt(document.content(), "components"));
            for (String entry : entries) {
                Path target = dir.resolve(entry).normalize();
                assertThat(target).as("%s in %s", entry, document.file()).exists();
                referenced.add(Files.isDirectory(target) ? target.resolve("kustomization.yaml") : target);
            }
        }
        Path secretTemplate = Manifests.ROOT.resolve("base/secret-template.yaml");
        for (Path file : Manifests.files()) {
            if (file.getFileName().toString().equals("kustomization.yaml") && file.getParent().startsWith(Manifests.ROOT.resolve("overlays"))) {
                continue; // the overlays are what one applies
            }
            if (file.equals(secretTemplate)) {
                assertThat(referenced).as("the Secret template must never be applied by kustomize").doesNotContain(file);
                continue;
            }
            assertThat(referenced).as("%s is used by a kustomization", file).contains(file.normalize());
        }
    }

    @Test
    void overlaysApplyAtMostOneAutoscaler() {
        for (Manifests.Document document : Manifests.all()) {
            if (!"Kustomization".equals(document.kind())) {
                continue;
            }
            List<String> components = listAt(document.content(), "components");
            boolean keda = components.stream().anyMatch(c -> c.endsWith("components/keda"));
            boolean hpa = components.stream().anyMatch(c -> c.endsWith("components/hpa"));
            assertThat(keda && hpa).as("KEDA and the HPA together in %s", document.file()).isFalse();
        }
        Path prod = Manifests.ROOT.resolve("overlays/prod/kustomization.yaml");
        Manifests.Document prodOverlay = Manifests.all().stream().filter(d -> d.file().equals(prod)).findFirst().orElseThrow();
        assertThat(listAt(prodOverlay.content(), "components")).contains("../../components/keda", "../../components/prometheus");
    }

    // --- the Deployment against the service -----------------------------------------------------

    @Test
    void probesAreTheHealthEndpointsOnTheNamedManagementPort() throws IOException {
        Container container = container();
        ContainerPort http = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
        assertThat(http.getContainerPort()).as("the http port is quarkus.http.port").isEqualTo(httpPort()).isEqualTo(8080);
        ContainerPort management = container.getPorts().stream().filter(p -> "management".equals(p.getName())).findFirst().orElseThrow();
        assertThat(management.getContainerPort()).as("the management port is quarkus.management.port").isEqualTo(managementPort())
                .isEqualTo(9000);
        assertThat(applicationProperties().getProperty("quarkus.management.enabled")).isEqualTo("true");
        assertThat(container.getPorts()).hasSize(2);

        assertProbe(container.getStartupProbe(), Manifests.STARTED);
        assertProbe(container.getReadinessProbe(), Manifests.READY);
        assertProbe(container.getLivenessProbe(), Manifests.LIVE);
    }

    @Test
    void everyEnvironmentVariableIsARealConfigurationKey() {
        Set<String> leadRouterKeys = leadRouterEnvNames().keySet();
        Map<String, String> variables = new LinkedHashMap<>();
        Manifests.one(ConfigMap.class).getData().forEach((k, v) -> variables.put(k, "ConfigMap"));
        Manifests.one(Secret.class).getStringData().forEach((k, v) -> variables.put(k, "Secret"));
        container().getEnv().forEach(e -> variables.put(e.getName(), "Deployment"));

        variables.forEach((name, where) -> assertThat(leadRouterKeys.contains(name) || QUARKUS_KEYS.containsKey(name)
                || (name.equals(JAVA_OPTS) && where.equals("Deployment")))
                .as("%s in the %s is a leadrouter.* key of LeadRouterConfig or a known Quarkus key", name, where).isTrue());
        assertThat(variables.keySet()).as("the embedded PostgreSQL never runs in a cluster").doesNotContainAnyElementsOf(EMBEDDED_ONLY);
    }

    @Test
    void configMapHoldsEveryNonSecretSettingWithTheServiceDefault() {
        Map<String, String> data = Manifests.one(ConfigMap.class).getData();
        Map<String, Method> keys = leadRouterEnvNames();
        Set<String> expected = new TreeSet<>(keys.keySet());
        expected.removeAll(SECRET_KEYS);
        expected.removeAll(EMBEDDED_ONLY);
        Set<String> configured = data.keySet().stream().filter(k -> k.startsWith("LEADROUTER_"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(configured)
                .as("every leadrouter.* key that is neither secret nor embedded-only")
                .isEqualTo(expected);
        for (String name : expected) {
            if (keys.get(name).getReturnType() == Optional.class) {
                // an empty value is no value: the setting stays unset until the deployment fills it in
                assertThat(data.get(name)).as("%s is optional and unset", name).isEmpty();
                continue;
            }
            WithDefault defaultValue = keys.get(name).getAnnotation(WithDefault.class);
            assertThat(defaultValue).as("%s has a default in LeadRouterConfig", name).isNotNull();
            assertThat(data.get(name)).as("%s is the service's default", name).isEqualTo(defaultValue.value());
        }
        // without both URLs the service would start an embedded PostgreSQL inside the pod
        assertThat(data).containsKeys("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(data.get("QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("jdbc:" + data.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
    }

    @Test
    void configMapAgreesWithTheReadmesConfigurationTable() throws IOException {
        Map<String, String> data = Manifests.one(ConfigMap.class).getData();
        Matcher row = Pattern.compile("(?m)^\\| `leadrouter\\.([a-z.-]+)` \\| (?:`([^`]+)`|unset) \\|")
                .matcher(Files.readString(Path.of("README.md")));
        int rows = 0;
        while (row.find()) {
            String name = "LEADROUTER_" + row.group(1).replace('-', '_').replace('.', '_').toUpperCase();
            assertThat(leadRouterEnvNames()).as("README key leadrouter.%s", row.group(1)).containsKey(name);
            if (data.containsKey(name)) {
                assertThat(data.get(name)).as("%s against the README", name).isEqualTo(row.group(2) == null ? "" : row.group(2));
                rows++;
            }
        }
        assertThat(rows).as("README rows checked").isEqualTo(data.keySet().stream().filter(k -> k.startsWith("LEADROUTER_")).count());
    }

    @Test
    void secretTemplateHoldsOnlyPlaceholdersForTheSecretSettings() {
        Secret secret = Manifests.one(Secret.class);
        assertThat(secret.getStringData().keySet()).isEqualTo(SECRET_KEYS);
        assertThat(secret.getData()).as("no encoded values in a template").isNullOrEmpty();
        secret.getStringData().forEach((k, v) -> assertThat(v).as("%s is a placeholder", k).startsWith("<").endsWith(">"));
        Set<String> optionalWithoutDefault = leadRouterEnvNames().entrySet().stream()
                .filter(e -> e.getValue().getReturnType() == Optional.class).map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> secretOrUnset = new TreeSet<>(secret.getStringData().keySet());
        Manifests.one(ConfigMap.class).getData().forEach((name, value) -> {
            if (value.isEmpty()) {
                secretOrUnset.add(name);
            }
        });
        assertThat(secretOrUnset).as("the optional leadrouter.* keys are secrets, or left unset in the ConfigMap")
                .containsAll(optionalWithoutDefault);
    }

    @Test
    void deploymentTakesItsEnvironmentFromTheConfigMapAndTheSecret() {
        Set<String> configMaps = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (EnvFromSource source : container().getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                configMaps.add(source.getConfigMapRef().getName());
            }
            if (source.getSecretRef() != null) {
                secrets.add(source.getSecretRef().getName());
            }
        }
        assertThat(configMaps).containsExactly(Manifests.one(ConfigMap.class).getMetadata().getName());
        assertThat(secrets).containsExactly(Manifests.one(Secret.class).getMetadata().getName());
        EnvVar javaOpts = container().getEnv().stream().filter(e -> e.getName().equals(JAVA_OPTS)).findFirst().orElseThrow();
        assertThat(javaOpts.getValue()).containsPattern("-XX:MaxRAMPercentage=\\d+");
    }

    @Test
    void podsDrainRunAsNonRootAndSpread() {
        Deployment deployment = Manifests.one(Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container container = container();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);

        // drain: endpoints drop the pod during preStop, then Quarkus finishes requests within its shutdown timeout
        int preStop = container.getLifecycle().getPreStop().getSleep().getSeconds().intValue();
        assertThat(preStop).isBetween(1, 15);
        Duration shutdown = Duration.parse("PT" + Manifests.one(ConfigMap.class).getData().get("QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase());
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + shutdown.toSeconds());

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow().getName();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).as("/tmp is writable on a read-only root").isNotNull();

        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");

        List<WeightedPodAffinityTerm> antiAffinity = pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution();
        assertThat(antiAffinity).isNotEmpty();
        assertThat(antiAffinity.get(0).getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(podLabels()).containsAllEntriesOf(antiAffinity.get(0).getPodAffinityTerm().getLabelSelector().getMatchLabels());
        assertThat(podLabels()).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }

    // --- what points at the Deployment ----------------------------------------------------------

    @Test
    void serviceSendsPortEightyToTheHttpPortOfTheDeploymentsPodsAndNothingElse() {
        Service service = mainService();
        assertThat(service.getSpec().getSelector()).isNotEmpty();
        assertThat(podLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        ServicePort port = service.getSpec().getPorts().get(0);
        assertThat(service.getSpec().getPorts()).hasSize(1);
        assertThat(port.getName()).isEqualTo("http");
        assertThat(port.getPort()).isEqualTo(80);
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(container().getPorts()).extracting(ContainerPort::getName).contains(port.getTargetPort().getStrVal());
    }

    @Test
    void disruptionBudgetKeepsOneOfTheDeploymentsPods() {
        PodDisruptionBudget budget = Manifests.one(PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(podLabels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void kedaScalesTheDeploymentOnTheQueueDepth() {
        Map<String, Object> scaled = Manifests.one("ScaledObject", null).content();
        assertThat((String) at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo(deploymentName());
        assertThat((String) at(scaled, "spec", "scaleTargetRef", "kind")).isIn(null, "Deployment");
        assertThat((Integer) at(scaled, "spec", "minReplicaCount")).isEqualTo(2);
        assertThat((Integer) at(scaled, "spec", "maxReplicaCount")).isEqualTo(10);
        List<Map<String, Object>> triggers = at(scaled, "spec", "triggers");
        assertThat(triggers).hasSize(1);
        assertThat(triggers.get(0).get("type")).isEqualTo("prometheus");
        String query = at(triggers.get(0), "metadata", "query");
        assertThat(metricNames(query)).containsExactly(Manifests.QUEUE_DEPTH_METRIC);
        assertThat(Double.parseDouble(at(triggers.get(0), "metadata", "threshold"))).isPositive();
        assertThat((String) at(triggers.get(0), "metadata", "serverAddress")).startsWith("http");
    }

    @Test
    void hpaIsTheCpuFallbackWithTheSameBounds() {
        HorizontalPodAutoscaler hpa = Manifests.one(HorizontalPodAutoscaler.class);
        Map<String, Object> scaled = Manifests.one("ScaledObject", null).content();
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deploymentName());
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo((Integer) at(scaled, "spec", "minReplicaCount"));
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo((Integer) at(scaled, "spec", "maxReplicaCount"));
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
    }

    @Test
    void serviceMonitorScrapesTheMetricsEndpointOfTheManagementServiceOnly() {
        Map<String, Object> monitor = Manifests.one("ServiceMonitor", null).content();
        Service service = Manifests.one("Service", "lead-router-management").as(Service.class);
        Map<String, String> selector = at(monitor, "spec", "selector", "matchLabels");
        assertThat(selector).isNotEmpty();
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(mainService().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .as("the main Service is not scraped").isFalse();
        assertThat(podLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        List<Map<String, Object>> endpoints = at(monitor, "spec", "endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).get("path")).isEqualTo(Manifests.METRICS);
        ServicePort port = service.getSpec().getPorts().get(0);
        assertThat(service.getSpec().getPorts()).hasSize(1);
        assertThat(port.getName()).isEqualTo(endpoints.get(0).get("port")).isEqualTo("management");
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("management");
    }

    @Test
    void databaseUrlPointsAtTheCloudNativePgClusterWithRoomForEveryPod() throws IOException {
        Map<String, Object> cluster = Manifests.one("Cluster", null).content();
        String name = at(cluster, "metadata", "name");
        String database = at(cluster, "spec", "bootstrap", "initdb", "database");
        String url = Manifests.one(ConfigMap.class).getData().get("QUARKUS_DATASOURCE_REACTIVE_URL");
        assertThat(url).isEqualTo("postgresql://" + name + "-rw:5432/" + database);

        Properties properties = applicationProperties();
        int perPod = Integer.parseInt(properties.getProperty("quarkus.datasource.reactive.max-size"))
                + Integer.parseInt(properties.getProperty("quarkus.datasource.jdbc.max-size"));
        int maxPods = (Integer) at(Manifests.one("ScaledObject", null).content(), "spec", "maxReplicaCount");
        int maxConnections = Integer.parseInt(at(cluster, "spec", "postgresql", "parameters", "max_connections"));
        assertThat(maxConnections).as("connections for %d pods of %d each, plus the operator's", maxPods, perPod)
                .isGreaterThanOrEqualTo(maxPods * perPod + 10);
    }

    // --- the images -----------------------------------------------------------------------------

    @Test
    void jvmImageRunsTheFastJarAsNonRootOnPort8080() throws IOException {
        List<Stage> stages = stages(Path.of("Dockerfile.jvm"));
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0).commands("RUN")).anyMatch(r -> r.contains("./mvnw") && r.contains("package") && r.contains("-DskipTests"));
        Stage runtime = stages.get(1);
        assertThat(runtime.image()).startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime");
        List<String> copies = runtime.commands("COPY");
        for (String layer : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/")) {
            assertThat(copies).as("copies %s", layer).anyMatch(c -> c.contains("--from=") && c.contains(layer));
        }
        assertNonRootOn8080(runtime);
        assertThat(runtime.last("ENTRYPOINT")).contains("$" + JAVA_OPTS).contains("quarkus-run.jar");
    }

    @Test
    void nativeImageIsBuiltWithMandrelAndRunsOnTheMicroImage() throws IOException {
        List<Stage> stages = stages(Path.of("Dockerfile.native"));
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0).image()).startsWith("quay.io/quarkus/ubi-quarkus-mandrel-builder-image:").endsWith("-java21");
        assertThat(stages.get(0).commands("RUN")).anyMatch(r -> r.contains("./mvnw") && r.contains("package")
                && r.contains("-Dnative") && r.contains("-DskipTests"));
        Stage runtime = stages.get(1);
        assertThat(runtime.image()).startsWith("quay.io/quarkus/quarkus-micro-image:2.0-");
        assertNonRootOn8080(runtime);
        assertThat(runtime.last("ENTRYPOINT")).isEqualTo("[\"./application\", \"-Dquarkus.http.host=0.0.0.0\"]");
        // -Dnative switches the POM's native profile on, which turns on the native build
        assertThat(Files.readString(Path.of("pom.xml"))).containsPattern(
                "(?s)<id>native</id>\\s*<activation>\\s*<property>\\s*<name>native</name>.*?<quarkus.native.enabled>true</quarkus.native.enabled>");
    }

    @Test
    void dockerContextHoldsOnlyWhatTheBuildNeeds() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines).startsWith("*").contains("!mvnw", "!.mvn/", "!pom.xml", "!src/");
    }

    // --- helpers --------------------------------------------------------------------------------

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe for %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as("probe %s on the named port", path).isEqualTo("management");
    }

    private static void assertNonRootOn8080(Stage runtime) {
        assertThat(runtime.commands("EXPOSE")).containsExactly("8080");
        String user = runtime.last("USER").split(":")[0];
        assertThat(user).as("a numeric user, so runAsNonRoot can check it").matches("\\d+");
        assertThat(Integer.parseInt(user)).as("not root").isPositive();
    }

    private static Container container() {
        List<Container> containers = Manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, String> podLabels() {
        return Manifests.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
    }

    private static String deploymentName() {
        return Manifests.one(Deployment.class).getMetadata().getName();
    }

    /** LEADROUTER_UPPER_SNAKE for each method of LeadRouterConfig, as SmallRye Config maps them. */
    private static Map<String, Method> leadRouterEnvNames() {
        Map<String, Method> names = new HashMap<>();
        collectEnvNames(LeadRouterConfig.class, "LEADROUTER_", names);
        assertThat(names).containsKeys("LEADROUTER_OFFER_TIMEOUT", "LEADROUTER_API_KEYS");
        return names;
    }

    /** The keys of a config interface; a nested group ({@code webhooks()}) adds its own under its name. */
    private static void collectEnvNames(Class<?> group, String prefix, Map<String, Method> names) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == LeadRouterConfig.class) {
                collectEnvNames(method.getReturnType(), name + "_", names);
            } else {
                names.put(name, method);
            }
        }
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    private static int httpPort() throws IOException {
        return Integer.parseInt(applicationProperties().getProperty("quarkus.http.port", "8080"));
    }

    private static int managementPort() throws IOException {
        return Integer.parseInt(applicationProperties().getProperty("quarkus.management.port", "9000"));
    }

    /** The Service an ingress sends traffic to; the management one is Prometheus's. */
    private static Service mainService() {
        return Manifests.one("Service", "lead-router").as(Service.class);
    }

    /** Metric names in a PromQL query: identifiers that are not functions, keywords or label names. */
    private static Set<String> metricNames(String query) {
        String withoutLabels = query.replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "").replaceAll("\\{[^}]*}", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(withoutLabels);
        Set<String> functions = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase", "by", "without");
        while (m.find()) {
            if (!functions.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> listAt(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? List.of() : (List<String>) value;
    }

    /**
     * Properties the model kept aside because it has no field for them (a misspelt
     * {@code readinesProbe} lands there instead of failing), as paths.
     */
    private static List<String> unknownFields(Object model) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(model, "", unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void collectUnknown(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object property = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) property).keySet().forEach(k -> unknown.add(path + "." + k));
                } else {
                    collectUnknown(property, path + "." + getter.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One stage of a Dockerfile: its base image and its instructions, continuation lines joined. */
    private record Stage(String image, List<String[]> instructions) {

        List<String> commands(String instruction) {
            return instructions.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
        }

        String last(String instruction) {
            List<String> all = commands(instruction);
            assertThat(all).as("a %s instruction", instruction).isNotEmpty();
            return all.get(all.size() - 1);
        }
    }

    private static List<Stage> stages(Path dockerfile) throws IOException {
        String text = Files.readString(dockerfile).replaceAll("\\\\\\r?\\n", " ");
        List<Stage> stages = new ArrayList<>();
        for (String line : text.split("\\r?\\n")) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            String[] parts = stripped.split("\\s+", 2);
            String instruction = parts[0].toUpperCase();
            String arguments = parts.length > 1 ? parts[1].strip() : "";
            if (instruction.equals("FROM")) {
                stages.add(new Stage(Arrays.stream(arguments.split("\\s+")).filter(a -> !a.startsWith("--")).findFirst().orElseThrow(),
                        new ArrayList<>()));
            } else {
                assertThat(stages).as("%s: %s before any FROM", dockerfile, instruction).isNotEmpty();
                stages.get(stages.size() - 1).instructions().add(new String[] { instruction, arguments });
            }
        }
        return stages;
    }
}
