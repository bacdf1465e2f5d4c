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
 * die with the connection. A connection pooler in transaction mode has to be told about them
 * (docs/operations.md, "PgBouncer").
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
            parameters.forEach(options::addProperty);
        }
        // what Quarkus does without a creator, from the same options
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
