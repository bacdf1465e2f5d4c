package io.barsbackfill.orchestrator.service;

import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Who this orchestrator is: the instance name in leases and heartbeats, and the build version. */
@ApplicationScoped
public class InstanceIdentity {

    private final String instance;
    private final String version;

    InstanceIdentity(
            OrchestratorConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.instance = config.orchestrator()
                .instanceId()
                .filter(s -> !s.isBlank())
                .orElseGet(() -> hostname() + "-" + ProcessHandle.current().pid());
        this.version = version;
    }

    public String instance() {
        return instance;
    }

    public String version() {
        return version;
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "orchestrator";
        }
    }
}
