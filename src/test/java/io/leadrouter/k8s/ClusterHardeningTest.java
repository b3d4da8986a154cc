package io.leadrouter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The pod gets no more than it needs: no API token, only its own ports in and what it calls out, images pinned. */
class ClusterHardeningTest {

    private static Deployment deployment() {
        return Manifests.all().stream().filter(d -> "Deployment".equals(d.kind())).findFirst().orElseThrow().as(Deployment.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> networkPolicy() {
        return Manifests.all().stream().filter(d -> "NetworkPolicy".equals(d.kind())).findFirst().orElseThrow().content();
    }

    @Test
    void thePodMountsNoServiceAccountToken() {
        assertThat(deployment().getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theNetworkPolicyLetsInEveryContainerPortAndOutOnlyDnsPostgresAndHttps() {
        Map<String, Object> policy = networkPolicy();
        Map<String, Object> spec = (Map<String, Object>) policy.get("spec");
        assertThat((Map<String, Object>) ((Map<String, Object>) spec.get("podSelector")).get("matchLabels"))
                .isEqualTo(deployment().getSpec().getSelector().getMatchLabels());
        assertThat((List<String>) spec.get("policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");

        List<Object> ingressPorts = new ArrayList<>();
        ((List<Map<String, Object>>) spec.get("ingress")).forEach(rule -> ((List<Map<String, Object>>) rule.get("ports"))
                .forEach(port -> ingressPorts.add(port.get("port"))));
        List<String> containerPorts = deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .map(ContainerPort::getName).toList();
        assertThat(ingressPorts).as("every named container port, nothing else").containsExactlyInAnyOrderElementsOf(containerPorts);

        List<Object> egressPorts = new ArrayList<>();
        ((List<Map<String, Object>>) spec.get("egress")).forEach(rule -> {
            assertThat(rule).as("egress by port only").containsOnlyKeys("ports");
            ((List<Map<String, Object>>) rule.get("ports")).forEach(port -> egressPorts.add(port.get("port")));
        });
        assertThat(egressPorts).containsExactlyInAnyOrder(53, 53, 5432, 443);
    }

    @Test
    void everyImageIsPinnedToAVersion() throws IOException {
        List<String> images = new ArrayList<>();
        for (Path dockerfile : List.of(Path.of("Dockerfile.jvm"), Path.of("Dockerfile.native"))) {
            Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(Files.readString(dockerfile));
            while (from.find()) {
                images.add(from.group(1));
            }
        }
        Matcher cnpg = Pattern.compile("(?m)imageName:\\s*(\\S+)").matcher(Files.readString(Manifests.ROOT.resolve(
                "components/cnpg/postgres-cnpg.yaml")));
        assertThat(cnpg.find()).isTrue();
        images.add(cnpg.group(1));
        assertThat(images).hasSize(5).allSatisfy(image -> {
            assertThat(image).as("a tag").contains(":");
            String tag = image.substring(image.lastIndexOf(':') + 1);
            assertThat(tag).as("%s names a version, not a moving tag", image).doesNotContain("latest")
                    .matches(".*\\d+\\.\\d+.*|.*\\d{4}-\\d{2}-\\d{2}.*");
        });
    }
}
