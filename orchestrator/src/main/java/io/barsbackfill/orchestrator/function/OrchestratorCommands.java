package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.RequestFields;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.service.AuditService.AuditScope;
import io.barsbackfill.orchestrator.service.CompareService.ComparePair;
import io.barsbackfill.orchestrator.service.NewDefinition;
import io.barsbackfill.orchestrator.service.NewDefinition.OnUnknown;
import io.barsbackfill.orchestrator.service.QueueControlService.Refresh;
import io.barsbackfill.orchestrator.service.QueueControlService.Remove;
import io.barsbackfill.orchestrator.service.QueueControlService.RunFilter;
import io.barsbackfill.orchestrator.service.SlicePlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /orchestrator}'s requests as the services' commands: every field is checked here, and every
 * failure names its field (400). The one place the orchestrator maps its request.
 */
final class OrchestratorCommands {

    /** {@code compare}'s tolerance when the request gives none: one part in ten thousand. */
    static final double DEFAULT_TOLERANCE = 0.0001;

    private OrchestratorCommands() {}

    /**
     * {@code enqueue}: a window between {@code earliest-date} and now plus {@code max-ahead}, a plan of at most
     * {@code max-runs} runs (estimated by arithmetic: symbols x slices).
     */
    static NewDefinition enqueue(
            OrchestratorRequest r, OrchestratorConfig.Orchestrator limits, BackfillConfig settings, Instant now) {
        String name = RequestFields.required("name", r.name()).strip();
        if (!NewDefinition.NAME.matcher(name).matches()) {
            throw new BadInputException(
                    "name",
                    "name must be 1-64 letters, digits or _ . : - starting with a letter " + "or digit (got '"
                            + RequestFields.clip(name) + "')");
        }
        List<Ticker> symbols = tickers(r.symbols(), limits.maxSymbols());
        Timeframe timeframe = RequestFields.timeframe("timeframe", r.timeframe());
        Instant latest = now.plus(limits.maxAhead());
        Instant from = within("from", RequestFields.instant("from", r.from()), limits.earliestDate(), latest);
        Instant to = null;
        if (r.to() != null) {
            to = within("to", RequestFields.instant("to", r.to()), limits.earliestDate(), latest);
            RequestFields.ordered(from, to, "to");
        }
        OnUnknown onUnknown = onUnknown(r.onUnknown());
        withinRunBudget(symbols.size(), timeframe, from, to, now, limits.maxRuns());
        int priority = r.priority() == null ? NewDefinition.DEFAULT_PRIORITY : r.priority();
        Series series = RequestFields.series(r.provider(), r.feed(), r.adjustment(), settings);
        return new NewDefinition(name, symbols, timeframe, series, from, to, priority, onUnknown);
    }

    /** {@code retry_failed} and {@code cancel}: optional filters, each checked. */
    static RunFilter runFilter(OrchestratorRequest r) {
        Ticker symbol = r.symbol() == null ? null : RequestFields.ticker("symbol", r.symbol());
        ErrorCode code = r.errorCode() == null ? null : errorCode(r.errorCode());
        return new RunFilter(r.definition() == null ? null : definitionName(r.definition()), symbol, code);
    }

    /** {@code audit}: a definition (in its own series), or a series (by default the settings'), not both. */
    static AuditScope audit(OrchestratorRequest r, BackfillConfig settings) {
        if (r.definition() == null) {
            return new AuditScope(null, RequestFields.series(r.provider(), r.feed(), r.adjustment(), settings));
        }
        if (r.provider() != null || r.feed() != null || r.adjustment() != null) {
            throw new BadInputException(
                    r.provider() != null ? "provider" : r.feed() != null ? "feed" : "adjustment",
                    "a definition has its own series: give definition, or provider/feed/adjustment, not both");
        }
        return new AuditScope(r.definition().trim(), null);
    }

    /** {@code coverage}: a definition's name. */
    static String coverage(OrchestratorRequest r) {
        if (r.definition() == null || r.definition().isBlank()) {
            throw new BadInputException("definition", "coverage needs a definition name");
        }
        return r.definition().trim();
    }

