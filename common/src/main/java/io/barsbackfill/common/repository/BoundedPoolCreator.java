package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Quarkus builds the reactive pool through this: every connection of every function starts with the bounds of
 * {@link DatabaseTimeouts} as startup parameters, so they hold for every statement, in a transaction or not, and
 * die with the connection. Not through a layer-7 proxy ({@code
 * quarkus.datasource.reactive.postgresql.use-layer7-proxy}, what PgBouncer in transaction mode takes): PgBouncer
 * refuses a connection whose startup packet holds parameters it does not track, so a deployment behind it would
 * lose its database with an upgrade. There the bounds are the database's own defaults, which {@link
 * DatabaseTimeoutsCheck} reports at start when they are missing (docs/operations.md, "PgBouncer").
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    private final Map<String, String> parameters;

    BoundedPoolCreator(BackfillConfig config) {
        this.parameters = DatabaseTimeouts.startupParameters(config.database());
    }

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            if (!options.getUseLayer7Proxy()) {
                parameters.forEach(options::addProperty);
            }
        }
        // what Quarkus does without a creator, from the same options
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
