package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.service.FetchCommand;
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
        UUID runId = RequestFields.uuid("job_run_id", r.jobRunId());
        UUID lease = RequestFields.uuid("lease_token", r.leaseToken());
        Ticker symbol = RequestFields.ticker("symbol", r.symbol());
        Timeframe timeframe = RequestFields.timeframe("timeframe", r.timeframe());
        Slice slice = slice(r.from(), r.to());
        return new FetchCommand(
                timeframe,
                slice,
                optionalFeed(r.feed()),
                optionalAdjustment(r.adjustment()),
                List.of(new LeasedRun(runId, lease, symbol)),
                false);
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
            Ticker symbol = RequestFields.ticker("symbols[" + i + "]", symbols.get(i));
            UUID runId = RequestFields.uuid("job_run_ids[" + i + "]", ids.get(i));
            UUID lease = RequestFields.uuid("lease_tokens[" + i + "]", leases.get(i));
            Slice own = sliced ? runSlice(froms, tos, i, window) : window;
            List<Integer> earlier = bySymbol.computeIfAbsent(symbol, k -> new ArrayList<>());
            for (int j : earlier) {
                Slice other = slices.get(j);
                if (own.from().isBefore(other.to()) && other.from().isBefore(own.to())) {
                    throw new BadInputException(
                            "symbols[" + i + "]",
                            symbol + " is listed twice" + (sliced ? " for overlapping slices" : "") + " (also symbols["
                                    + j + "])");
                }
            }
            earlier.add(i);
            if (bySymbol.size() > FetchBarsBatchRequest.MAX_SYMBOLS) {
                throw new BadInputException(
                        "symbols",
                        "symbols names more than " + FetchBarsBatchRequest.MAX_SYMBOLS
                                + " distinct tickers; at most that many per batch");
            }
            Integer again = seenRuns.putIfAbsent(runId, i);
            if (again != null) {
                throw new BadInputException(
                        "job_run_ids[" + i + "]",
                        "job run " + runId + " is listed twice (also job_run_ids[" + again + "])");
            }
            runs.add(new LeasedRun(runId, lease, symbol));
            slices.add(own);
        }
        return new FetchCommand(
                timeframe, window, optionalFeed(r.feed()), optionalAdjustment(r.adjustment()), runs, slices, true);
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
