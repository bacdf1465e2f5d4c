package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Timeframe;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the next page starts: the symbol and timestamp of its first bar, plus a fingerprint of the query it
 * belongs to, so that a token presented with different parameters is refused. Encoded as URL-safe base64 so
 * it survives clients that forget to URL-encode it.
 */
record PageToken(String symbol, Timeframe timeframe, Instant next, String queryFingerprint) {

    private static final String SEPARATOR = "|";

    String encode() {
        String plain = String.join(SEPARATOR, symbol, timeframe.alpacaName(), next.toString(), queryFingerprint);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<PageToken> decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 4) {
                return Optional.empty();
            }
            return Timeframe.fromAlpacaName(parts[1])
                    .map(tf -> new PageToken(parts[0], tf, Instant.parse(parts[2]), parts[3]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
