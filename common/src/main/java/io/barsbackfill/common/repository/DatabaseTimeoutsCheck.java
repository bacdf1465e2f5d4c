package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.config.SettingsCheck;
import io.barsbackfill.common.domain.Messages;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * At start, asks the server which bounds a connection of ours really has: through a layer-7 proxy (PgBouncer) the
 * pool sends no startup parameters ({@link BoundedPoolCreator}), and a pooler told to ignore them drops them
 * silently; then only the server's own defaults hold. A difference is logged as a warning naming the setting;
 * nothing is refused, and a database that cannot be reached yet is no concern of this check.
 */
@ApplicationScoped
public class DatabaseTimeoutsCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseTimeoutsCheck.class);

    static final String IN_EFFECT = """
            SELECT name, setting FROM pg_settings
            WHERE name IN ('statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout')""";

    void check(@Observes StartupEvent event, Pool pool, BackfillConfig config) {
        Map<String, String> expected = DatabaseTimeouts.startupParameters(config.database());
        pool.query(IN_EFFECT)
                .execute()
                .subscribe()
                .with(
                        rows -> {
                            Map<String, String> actual = new HashMap<>();
                            rows.forEach(r -> actual.put(r.getString("name"), r.getString("setting")));
                            differences(expected, actual).forEach(LOG::warn);
                        },
                        e -> LOG.debugf("database timeouts not checked: %s", Messages.firstMessage(e)));
    }

    /** One warning per server setting whose value differs from ours (both in milliseconds). */
    static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
        List<String> found = new ArrayList<>();
        expected.forEach((name, wanted) -> {
            String value = actual.get(name);
            if (value != null && !value.equals(wanted)) {
                found.add(name + " is " + value + " ms on this database connection (0: unbounded), not the " + wanted
                        + " ms of " + SettingsCheck.named(DatabaseTimeouts.setting(name))
                        + ": behind a connection pooler, make it the database's default"
                        + " (docs/operations.md, PgBouncer)");
            }
        });
        return found;
    }
}
