package io.barsbackfill.orchestrator.api;

import java.util.List;

/** Builds an {@link OrchestratorRequest}: fields not set stay null, and the orchestrator's defaults apply. */
public final class OrchestratorRequestBuilder {

    private final String action;
    private String name;
    private List<String> symbols;
    private String timeframe;
    private String from;
    private String to;
    private Integer priority;
    private String definition;
    private String symbol;
    private String errorCode;
    private String onUnknown;
    private String provider;
    private String feed;
    private String adjustment;
    private String since;
    private Boolean deleteBars;
    private Boolean dryRun;
    private String with;
    private Double tolerance;

    OrchestratorRequestBuilder(String action) {
        this.action = action;
    }

    public OrchestratorRequestBuilder name(String value) {
        name = value;
        return this;
    }

    public OrchestratorRequestBuilder symbols(List<String> value) {
        symbols = value;
        return this;
    }

    public OrchestratorRequestBuilder timeframe(String value) {
        timeframe = value;
        return this;
    }

    public OrchestratorRequestBuilder from(String value) {
        from = value;
        return this;
    }

    public OrchestratorRequestBuilder to(String value) {
        to = value;
        return this;
    }

    public OrchestratorRequestBuilder priority(Integer value) {
        priority = value;
        return this;
    }

    public OrchestratorRequestBuilder definition(String value) {
        definition = value;
        return this;
    }

    public OrchestratorRequestBuilder symbol(String value) {
        symbol = value;
        return this;
    }

    public OrchestratorRequestBuilder errorCode(String value) {
        errorCode = value;
        return this;
    }

    public OrchestratorRequestBuilder onUnknown(String value) {
        onUnknown = value;
        return this;
    }

    public OrchestratorRequestBuilder provider(String value) {
        provider = value;
        return this;
    }

    public OrchestratorRequestBuilder feed(String value) {
        feed = value;
        return this;
    }

    public OrchestratorRequestBuilder adjustment(String value) {
        adjustment = value;
        return this;
    }

    public OrchestratorRequestBuilder since(String value) {
        since = value;
        return this;
    }

    /** {@code remove}: also delete the bars no other definition covers; false leaves the field out. */
    public OrchestratorRequestBuilder deleteBars(boolean value) {
        deleteBars = value ? Boolean.TRUE : null;
        return this;
    }

    /** {@code remove}: only answer what it would change; false leaves the field out. */
    public OrchestratorRequestBuilder dryRun(boolean value) {
        dryRun = value ? Boolean.TRUE : null;
        return this;
    }

    public OrchestratorRequestBuilder with(String value) {
        with = value;
        return this;
    }

    public OrchestratorRequestBuilder tolerance(Double value) {
        tolerance = value;
        return this;
    }

    public OrchestratorRequest build() {
        return new OrchestratorRequest(
                action,
                name,
                symbols,
                timeframe,
                from,
                to,
                priority,
                definition,
                symbol,
                errorCode,
                onUnknown,
                provider,
                feed,
                adjustment,
                since,
                deleteBars,
                dryRun,
                with,
                tolerance);
    }
}
