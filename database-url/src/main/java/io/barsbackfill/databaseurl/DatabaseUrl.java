package io.barsbackfill.databaseurl;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A libpq connection URI ({@code postgresql://user:pass@host:5432/db?sslmode=require}, as in
 * {@code psql $DATABASE_URL}): turned into the Quarkus datasource settings for the functions, and into JDBC
 * settings for the CLI. {@link #toString()} masks the password.
 */
public record DatabaseUrl(
        String raw,
        String host,
        int port,
        String database,
        Optional<String> user,
        Optional<String> password,
        String query) {

    private static final String DEFAULT = "postgresql://postgres@127.0.0.1:5432/bars_backfill";
    private static final Pattern SECRET_PARAMETER = Pattern.compile("^([^=]*(?i:password|secret|token)[^=]*)=.*$");

    /** {@code DATABASE_URL} as set, or the local default database when it is unset or blank. */
    public static String orDefault(String url) {
        return url == null || url.isBlank() ? DEFAULT : url;
    }

    public static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "DATABASE_URL is not a URI (expected postgresql://user:pass@host:5432/db)");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql:// (got "
                    + (scheme == null ? "no scheme" : scheme + "://") + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "DATABASE_URL has no host (expected postgresql://user:pass@host:5432/db)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
            password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
        }
        return new DatabaseUrl(
                url.trim(),
                uri.getHost(),
                uri.getPort() > 0 ? uri.getPort() : 5432,
                path.isEmpty() ? "postgres" : decode(path),
                user,
                password,
                uri.getRawQuery() == null ? "" : uri.getRawQuery());
    }

    /**
     * The server named by the environment, for the tests (which create their own databases there): {@code
     * DATABASE_URL} when set, else libpq's {@code PGHOST}, {@code PGPORT}, {@code PGUSER} and {@code PGPASSWORD}
     * (127.0.0.1, 5432, postgres and no password when unset), with its {@code postgres} database.
     */
    public static DatabaseUrl ofEnvironment(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return parse(url);
        }
        String host = nonBlank(env.get("PGHOST")).orElse("127.0.0.1");
        int port;
        try {
            port = Integer.parseInt(nonBlank(env.get("PGPORT")).orElse("5432").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PGPORT is not a port number: " + env.get("PGPORT"));
        }
        return of(
                host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host,
                port,
                "postgres",
                Optional.of(nonBlank(env.get("PGUSER")).orElse("postgres")),
                nonBlank(env.get("PGPASSWORD")),
                "");
    }

    /** Another database on the same server, with the same user, password and options. */
    public DatabaseUrl withDatabase(String otherDatabase) {
        return of(host, port, otherDatabase, user, password, query);
    }

    /** The same database as another user ({@code otherPassword} may be null). */
    public DatabaseUrl as(String otherUser, String otherPassword) {
        return of(host, port, database, Optional.of(otherUser), Optional.ofNullable(otherPassword), query);
    }

    private static DatabaseUrl of(
            String host, int port, String database, Optional<String> user, Optional<String> password, String query) {
        String auth = user.map(
                        u -> encode(u) + password.map(pw -> ":" + encode(pw)).orElse("") + "@")
                .orElse("");
        String raw = "postgresql://" + auth + host + ":" + port + "/" + encode(database)
                + (query.isEmpty() ? "" : "?" + query);
        return new DatabaseUrl(raw, host, port, database, user, password, query);
    }

    /** Quarkus datasource properties for the reactive client and, where present, JDBC (Flyway). */
    public Map<String, String> quarkusProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database + suffix());
        p.put("quarkus.datasource.jdbc.url", jdbcUrl());
        user.ifPresent(u -> p.put("quarkus.datasource.username", u));
        password.ifPresent(pw -> p.put("quarkus.datasource.password", pw));
        return p;
    }

    /** JDBC URL of this database; credentials go in {@link #jdbcProperties()}, not in the URL. */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    /** JDBC URL of another database on the same server (e.g. {@code postgres}, to create this one). */
    public String jdbcUrl(String otherDatabase) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + otherDatabase + suffix();
    }

    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user.orElse(System.getProperty("user.name")));
        password.ifPresent(pw -> p.setProperty("password", pw));
        return p;
    }

    /**
     * The URL with every secret masked, for messages: the password of the user info, and the value of each query
     * parameter whose name holds {@code password}, {@code secret} or {@code token} (libpq's {@code password},
     * {@code sslpassword}).
     */
    public String redacted() {
        String auth =
                user.map(u -> u + password.map(pw -> ":***").orElse("") + "@").orElse("");
        String masked = Arrays.stream(query.split("&"))
                .map(param -> SECRET_PARAMETER.matcher(param).replaceFirst("$1=***"))
                .collect(Collectors.joining("&"));
        return "postgresql://" + auth + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + masked);
    }

    @Override
    public String toString() {
        return redacted();
    }

    private String suffix() {
        return query.isEmpty() ? "" : "?" + query;
    }

    private static Optional<String> nonBlank(String s) {
        return Optional.ofNullable(s).filter(v -> !v.isBlank());
    }

    /** Percent-encoding that {@link #decode} reverses: a space is {@code %20}, never form encoding's {@code +}. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Percent-decoding only, as libpq reads a URI: a {@code +} stays a plus (form decoding, {@code URLDecoder},
     * would turn a password's {@code +} into a space).
     */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && isHex(s, i + 1) && isHex(s, i + 2)) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '%') {
                throw new IllegalArgumentException("DATABASE_URL has a malformed percent escape");
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }
}
