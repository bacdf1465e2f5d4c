package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.orchestrator.TickersUnverifiedException;
import io.barsbackfill.orchestrator.client.FetchersClient;
import io.barsbackfill.orchestrator.client.ProbeUndeliveredException;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.repository.SymbolRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the provider whether tickers exist with as few requests as it can: one request for one daily bar of
 * the last closed week, for every ticker not checked recently at once, sent by fetch-bars ({@code POST /probe},
 * with the fetchers' provider settings: the orchestrator has none of its own). The provider checks all symbols
 * before it answers and names one it does not know, so that one is set aside and the request repeated for
 * the rest, until it succeeds (the rest are known) or the probe budget is spent. Answers are kept in
 * {@code symbols}; a ticker checked within {@code symbol-cache-ttl} is not asked about again, and one found
 * unknown keeps the provider's reason.
 */
@ApplicationScoped
public class SymbolVerifier {

    /** Keeps the request line of a probe within a few kilobytes. */
    private static final int PER_REQUEST = FetchersClient.PROBE_MAX_SYMBOLS;

    private final FetchersClient fetchers;
    private final SymbolRepository symbols;
    private final Duration cacheTtl;
    private final int maxProbes;
    /** A probe is retried like a page of a fetch, so it may take as long as a dispatch. */
    private final Duration probeTimeout;

    SymbolVerifier(
            FetchersClient fetchers, SymbolRepository symbols, OrchestratorConfig config, BackfillConfig backfill) {
        this.fetchers = fetchers;
        this.probeTimeout =
                config.orchestrator().dispatchTimeout().orElse(backfill.queue().leaseDuration());
        this.symbols = symbols;
        this.cacheTtl = config.orchestrator().symbolCacheTtl();
        this.maxProbes = config.orchestrator().maxProbes();
    }

    /**
     * The tickers the provider does not know, with its reason, in request order; empty when all are known.
     * With {@code findAll} false the search may stop at the first unknown ticker once the probe budget is
     * spent (the caller refuses the request anyway); with {@code findAll} true every ticker is settled or
     * the verification fails. The answers are {@code provider}'s (another provider may know other tickers);
     * {@code provider} is asked, and one this instance's fetchers have no key for is a bad request naming
     * {@code provider}.
     */
    public Uni<Map<Ticker, String>> unknown(String provider, List<Ticker> tickers, boolean findAll) {
        return symbols.checkedWithin(provider, tickers, cacheTtl).chain(checked -> {
            Probe probe = new Probe(provider, findAll);
            List<Ticker> toProbe = new ArrayList<>();
            for (Ticker t : tickers) {
                SymbolRepository.Checked c = checked.get(t);
                if (c == null) {
                    toProbe.add(t);
                } else if (!c.valid()) {
                    probe.invalid.put(t, c.reason());
                }
            }
            Uni<Void> all = Uni.createFrom().voidItem();
            for (int i = 0; i < toProbe.size(); i += PER_REQUEST) {
                List<Ticker> chunk = toProbe.subList(i, Math.min(i + PER_REQUEST, toProbe.size()));
                all = all.chain(() -> probe.check(chunk));
            }
            return all.map(ignored -> {
                Map<Ticker, String> inOrder = new LinkedHashMap<>();
                tickers.stream().filter(probe.invalid::containsKey).forEach(t -> inOrder.put(t, probe.invalid.get(t)));
                return inOrder;
            });
        });
    }

    /** One verification: how many provider requests it made, what it found. */
    private final class Probe {
        private final String provider;
        private final boolean findAll;
        private final Map<Ticker, String> invalid = new LinkedHashMap<>();
        private int requests;

        Probe(String provider, boolean findAll) {
            this.provider = provider;
            this.findAll = findAll;
        }

        Uni<Void> check(List<Ticker> chunk) {
            if (chunk.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            if (requests >= maxProbes) {
                if (invalid.isEmpty() || findAll) {
                    return Uni.createFrom()
                            .failure(new TickersUnverifiedException(
                                    ErrorCode.RATE_LIMITED,
                                    "could not verify tickers: probe budget of " + maxProbes + " requests spent "
                                            + "(backfill.orchestrator.max-probes)",
                                    null));
                }
                return Uni.createFrom().voidItem(); // already rejecting; the rest stay unverified
            }
            requests++;
            return fetchers.probe(provider, chunk, true, probeTimeout)
                    .chain(() -> symbols.recordValid(provider, chunk))
                    .onFailure(ProbeUndeliveredException.class)
                    .transform(e -> new TickersUnverifiedException(
                            ErrorCode.DISPATCH_FAILED,
                            "could not verify tickers through fetch-bars: " + e.getMessage(),
                            e))
                    .onFailure(ProviderException.class)
                    .recoverWithUni(e -> {
                        ProviderException p = (ProviderException) e;
                        if (p.code() == ErrorCode.PROVIDER_NOT_CONFIGURED) {
                            return Uni.createFrom().failure(new BadInputException("provider", p.getMessage()));
                        }
                        Ticker rejected = p.code() == ErrorCode.INVALID_SYMBOL
                                ? p.invalidSymbol().orElse(null)
                                : null;
                        if (rejected == null || !chunk.contains(rejected)) {
                            return Uni.createFrom()
                                    .failure(new TickersUnverifiedException(
                                            p.code(),
                                            "could not verify tickers with the provider (" + p.code() + "): "
                                                    + p.getMessage(),
                                            p));
                        }
                        invalid.put(rejected, p.getMessage());
                        List<Ticker> rest =
                                chunk.stream().filter(t -> !t.equals(rejected)).toList();
                        return symbols.recordInvalid(provider, rejected, p.getMessage())
                                .chain(() -> check(rest));
                    });
        }
    }
}
