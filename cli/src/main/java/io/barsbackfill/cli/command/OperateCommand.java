package io.barsbackfill.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.client.OrchestratorException;
import io.barsbackfill.cli.report.Answers;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code status}, {@code tick}, {@code enqueue}, {@code retry}, {@code cancel}, {@code audit}, {@code refresh}
 * against a running orchestrator at {@code BACKFILL_ORCHESTRATOR_URL} with {@code BACKFILL_INTERNAL_TOKEN}.
 * Non-2xx answers and unreachable orchestrators: the server's message (with its {@code field}) on stderr, exit 2.
 * {@code refresh} ticks until the slices it queued are fetched again, then says how many bars changed.
 */
public final class OperateCommand {

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Set<String> FILTERS = Set.of("definition", "symbol", "error-code");
    private static final Set<String> ENQUEUE = Set.of("name", "symbols", "timeframe", "from", "to", "priority", "feed",
            "adjustment");
    private static final Set<String> AUDIT = Set.of("definition", "feed", "adjustment");
    private static final Set<String> REFRESH = Set.of("definition", "since");
    /** Ticks a refresh waits for before it reports what it has so far. */
    private static final int REFRESH_TICKS = 50;
    private static final Set<String> JSON_SWITCH = Set.of("json");

    private final String command;
    private final Map<String, String> env;
    private final Console console;

    public OperateCommand(String command, Map<String, String> env, Console console) {
        this.command = command;
        this.env = env;
        this.console = console;
    }

    public static boolean handles(String command) {
        return List.of("status", "tick", "enqueue", "retry", "cancel", "audit", "refresh").contains(command);
    }

    public int run(List<String> argv) {
        ObjectNode request;
        Function<JsonNode, String> text;
        Args args;
        switch (command) {
            case "status" -> {
                args = Args.parse(command, argv, Set.of(), JSON_SWITCH);
                request = OrchestratorClient.request("status");
                text = Answers::status;
            }
            case "tick" -> {
                args = Args.parse(command, argv, Set.of(), JSON_SWITCH);
                request = OrchestratorClient.request("tick");
                text = Answers::tick;
            }
            case "retry", "cancel" -> {
                args = Args.parse(command, argv, FILTERS, JSON_SWITCH);
                request = OrchestratorClient.request("retry".equals(command) ? "retry_failed" : "cancel");
                args.get("definition").ifPresent(v -> request.put("definition", v));
                args.get("symbol").ifPresent(v -> request.put("symbol", v));
                args.get("error-code").ifPresent(v -> request.put("error_code", v));
                text = Answers::update;
            }
            case "enqueue" -> {
                args = Args.parse(command, argv, ENQUEUE, JSON_SWITCH);
                List<String> symbols = Arrays.stream(args.require("symbols", command).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
                Integer priority = args.get("priority").map(OperateCommand::priority).orElse(null);
                request = OrchestratorClient.enqueueRequest(args.require("name", command), symbols,
                        args.require("timeframe", command), args.require("from", command), args.get("to").orElse(null),
                        priority, args.get("feed").orElse(null), args.get("adjustment").orElse(null));
                text = Answers::enqueue;
            }
            case "audit" -> {
                args = Args.parse(command, argv, AUDIT, JSON_SWITCH);
                request = OrchestratorClient.request("audit");
                args.get("definition").ifPresent(v -> request.put("definition", v));
                args.get("feed").ifPresent(v -> request.put("feed", v));
                args.get("adjustment").ifPresent(v -> request.put("adjustment", v));
                text = Answers::audit;
            }
            case "refresh" -> {
                args = Args.parse(command, argv, REFRESH, JSON_SWITCH);
                String name = args.require("definition", command);
                request = OrchestratorClient.request("refresh");
                request.put("definition", name);
                args.get("since").ifPresent(v -> request.put("since", v));
                text = answer -> Answers.refresh(untilRefreshed(name), name);
            }
            default -> throw new UsageException("unknown command " + command);
        }
        OrchestratorClient client = client();
        JsonNode answer;
        try {
            answer = client.call(request);
        } catch (OrchestratorException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
        }
        console.line(args.has("json") ? HttpJson.pretty(answer) : text.apply(answer).stripTrailing());
        return ExitCodes.OK;
    }

    /** Ticks until the definition's refresh has nothing queued or running; answers the last status. */
    private JsonNode untilRefreshed(String name) {
        OrchestratorClient client = client();
        try {
            JsonNode status = client.status();
            for (int i = 0; i < REFRESH_TICKS && pending(status, name) > 0; i++) {
                client.tick();
                status = client.status();
            }
            return status;
        } catch (OrchestratorException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
        }
    }

    private static long pending(JsonNode status, String name) {
        for (JsonNode d : status.path("definitions")) {
            if (name.equals(d.path("name").asText())) {
                return d.path("refresh").path("pending").asLong(0);
            }
        }
        return 0;
    }

    private OrchestratorClient client() {
        String url = env.getOrDefault("BACKFILL_ORCHESTRATOR_URL", "");
        URI base;
        try {
            base = URI.create(url.isBlank() ? DEFAULT_URL : url.trim());
            if (base.getScheme() == null || base.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, "BACKFILL_ORCHESTRATOR_URL is not a URL ("
                    + e.getMessage() + "); expected e.g. " + DEFAULT_URL);
        }
        String token = env.get("BACKFILL_INTERNAL_TOKEN");
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.REQUEST_FAILED, "BACKFILL_INTERNAL_TOKEN is not set: the orchestrator "
                    + "only answers with the deployment's internal token");
        }
        return new OrchestratorClient(base, token.trim());
    }

    private static int priority(String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--priority must be an integer (got '" + raw + "')");
        }
    }
}
