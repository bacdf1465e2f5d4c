package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code POST /probe} on fetch-bars: does the provider answer this fetcher, with its own keys and base URL? One
 * small request for daily bars of the last closed week of {@code symbols} (1 to {@value #MAX_SYMBOLS} tickers).
 * {@code retry} false (the default): one attempt, as the provider gate's half-open probe sends it; true: retried
 * like a page of a fetch, as the orchestrator's check of new tickers sends it. {@code provider}: which provider to
 * ask ({@code alpaca} when absent), with its default series.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record ProbeRequest(List<String> symbols, Boolean retry, String provider) {

    /** Keeps the provider's request line within a few kilobytes. */
    public static final int MAX_SYMBOLS = 500;

    public static ProbeRequest of(List<Ticker> symbols, boolean retry) {
        return of(Series.ALPACA, symbols, retry);
    }

    public static ProbeRequest of(String provider, List<Ticker> symbols, boolean retry) {
        return new ProbeRequest(symbols.stream().map(Ticker::value).toList(), retry, provider);
    }

    /** The provider asked about, validated: 400 naming {@code provider} for a name no provider has. */
    public String providerName() {
        if (provider == null) {
            return Series.ALPACA;
        }
        if (!Series.PROVIDERS.contains(provider)) {
            throw new BadInputException("provider", "provider must be one of " + String.join(" ", Series.PROVIDERS));
        }
        return provider;
    }

    /** The tickers asked about, validated: 400 naming the field otherwise. */
    public List<Ticker> tickers() {
        List<String> given = RequestFields.requiredList("symbols", symbols);
        if (given.isEmpty() || given.size() > MAX_SYMBOLS) {
            throw new BadInputException("symbols", "symbols takes 1 to " + MAX_SYMBOLS + " tickers");
        }
        return IntStream.range(0, given.size())
                .mapToObj(i -> RequestFields.ticker("symbols[" + i + "]", given.get(i)))
                .toList();
    }

    public boolean retried() {
        return Boolean.TRUE.equals(retry);
    }
}
