package io.leadrouter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.leadrouter.support.Endpoints;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.WebSocket;

/**
 * Every REST method and socket of the service says who may call it, on the method itself (a class-wide role would
 * silently cover a method added later), and the roles are those of the contract ({@link Endpoints}).
 */
class EndpointRolesTest {

    private static final Set<Class<? extends Annotation>> ACCESS = Set.of(RolesAllowed.class, PermitAll.class, DenyAll.class,
            Authenticated.class);

    @Test
    void everyEndpointHasItsOwnExplicitRoleAndTheRolesAreTheContract() {
        Map<String, Set<String>> found = new TreeMap<>();
        for (JavaClass imported : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.leadrouter")) {
            Class<?> type = imported.reflect();
            if (type.isAnnotationPresent(WebSocket.class)) {
                found.put("WS " + type.getAnnotation(WebSocket.class).path(), roles(type, type.getName()));
            }
            if (!type.isAnnotationPresent(Path.class)) {
                continue;
            }
            assertThat(ACCESS.stream().filter(type::isAnnotationPresent).toList())
                    .as("%s sets no role for all its methods: each method says its own", type.getSimpleName()).isEmpty();
            for (Method method : type.getDeclaredMethods()) {
                String verb = Arrays.stream(method.getAnnotations())
                        .map(a -> a.annotationType().getAnnotation(HttpMethod.class)).filter(h -> h != null)
                        .map(HttpMethod::value).findFirst().orElse(null);
                if (verb != null) {
                    String path = type.getAnnotation(Path.class).value()
                            + (method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : "");
                    found.put(verb + " " + path, roles(method, type.getSimpleName() + "." + method.getName()));
                }
            }
        }
        assertThat(found).isEqualTo(new TreeMap<>(Endpoints.ROLES));
    }

    private static Set<String> roles(java.lang.reflect.AnnotatedElement element, String name) {
        assertThat(ACCESS.stream().filter(element::isAnnotationPresent).toList()).as("the access annotation of %s", name)
                .hasSize(1).first().isIn(RolesAllowed.class, PermitAll.class);
        return element.isAnnotationPresent(PermitAll.class) ? Set.of(Endpoints.PUBLIC)
                : Set.of(element.getAnnotation(RolesAllowed.class).value());
    }
}
