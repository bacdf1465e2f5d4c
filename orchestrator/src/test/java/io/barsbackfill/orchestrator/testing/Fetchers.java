package io.barsbackfill.orchestrator.testing;

import io.barsbackfill.cli.process.ManagedProcess;
import io.barsbackfill.cli.stack.Service;
import java.time.Duration;
import java.util.List;

/**
 * The real fetch functions of a test application, as processes ({@link FetcherProcessesResource}): what each
 * one answered, read from its own access log.
 */
public final class Fetchers {

    /**
     * The fetchers' access-log lines: {@code dispatch=<X-Backfill-Dispatch-Id> trace=<traceparent> fetcher-access
     * POST /fetch-bars 200}.
     */
    static final String ACCESS_LOG_PATTERN =
            "dispatch=%{i,X-Backfill-Dispatch-Id} trace=%{i,traceparent} fetcher-access %m %U %s";

    private static final String ACCESS_LOG_MARK = "fetcher-access ";

    private final ManagedProcess fetchBars;
    private final ManagedProcess fetchBarsBatch;

    Fetchers(ManagedProcess fetchBars, ManagedProcess fetchBarsBatch) {
        this.fetchBars = fetchBars;
        this.fetchBarsBatch = fetchBarsBatch;
    }

    public ManagedProcess process(Service function) {
        return switch (function) {
            case FETCH_BARS -> fetchBars;
            case FETCH_BARS_BATCH -> fetchBarsBatch;
            default -> throw new IllegalArgumentException("not a fetcher: " + function);
        };
    }

    /** Every function call the process answered so far, oldest first: {@code POST /fetch-bars-batch 200}. */
    public List<String> answered(Service function) {
        return process(function).logLines().stream()
                .filter(line -> line.contains(ACCESS_LOG_MARK + "POST "))
                .map(line -> line.substring(line.indexOf(ACCESS_LOG_MARK) + ACCESS_LOG_MARK.length())
                        .trim())
                .toList();
    }

    /** The dispatch id and trace context headers of every function call answered, as {@code dispatch=... trace=...}. */
    public List<String> headersAnswered(Service function) {
        return process(function).logLines().stream()
                .filter(line -> line.contains(ACCESS_LOG_MARK + "POST ") && line.contains("dispatch="))
                .map(line -> line.substring(line.indexOf("dispatch="), line.indexOf(ACCESS_LOG_MARK))
                        .trim())
                .toList();
    }

    /** The process's base URL, e.g. for its {@code /q/metrics}. */
    public String url(Service function) {
        return "http://127.0.0.1:" + process(function).spec().env().get("QUARKUS_HTTP_PORT");
    }

    /**
     * The calls answered after the first {@code before}, once there are at least {@code expected} of them (the
     * access log is written as the answer leaves, so it may trail the caller by a moment); at most 10 s.
     */
    public List<String> answeredAfter(Service function, int before, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> all = answered(function);
            List<String> recent = all.subList(Math.min(before, all.size()), all.size());
            if (recent.size() >= expected || System.nanoTime() > deadline) {
                return recent;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return recent;
            }
        }
    }
}
