package io.barsbackfill.common.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A libpq connection URI ({@code postgresql://user:pass@host:5432/db?sslmode=require}, as in
 * {@code psql $DATABASE_URL}) turned into the Quarkus datasource settings.
 */
public record DatabaseUrl(String host, int port, String database, Optional<String> user, Optional<String> password,
        String query) {

    public static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a URI (expected postgresql://user:pass@host:5432/db)");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql:// (got scheme " + scheme + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
            password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
        }
        return new DatabaseUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432,
                path.isEmpty() ? "postgres" : decode(path), user, password,
                uri.getRawQuery() == null ? "" : uri.getRawQuery());
    }

    /** Quarkus datasource properties for the reactive client and, where present, JDBC (Flyway). */
    public Map<String, String> quarkusProperties() {
        Map<String, String> p = new HashMap<>();
        String q = query.isEmpty() ? "" : "?" + query;
        p.put("quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database + q);
        p.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + database + q);
        user.ifPresent(u -> p.put("quarkus.datasource.username", u));
        password.ifPresent(pw -> p.put("quarkus.datasource.password", pw));
        return p;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
