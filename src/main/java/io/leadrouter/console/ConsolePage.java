package io.leadrouter.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /manager} and {@code GET /manager/}: the manager console page. Dev mode answers
 * {@code /manager} with a redirect to {@code /manager/} (the static {@code manager/} folder is a
 * directory there), so the page loads its stylesheet and scripts by absolute URL. The page itself
 * holds no data; a typed key is exchanged for a console session ({@code POST /api/v1/console/sessions}), and the
 * page listens on {@code /ws/manager} with the session.
 */
@Path("/manager")
public class ConsolePage {

    static final String PAGE = "META-INF/resources/manager.html";

    @GET
    @PermitAll
    public Response page() {
        return Response.ok(read(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).header("Cache-Control", "no-cache")
                .header("Referrer-Policy", "no-referrer").build();
    }

    private static byte[] read() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException(PAGE + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