    /** {@code compare}: two definitions' names and the tolerance, a relative difference in [0, 1). */
    static ComparePair compare(OrchestratorRequest r) {
        String definition = RequestFields.required("definition", r.definition()).trim();
        String with = RequestFields.required("with", r.with()).trim();
        double tolerance = r.tolerance() == null ? DEFAULT_TOLERANCE : r.tolerance();
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new BadInputException(
                    "tolerance",
                    "tolerance must be a relative difference in [0, 1), e.g. 0.001 (got " + tolerance + ")");
        }
        return new ComparePair(definition, with, tolerance);
    }

    /** {@code refresh}: a definition, and optionally the date or instant the slices must end after. */
    static Refresh refresh(OrchestratorRequest r) {
        String name = RequestFields.required("definition", r.definition()).trim();
        Instant since = r.since() == null ? null : RequestFields.dateOrInstant("since", r.since());
        return new Refresh(name, since);
    }

    /** {@code remove}: a definition; deleting its bars and a dry run are off unless asked for. */
    static Remove remove(OrchestratorRequest r) {
        String name = definitionName(RequestFields.required("definition", r.definition()));
        return new Remove(name, Boolean.TRUE.equals(r.deleteBars()), Boolean.TRUE.equals(r.dryRun()));
    }

    private static String definitionName(String raw) {
        String name = raw.strip();
        if (!NewDefinition.NAME.matcher(name).matches()) {
            throw new BadInputException(
                    "definition", "definition must be a definition's name (got '" + RequestFields.clip(name) + "')");
        }
        return name;
    }

    private static ErrorCode errorCode(String raw) {
        return ErrorCode.named(raw.strip().toUpperCase(Locale.ROOT))
                .orElseThrow(() -> new BadInputException("error_code", "error_code must be one of " + ErrorCode.NAMES));
    }

    private static OnUnknown onUnknown(String value) {
        if (value == null) {
            return OnUnknown.reject;
        }
        return Arrays.stream(OnUnknown.values())
                .filter(v -> v.name().equals(value.strip()))
                .findFirst()
                .orElseThrow(() -> new BadInputException(
                        "on_unknown", "on_unknown must be reject or skip (got '" + RequestFields.clip(value) + "')"));
    }

    private static Instant within(String field, Instant t, Instant earliest, Instant latest) {
        if (t.isBefore(earliest)) {
            throw new BadInputException(
                    field,
                    field + " must not be before " + earliest + " (backfill.orchestrator.earliest-date; got " + t
                            + ")");
        }
        if (t.isAfter(latest)) {
            throw new BadInputException(
                    field,
                    field + " must not be later than " + latest + ", now plus backfill.orchestrator.max-ahead (got " + t
                            + ")");
        }
        return t;
    }

    private static void withinRunBudget(
            int symbols, Timeframe timeframe, Instant from, Instant to, Instant now, long maxRuns) {
        long slices =
                SlicePlan.count(timeframe, from, to, TradingCalendar.nyse().historyHorizon(now));
        long runs = slices * symbols;
        if (runs > maxRuns) {
            throw new BadInputException(
                    "from",
                    "this definition would plan about %,d runs (%d symbols x %,d %s slices), "
                                    .formatted(runs, symbols, slices, timeframe)
                            + "more than backfill.orchestrator.max-runs ("
                            + "%,d): shorten the window, choose a coarser timeframe or split the symbols"
                                    .formatted(maxRuns));
        }
    }

    private static List<Ticker> tickers(List<String> raw, int maxSymbols) {
        RequestFields.requiredList("symbols", raw);
        if (raw.isEmpty() || raw.size() > maxSymbols) {
            throw new BadInputException(
                    "symbols", "symbols must hold 1 to " + maxSymbols + " tickers (got " + raw.size() + ")");
        }
        List<Ticker> tickers = new ArrayList<>();
        Map<Ticker, Integer> seen = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "symbols[" + i + "]";
            String value = raw.get(i);
            if (value != null && NewDefinition.NAME.matcher(value.strip()).matches() && value.matches(".*[_0-9].*")) {
                throw new BadInputException(
                        field,
                        field + " '" + RequestFields.clip(value) + "' looks like a definition label, "
                                + "not a ticker: list the real tickers (e.g. AAPL, BRK.B)");
            }
            Ticker ticker = RequestFields.ticker(field, value);
            Integer earlier = seen.putIfAbsent(ticker, i);
            if (earlier != null) {
                throw new BadInputException(
                        field, field + " " + ticker + " is listed twice (also symbols[" + earlier + "])");
            }
            tickers.add(ticker);
        }
        return List.copyOf(tickers);
    }
}
