package io.barsbackfill.localstack.process;

import java.net.URI;

/** How to tell that a started child can take requests. */
public sealed interface Readiness {

    /** Ready once {@code GET url} answers 200 (Quarkus: {@code /q/health/ready}). */
    record Http(URI url) implements Readiness {}

    /** Ready once the child's output holds a line starting with {@code prefix}. */
    record LogLine(String prefix) implements Readiness {}

    /** Ready as soon as it runs. */
    record Started() implements Readiness {}
}
