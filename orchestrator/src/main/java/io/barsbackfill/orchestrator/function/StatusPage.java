package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.function.FunctionHttp;
import io.barsbackfill.common.function.OpenPages;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /ui}: the status page, three static files from {@code ui/} on the classpath. It holds no job data
 * (so it declares them as {@link OpenPages}, which {@link FunctionHttp} lets through without a token) and loads
 * nothing from elsewhere; the browser may only talk back to this origin.
 */
@ApplicationScoped
public class StatusPage {

    private static final Map<String, String> FILES = Map.of(
            "/ui", "text/html; charset=utf-8",
            "/ui/app.js", "text/javascript; charset=utf-8",
            "/ui/app.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Produces
    static final OpenPages OPEN = new OpenPages(FILES.keySet());

    void install(@Observes Router router) {
        FILES.forEach((path, type) -> {
            Buffer body = Buffer.buffer(resource(path.equals("/ui") ? "ui/index.html" : path.substring(1)));
            router.get(path)
                    .handler(ctx -> ctx.response()
                            .putHeader("Content-Type", type)
                            .putHeader("Cache-Control", "no-cache")
                            .putHeader("Content-Security-Policy", POLICY)
                            .putHeader("X-Content-Type-Options", "nosniff")
                            .putHeader("Referrer-Policy", "no-referrer")
                            .end(body));
        });
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("status page file missing from the build: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
