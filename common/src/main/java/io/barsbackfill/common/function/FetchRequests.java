package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.service.FetchCommand;
import io.barsbackfill.common.service.RunMismatchException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns the two fetch contracts into one validated {@link FetchCommand}, naming the field of any problem. */
public final class FetchRequests {

    private FetchRequests() {}

    public static FetchCommand single(FetchBarsRequest r) {
        if (r == null) {
            throw new BadInputException(null, "request body is required");
        }
        UUID runId;
        UUID lease;
        Ticker symbol;
        try {
            runId = RequestFields.uuid("job_run_id", r.jobRunId());
            lease = RequestFields.uuid("lease_token", r.leaseToken());
            symbol = RequestFields.ticker("symbol", r.symbol());
        } catch (BadInputException e) {
            throw e.ofRun(0, uuidOrNull(r.jobRunId()));
        }
        Timeframe timeframe = RequestFields.timeframe("timeframe", r.timeframe());
        Slice slice = slice(r.from(), r.to());
        return new FetchCommand(
                timeframe,
                slice,
                provider(r.provider()),
                optionalFeed(r.feed()),
                optionalAdjustment(r.adjustment()),
                List.of(new LeasedRun(runId, lease, symbol)));
    }

    public static FetchCommand batch(FetchBarsBatchRequest r) {
        if (r == null) {
            throw new BadInputException(null, "request body is required");
        }
        List<String> ids = RequestFields.requiredList("job_run_ids", r.jobRunIds());
        List<String> leases = RequestFields.requiredList("lease_tokens", r.leaseTokens());
        List<String> symbols = RequestFields.requiredList("symbols", r.symbols());
        boolean sliced = r.froms() != null || r.tos() != null;
        int max = sliced ? FetchBarsBatchRequest.MAX_RUNS : FetchBarsBatchRequest.MAX_SYMBOLS;
        if (symbols.isEmpty()) {
            throw new BadInputException("symbols", "symbols must hold 1 to " + max + " tickers");
        }
        if (symbols.size() > max) {
            throw new BadInputException(
                    "symbols",
                    "symbols holds " + symbols.size() + " entries; at most " + max + " per batch"
                            + (sliced ? "" : " without froms/tos"));
        }
        parallel("job_run_ids", ids, symbols);
        parallel("lease_tokens", leases, symbols);
        List<String> froms = sliced ? RequestFields.requiredList("froms", r.froms()) : null;
        List<String> tos = sliced ? RequestFields.requiredList("tos", r.tos()) : null;
        if (sliced) {
            parallel("froms", froms, symbols);
            parallel("tos", tos, symbols);
        }
        Timeframe timeframe = RequestFields.timeframe("timeframe", r.timeframe());
        Slice window = slice(r.from(), r.to());
        List<LeasedRun> runs = new ArrayList<>();
        List<Slice> slices = new ArrayList<>();
        Map<Ticker, List<Integer>> bySymbol = new HashMap<>();
        Map<UUID, Integer> seenRuns = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            try {
                Slice own = sliced ? runSlice(froms, tos, i, window) : window;
                runs.add(batchRun(i, ids.get(i), leases.get(i), symbols.get(i), own, slices, bySymbol, seenRuns));
                slices.add(own);
            } catch (BadInputException e) {
                throw e.ofRun(i, uuidOrNull(ids.get(i)));
            }
        }
        if (bySymbol.size() > FetchBarsBatchRequest.MAX_SYMBOLS) {
            throw new BadInputException(
                    "symbols",
                    "symbols names " + bySymbol.size() + " distinct tickers; at most "
                            + FetchBarsBatchRequest.MAX_SYMBOLS + " per batch");
        }
        return new FetchCommand(
                timeframe,
                window,
                provider(r.provider()),
                optionalFeed(r.feed()),
                optionalAdjustment(r.adjustment()),
                runs,
                slices);
    }

    private static void parallel(String field, List<String> list, List<String> symbols) {
        if (list.size() != symbols.size()) {
            throw new BadInputException(
                    field,
                    field + " has " + list.size() + " entries but symbols has " + symbols.size()
                            + "; they are parallel arrays");
        }
    }

    /** Run {@code i}'s own slice {@code [froms[i], tos[i])}, which must lie inside the request's window. */
    private static Slice runSlice(List<String> froms, List<String> tos, int i, Slice window) {
        Instant from = RequestFields.instant("froms[" + i + "]", froms.get(i));
        Instant to = RequestFields.instant("tos[" + i + "]", tos.get(i));
        RequestFields.ordered(from, to, "tos[" + i + "]");
        if (from.isBefore(window.from())) {
            throw new BadInputException("froms[" + i + "]", "froms[" + i + "] lies before from " + window.from());
        }
        if (to.isAfter(window.to())) {
            throw new BadInputException("tos[" + i + "]", "tos[" + i + "] lies after to " + window.to());
        }
        return new Slice(from, to);
    }

    /**
     * The field of a fetch request that a {@link RunMismatchException} is about, as a 400 naming the run (except
     * the provider, feed or adjustment the request names, which is the request's).
     */
    public static BadInputException mismatch(RunMismatchException e, boolean batch) {
        String field = switch (e.mismatch()) {
            case UNKNOWN_RUN, OTHER_SERIES -> batch ? "job_run_ids[" + e.index() + "]" : "job_run_id";
            case OTHER_WORK -> batch ? "symbols[" + e.index() + "]" : "symbol";
            case PROVIDER -> "provider";
            case FEED -> "feed";
            case ADJUSTMENT -> "adjustment";
        };
        BadInputException bad = new BadInputException(field, e.getMessage());
        return switch (e.mismatch()) {
            case PROVIDER, FEED, ADJUSTMENT -> bad;
            default -> bad.ofRun(e.index(), e.jobRunId());
        };
    }

    /** Run {@code i}; a ticker twice for overlapping slices, or a run id twice, is bad input. */
    private static LeasedRun batchRun(
            int i,
            String id,
            String leaseToken,
            String ticker,
            Slice own,
            List<Slice> slices,
            Map<Ticker, List<Integer>> bySymbol,
            Map<UUID, Integer> seenRuns) {
        Ticker symbol = RequestFields.ticker("symbols[" + i + "]", ticker);
        UUID runId = RequestFields.uuid("job_run_ids[" + i + "]", id);
        UUID lease = RequestFields.uuid("lease_tokens[" + i + "]", leaseToken);
        List<Integer> sameSymbol = bySymbol.computeIfAbsent(symbol, k -> new ArrayList<>());
        for (int j : sameSymbol) {
            Slice other = slices.get(j);
            if (own.from().isBefore(other.to()) && other.from().isBefore(own.to())) {
                throw new BadInputException(
                        "symbols[" + i + "]", symbol + " is listed twice (also symbols[" + j + "])");
            }
        }
        sameSymbol.add(i);
        Integer earlier = seenRuns.putIfAbsent(runId, i);
        if (earlier != null) {
            throw new BadInputException(
                    "job_run_ids[" + i + "]",
                    "job run " + runId + " is listed twice (also job_run_ids[" + earlier + "])");
        }
        return new LeasedRun(runId, lease, symbol);
    }

    /** The run id a request gives, when it is one; a malformed one is reported by its own field. */
    private static UUID uuidOrNull(String id) {
        try {
            return id == null ? null : UUID.fromString(id.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Absent: {@code alpaca}, the only provider of orchestrators that send none. */
    private static String provider(String provider) {
        return provider == null ? Series.ALPACA : RequestFields.provider("provider", provider);
    }

    private static String optionalFeed(String feed) {
        return feed == null ? null : RequestFields.feed("feed", feed);
    }

    private static String optionalAdjustment(String adjustment) {
        return adjustment == null ? null : RequestFields.adjustment("adjustment", adjustment);
    }

    private static Slice slice(String from, String to) {
        Instant start = RequestFields.instant("from", from);
        Instant end = RequestFields.instant("to", to);
        RequestFields.ordered(start, end, "to");
        return new Slice(start, end);
    }
}
