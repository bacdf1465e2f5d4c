package io.barsbackfill.common.provider.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.provider.ProviderException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@code next_url} is followed with the bearer key, so only on the configured base URL's host, and only to the
 * aggregates of the ticker asked for; a key in its query is never sent; the URL never appears in a message.
 */
class NextUrlsTest {

    private static final NextUrls URLS = new NextUrls(URI.create("http://127.0.0.1:9000"));
    private static final Ticker AAPL = new Ticker("AAPL");

    @Test
    void aNextUrlOnTheBaseHostIsTheSameRequestAtItsCursor() {
        NextUrls.Next next = URLS.parse(
                "http://127.0.0.1:9000/v2/aggs/ticker/AAPL/range/1/minute/1704067200000/1706745599999"
                        + "?adjusted=false&sort=asc&limit=50000&cursor=YWJj%3D%3D&apiKey=leaked",
                AAPL);
        assertThat(next.ticker()).isEqualTo("AAPL");
        assertThat(next.multiplier()).isEqualTo("1");
        assertThat(next.timespan()).isEqualTo("minute");
        assertThat(next.from()).isEqualTo("1704067200000");
        assertThat(next.to()).isEqualTo("1706745599999");
        assertThat(next.query())
                .containsExactly(
                        Map.entry("adjusted", "false"),
                        Map.entry("sort", "asc"),
                        Map.entry("limit", "50000"),
                        Map.entry("cursor", "YWJj=="));
    }

    @Test
    void aNextUrlElsewhereIsMalformedAndNotRepeated() {
        for (String elsewhere : new String[] {
            "http://evil.example:9000/v2/aggs/ticker/AAPL/range/1/minute/1/2?cursor=x",
            "https://127.0.0.1:9000/v2/aggs/ticker/AAPL/range/1/minute/1/2?cursor=x",
            "http://127.0.0.1:9001/v2/aggs/ticker/AAPL/range/1/minute/1/2?cursor=x",
            "/v2/aggs/ticker/AAPL/range/1/minute/1/2?cursor=x",
            "http://127.0.0.1:9000/v2/aggs/ticker/MSFT/range/1/minute/1/2?cursor=x",
            "http://127.0.0.1:9000/v3/reference/tickers/AAPL?cursor=x",
            "not a url at all"
        }) {
            assertThatThrownBy(() -> URLS.parse(elsewhere, AAPL))
                    .as(elsewhere)
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_MALFORMED);
                        assertThat(e.getMessage()).doesNotContain("evil", "cursor", "9001");
                    });
        }
    }

    @Test
    void aBasePathPrefixIsKept() {
        NextUrls prefixed = new NextUrls(URI.create("https://proxy.example/massive/"));
        assertThat(prefixed.parse("https://proxy.example/massive/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=c", AAPL)
                        .query())
                .containsEntry("cursor", "c");
        assertThatThrownBy(() ->
                        prefixed.parse("https://proxy.example/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=c", AAPL))
                .isInstanceOf(ProviderException.class);
    }
}
