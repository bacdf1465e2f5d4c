package io.barsbackfill.common.health;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** What the asynchronous checks share: a check that cannot be made is DOWN, naming the failure's type only. */
public final class HealthChecks {

    private HealthChecks() {}

    public static Uni<HealthCheckResponse> downOnFailure(String name, Uni<HealthCheckResponse> check) {
        return check.onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named(name)
                        .down()
                        .withData("error", e.getClass().getSimpleName())
                        .build());
    }
}
