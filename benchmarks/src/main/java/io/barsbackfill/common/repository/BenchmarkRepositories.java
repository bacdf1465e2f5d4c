package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.vertx.mutiny.sqlclient.Pool;
import java.lang.reflect.Proxy;

/** The production repositories outside CDI, for benchmarks that must run the fetchers' own statements. */
public final class BenchmarkRepositories {

    /**
     * The fetchers' {@link QueueRepository} on {@code pool}. Its lease checks and fenced completion read no
     * setting; the retry paths, which do, are not for benchmarks (their queue settings are absent).
     */
    public static QueueRepository jobRuns(Pool pool) {
        BackfillConfig noSettings = (BackfillConfig) Proxy.newProxyInstance(
                BackfillConfig.class.getClassLoader(), new Class<?>[] {BackfillConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "no settings" : null;
                    }
                    return null;
                });
        return new QueueRepository(pool, noSettings);
    }

    private BenchmarkRepositories() {}
}
