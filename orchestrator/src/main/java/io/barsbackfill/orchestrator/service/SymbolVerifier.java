package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.client.AlpacaBarsClient;
import io.barsbackfill.common.client.ProviderException;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.function.ServiceUnavailableException;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.SliceUnit;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.repository.SymbolRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks the provider whether tickers exist, by fetching their daily bars over the last closed week. The
 * provider names one unknown ticker per answer, so a request is repeated without it (a bounded number of
 * times) to find the others and confirm the rest. Answers are kept in {@code symbols}; a ticker confirmed
 * within {@code symbol-cache-ttl} is not asked about again.
 */
@ApplicationScoped
public class SymbolVerifier {

    private static final int PER_REQUEST = 50;

    private final AlpacaBarsClient provider;
    private final SymbolRepository symbols;
    private final Duration cacheTtl;
    private final int maxProbes;
    private final Series probeSeries;

    SymbolVerifier(AlpacaBarsClient provider, SymbolRepository symbols, OrchestratorConfig config,
            BackfillConfig backfill) {
        this.provider = provider;
        this.probeSeries = backfill.alpaca().defaultSeries();
        this.symbols = symbols;
        this.cacheTtl = config.orchestrator().symbolCacheTtl();
        this.maxProbes = Math.max(1, config.orchestrator().maxProbes());
    }

    /** The tickers the provider does not know, with its message; empty when all are known. */
    public Uni<Map<Ticker, String>> unknown(List<Ticker> tickers) {
        return symbols.validWithin(tickers, cacheTtl).chain(cached -> {
            List<Ticker> toProbe = tickers.stream().filter(t -> !cached.contains(t)).toList();
            Probe probe = new Probe(probeSlice(Instant.now()));
            List<List<Ticker>> chunks = new ArrayList<>();
            for (int i = 0; i < toProbe.size(); i += PER_REQUEST) {
                chunks.add(toProbe.subList(i, Math.min(i + PER_REQUEST, toProbe.size())));
            }
            Uni<Void> all = Uni.createFrom().voidItem();
            for (List<Ticker> chunk : chunks) {
                all = all.chain(() -> probe.check(chunk));
            }
            return all.map(ignored -> probe.invalid);
        });
    }

    /** Daily bars of the last closed week: small, and any listed ticker answers. */
    static Slice probeSlice(Instant now) {
        Instant to = SliceUnit.DAY.floor(TradingCalendar.nyse().historyHorizon(now));
        return new Slice(to.minus(Duration.ofDays(7)), to);
    }

    /** One verification: how many provider requests it made, what it found. */
    private final class Probe {
        private final Slice slice;
        private final AtomicInteger calls = new AtomicInteger();
        private final Map<Ticker, String> invalid = new LinkedHashMap<>();
        private int requests;

        Probe(Slice slice) {
            this.slice = slice;
        }

        Uni<Void> check(List<Ticker> chunk) {
            if (chunk.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            if (requests >= maxProbes) {
                if (invalid.isEmpty()) {
                    return Uni.createFrom().failure(new ServiceUnavailableException(ErrorCode.RATE_LIMITED,
                            "could not verify tickers: probe budget of " + maxProbes + " requests spent", null));
                }
                return Uni.createFrom().voidItem(); // already rejecting; the rest stay unverified
            }
            requests++;
            return provider.fetch(chunk, Timeframe.d1, probeSeries, slice, calls)
                    .chain(bars -> symbols.recordValid(chunk))
                    .onFailure(ProviderException.class).recoverWithUni(e -> {
                        ProviderException p = (ProviderException) e;
                        Ticker rejected = p.code() == ErrorCode.INVALID_SYMBOL ? p.invalidSymbol().orElse(null) : null;
                        if (rejected == null || !chunk.contains(rejected)) {
                            return Uni.createFrom().failure(new ServiceUnavailableException(p.code(),
                                    "could not verify tickers with the provider (" + p.code() + "): " + p.getMessage(), p));
                        }
                        invalid.put(rejected, p.getMessage());
                        List<Ticker> rest = chunk.stream().filter(t -> !t.equals(rejected)).toList();
                        return symbols.recordInvalid(rejected, p.getMessage()).chain(() -> check(rest));
                    });
        }
    }
}
