package io.barsbackfill.common.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.quarkus.funqy.runtime.ApplicationException;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * HTTP edge shared by the three functions: the internal bearer token (fail closed: no token configured,
 * no start), the request's shape (a JSON body within {@code backfill.http.max-body-size}: 415 and 413
 * otherwise), the refusal of request fields the function does not know (400 naming the field), and the
 * mapping of failures to {@code 400/401/409/413/5xx} with an {@link ErrorBody}. Funqy itself can only answer
 * 200 or 500 (503 when a dependency is down) and binds with unknown fields ignored, so this runs as a Vert.x
 * route in front of it.
 */
@ApplicationScoped
public class FunctionHttp {

    private static final Logger LOG = Logger.getLogger(FunctionHttp.class);

    private final BackfillConfig config;
    private final ObjectMapper json;
    /** The request type of each function's path, as the functions register them. */
    private final Map<String, Class<?>> inputTypes;
    /** The wire names of each input type's fields, lower case (Funqy binds names case-insensitively). */
    private final Map<String, Set<String>> knownFields;
    /** A copy of the application's mapper configured as Funqy configures its own, so it fails where Funqy failed. */
    private final ObjectMapper asFunqyReads;
    /** The paths the deployable declares open to reads without the token ({@link OpenPages}). */
    private final Set<String> openPages;

