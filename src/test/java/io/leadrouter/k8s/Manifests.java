package io.leadrouter.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Every YAML document under {@code k8s/}, as maps and, for the built-in kinds, as the Kubernetes model. */
final class Manifests {

    static final Path ROOT = Path.of("k8s");

    /** The health and metrics endpoints the service exposes once its health and metrics extensions are in. */
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    static final String STARTED = "/q/health/started";
    static final String METRICS = "/q/metrics";
    static final String QUEUE_DEPTH_METRIC = "leadrouter_queue_depth";

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** One YAML document of one file. */
    record Document(Path file, Map<String, Object> content) {

        String kind() {
            return (String) content.get("kind");
        }

        String name() {
            Object metadata = content.get("metadata");
            return metadata instanceof Map<?, ?> m ? (String) m.get("name") : null;
        }

        /** The document as the Kubernetes model's class of its kind. */
        <T extends HasMetadata> T as(Class<T> type) {
            return YAML.convertValue(content, type);
        }

        @Override
        public String toString() {
            return file + " (" + kind() + " " + name() + ")";
        }
    }

    private Manifests() {
    }

    static List<Path> files() {
        try (Stream<Path> paths = Files.walk(ROOT)) {
            return paths.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Document> all() {
        List<Document> documents = new ArrayList<>();
        for (Path file : files()) {
            try (var parser = YAML.getFactory().createParser(file.toFile())) {
                var values = YAML.readValues(parser, new TypeReference<Map<String, Object>>() {
                });
                while (values.hasNext()) {
                    Map<String, Object> content = values.next();
                    if (content != null) {
                        documents.add(new Document(file, content));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse " + file, e);
            }
        }
        return documents;
    }

    /** The one document of that kind (and name, when given). */
    static Document one(String kind, String name) {
        List<Document> found = all().stream()
                .filter(d -> kind.equals(d.kind()) && (name == null || name.equals(d.name())))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + (name == null ? "" : " " + name) + " under k8s/, found " + found);
        }
        return found.get(0);
    }

    static <T extends HasMetadata> T one(Class<T> type) {
        return one(type.getSimpleName(), null).as(type);
    }

    /** A value at a path of map keys ({@code "spec", "triggers"}); null when absent. */
    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            if (!(value instanceof Map<?, ?> m)) {
                return null;
            }
            value = m.get(key);
        }
        return (T) value;
    }
}
