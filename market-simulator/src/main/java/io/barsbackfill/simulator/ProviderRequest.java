package io.barsbackfill.simulator;

import java.net.URI;

/**
 * A provider request that passed the faults before its answer: where it goes, its URI as sent, where the client
 * reached the server ({@code http://host:port}, for absolute URLs in answers), and the faults of its answer.
 */
record ProviderRequest(
        ApiRoute route, URI uri, String origin, SimulatorFaults faults, FaultInjector.Distortion distortion) {

    QueryString params() {
        return QueryString.parse(uri.getRawQuery());
    }
}