    FunctionHttp(
            BackfillConfig config, ObjectMapper json, Instance<FunctionInput> inputs, Instance<OpenPages> openPages) {
        this.config = config;
        this.openPages = openPages.stream().flatMap(o -> o.paths().stream()).collect(Collectors.toUnmodifiableSet());
        this.json = json;
        this.inputTypes =
                inputs.stream().collect(Collectors.toUnmodifiableMap(FunctionInput::path, FunctionInput::type));
        this.knownFields =
                inputs.stream().collect(Collectors.toUnmodifiableMap(FunctionInput::path, i -> wireNames(i.type())));
        this.asFunqyReads = json.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true);
    }

    void requireToken(@Observes StartupEvent event) {
        if (config.internalToken().filter(t -> !t.isBlank()).isEmpty()) {
            throw new IllegalStateException(
                    "BACKFILL_INTERNAL_TOKEN (backfill.internal-token) is not set: refusing to start an "
                            + "internal endpoint without it");
        }
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::authenticate);
        router.route().order(-999).handler(this::checkShape);
        router.route().order(-998).handler(this::refuseUnknownFields);
        router.route().order(-1000).failureHandler(this::answerFailure);
    }

    /**
     * A top-level field the function's request type does not have is a 400 naming it: a misspelt option
     * must not silently do nothing. Bodies that are not JSON objects are left to Funqy (and to
     * {@link #diagnoseBody}).
     */
    private void refuseUnknownFields(RoutingContext ctx) {
        Set<String> known = knownFields.get(ctx.normalizedPath());
        String body = ctx.body() == null ? null : ctx.body().asString();
        if (known == null || body == null || body.isBlank()) {
            ctx.next();
            return;
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            ctx.next();
            return;
        }
        if (tree != null && tree.isObject()) {
            for (var names = tree.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!known.contains(field.toLowerCase(Locale.ROOT))) {
                    String shown = RequestFields.clip(field);
                    send(
                            ctx,
                            400,
                            new ErrorBody(
                                    "unknown field '" + shown + "'; "
                                            + ctx.normalizedPath().substring(1) + " takes "
                                            + String.join(", ", new TreeSet<>(known)),
                                    ErrorCode.BAD_INPUT.name(),
                                    shown));
                    return;
                }
            }
        }
        ctx.next();
    }

    private static Set<String> wireNames(Class<?> record) {
        var naming = new PropertyNamingStrategies.SnakeCaseStrategy();
        return Arrays.stream(record.getRecordComponents())
                .map(c -> naming.translate(c.getName()).toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    private void authenticate(RoutingContext ctx) {
        boolean read = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
        if (ctx.normalizedPath().startsWith("/q/") || read && openPages.contains(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        String expected = "Bearer " + config.internalToken().orElseThrow();
        if (header != null
                && MessageDigest.isEqual(
                        header.trim().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        send(ctx, 401, new ErrorBody("missing or wrong bearer token", ErrorCode.UNAUTHORIZED.name(), null));
    }

    /**
     * Refuses a body announced larger than the limit before reading it (a chunked body that grows past it is
     * stopped by Quarkus's body handler and answered in {@link #answerFailure}), and any body that does not
     * say it is JSON.
     */
    private void checkShape(RoutingContext ctx) {
        if (ctx.normalizedPath().startsWith("/q/") || ctx.request().method() != HttpMethod.POST) {
            ctx.next();
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && isLongerThan(length, config.http().maxBodySize().asLongValue())) {
            ctx.response().putHeader("Connection", "close");
            send(ctx, 413, tooLarge());
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.strip().toLowerCase(Locale.ROOT).matches("application/json\\s*(;.*)?")) {
            send(
                    ctx,
                    415,
                    new ErrorBody(
                            "functions take a JSON body: send Content-Type: application/json",
                            "UNSUPPORTED_MEDIA_TYPE",
                            null));
            return;
        }
        ctx.next();
    }

    private static boolean isLongerThan(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.strip()) > limit;
        } catch (NumberFormatException e) {
            return true; // not a length: nothing sensible can be read
        }
    }

    private ErrorBody tooLarge() {
        return new ErrorBody(
                "request body is larger than " + config.http().maxBodySize().asLongValue()
                        + " bytes (backfill.http.max-body-size)",
                "PAYLOAD_TOO_LARGE",
                null);
    }

    private void answerFailure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApplicationException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        Optional<ErrorAnswer> expected = ErrorAnswer.of(failure);
        if (expected.isPresent()) {
            ErrorAnswer answer = expected.get();
            if (answer.retryLater()) {
                LOG.warnf(
                        "request to %s: %s", ctx.normalizedPath(), answer.body().error());
                ctx.response().putHeader("Retry-After", "60");
            }
            send(ctx, answer.status(), answer.body());
        } else if (ctx.statusCode() == 413) {
            ctx.response().putHeader("Connection", "close");
            send(ctx, 413, tooLarge());
        } else if (failure == null && ctx.statusCode() == 400) {
            send(ctx, 400, diagnoseBody(ctx));
        } else if (failure == null && ctx.statusCode() == 404) {
            send(ctx, 404, new ErrorBody("no function at " + ctx.normalizedPath(), "NOT_FOUND", null));
        } else if (failure == null && ctx.statusCode() == 405) {
            send(ctx, 405, new ErrorBody("functions take POST with a JSON body", "METHOD_NOT_ALLOWED", null));
        } else {
            String id = UUID.randomUUID().toString();
            LOG.errorf(failure, "request to %s failed [error id %s]", ctx.normalizedPath(), id);
            send(ctx, 500, new ErrorBody("internal error (error id " + id + ")", ErrorCode.INTERNAL.name(), null));
        }
    }

    /** Funqy rejects unreadable bodies with a bare 400; read it again to name the field. */
    private ErrorBody diagnoseBody(RoutingContext ctx) {
        Class<?> type = inputTypes.get(ctx.normalizedPath());
        String body = ctx.body() == null ? null : ctx.body().asString();
        if (type == null || body == null || body.isBlank()) {
            return new ErrorBody("request body must be a JSON object", ErrorCode.BAD_INPUT.name(), null);
        }
        try {
            asFunqyReads.readValue(body, type);
            return new ErrorBody("request body could not be read", ErrorCode.BAD_INPUT.name(), null);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return new ErrorBody(
                    "field '" + field + "' has the wrong type",
                    ErrorCode.BAD_INPUT.name(),
                    field.isEmpty() ? null : field);
        } catch (JsonProcessingException e) {
            return new ErrorBody("request body is not valid JSON", ErrorCode.BAD_INPUT.name(), null);
        }
    }

    private void send(RoutingContext ctx, int status, ErrorBody body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"error\":\"internal error\",\"code\":\"INTERNAL\"}";
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(text);
    }
}
