package io.barsbackfill.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.client.OrchestratorException;
import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * What {@code status}, {@code tick}, {@code enqueue}, {@code retry}, {@code cancel}, {@code audit},
 * {@code refresh}, {@code remove} and {@code recount} share: one request to a
 * running orchestrator at {@code BACKFILL_ORCHESTRATOR_URL} (else the address a running {@code start} or
 * {@code demo} wrote beside its token, else {@link #DEFAULT_URL}) with {@code BACKFILL_INTERNAL_TOKEN} (or the token
 * {@code start} wrote), the answer as text or {@code --json}. Non-2xx answers and unreachable orchestrators: the
 * server's message (with its {@code field}) on stderr, exit 2. {@code T}: the record of the action's answer.
 */
public abstract class OperateCommand<T> implements Callable<Integer> {

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--json", description = "Print the orchestrator's answer as it is.")
    boolean json;

    private final Map<String, String> env;
    private final Console console;
    private final String action;
    private final Class<T> answer;
    private final Function<T, String> text;

    /** {@code answer}: the record of the action's answer; {@code text}: that answer as text for a person. */
    OperateCommand(Map<String, String> env, Console console, String action, Class<T> answer, Function<T, String> text) {
        this.env = env;
        this.console = console;
        this.action = action;
        this.answer = answer;
        this.text = text;
    }

    /** The request: the action alone unless a command adds its options; may throw {@link UsageException}. */
    OrchestratorRequestBuilder request() {
        return OrchestratorRequest.builder(action);
    }

    String text(T answer) {
        return text.apply(answer);
    }

    @Override
    public Integer call() {
        OrchestratorRequest request = request().build();
        OrchestratorClient client = client();
        try {
            JsonNode body = client.call(request);
            console.line(
                    json
                            ? HttpJson.pretty(body)
                            : text(client.read(action, body, answer)).stripTrailing());
        } catch (OrchestratorException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
        }
        return ExitCodes.OK;
    }

    /** One request, its answer as the action's record; a refusal or an unreachable orchestrator exits 2. */
    T send(OrchestratorRequestBuilder request) {
        try {
            return client().call(request.build(), answer);
        } catch (OrchestratorException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
        }
    }

    Console console() {
        return console;
    }

    OrchestratorClient client() {
        String url = env.getOrDefault("BACKFILL_ORCHESTRATOR_URL", "");
        String source = "BACKFILL_ORCHESTRATOR_URL";
        if (url.isBlank()) {
            Layout layout = Layout.detect(env);
            Optional<String> published;
            try {
                published = OrchestratorAddress.read(layout);
            } catch (UncheckedIOException e) {
                throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
            }
            url = published.orElse(DEFAULT_URL);
            source = "the address in " + OrchestratorAddress.file(layout);
        }
        URI base;
        try {
            base = URI.create(url.trim());
            if (base.getScheme() == null || base.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCodes.REQUEST_FAILED,
                    source + " is not a URL (" + e.getMessage() + "); expected e.g. " + DEFAULT_URL);
        }
        return new OrchestratorClient(base, token());
    }

    private String token() {
        String token = env.get("BACKFILL_INTERNAL_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        Path file = Tokens.file(Layout.detect(env));
        Optional<String> stored;
        try {
            stored = Tokens.read(file);
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
        }
        return stored.orElseThrow(() -> new CliException(
                ExitCodes.REQUEST_FAILED,
                "BACKFILL_INTERNAL_TOKEN is not set "
                        + "and " + file
                        + " does not exist: the orchestrator only answers with the deployment's internal token "
                        + "(./backfill start writes the one it generates to that file)"));
    }
}
