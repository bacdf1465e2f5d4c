package io.barsbackfill.common.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written with named parameters ({@code :lease_token}), sent with PostgreSQL's positional ones
 * ({@code $2}): a name used twice is one parameter. Casts ({@code ::uuid[]}) are not names.
 */
public record NamedSql(String sql, List<String> names) {

    private static final Pattern NAME = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

    public static NamedSql of(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(text);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
            m.appendReplacement(sql, "\\$" + (names.indexOf(m.group(1)) + 1));
        }
        m.appendTail(sql);
        return new NamedSql(sql.toString(), List.copyOf(names));
    }

    /** Starts the values of this statement's parameters; every name must be given one (null allowed). */
    public Params with(String name, Object value) {
        return bind().with(name, value);
    }

    public Params bind() {
        return new Params();
    }

    /** The values of one execution, by name. */
    public final class Params {
        private final Map<String, Object> values = new HashMap<>();

        public Params with(String name, Object value) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("no parameter :" + name + " in " + sql);
            }
            values.put(name, value);
            return this;
        }

        public Tuple tuple() {
            Object[] ordered = new Object[names.size()];
            for (int i = 0; i < ordered.length; i++) {
                if (!values.containsKey(names.get(i))) {
                    throw new IllegalArgumentException("parameter :" + names.get(i) + " not given for " + sql);
                }
                ordered[i] = values.get(names.get(i));
            }
            return Tuple.tuple(Arrays.asList(ordered));
        }

        public Uni<RowSet<Row>> executeOn(SqlClient client) {
            return client.preparedQuery(sql).execute(tuple());
        }
    }
}
