package io.barsbackfill.common.config;

import io.barsbackfill.databaseurl.DatabaseUrl;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads {@code DATABASE_URL} (a libpq URI) when the Quarkus datasource settings are not given. Its ordinal
 * sits below application.properties (250) and the environment (300), so explicit
 * {@code QUARKUS_DATASOURCE_*} settings always win. The environment is read on every lookup, never
 * cached at build time.
 */
public class DatabaseUrlConfigSource implements ConfigSource {

    static final String ENV = "DATABASE_URL";

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(DatabaseUrl.parse(url()).quarkusProperties());
        if (!jdbcDriverPresent()) {
            // only the orchestrator has JDBC (for Flyway); elsewhere the key would be an "unrecognized" warning
            properties.remove("quarkus.datasource.jdbc.url");
        }
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        if (!propertyName.startsWith("quarkus.datasource.")) {
            return null;
        }
        return getProperties().get(propertyName);
    }

    @Override
    public String getName() {
        return "DATABASE_URL";
    }

    @Override
    public int getOrdinal() {
        return 200;
    }

    private static boolean jdbcDriverPresent() {
        try {
            Class.forName("org.postgresql.Driver", false, DatabaseUrlConfigSource.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String url() {
        return DatabaseUrl.orDefault(System.getenv(ENV));
    }
}
