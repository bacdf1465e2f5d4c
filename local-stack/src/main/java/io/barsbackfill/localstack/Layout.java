package io.barsbackfill.localstack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where things are: the project root (its built jars) and the state directory for logs ({@code .backfill/}
 * under the root, gitignored; {@code BACKFILL_STATE_DIR} to put it elsewhere).
 */
public record Layout(Path home, Path stateDir) {

    public Layout {
        home = home.toAbsolutePath().normalize();
        stateDir = stateDir.toAbsolutePath().normalize();
    }

    public static Layout of(Path home) {
        return new Layout(home, home.resolve(".backfill"));
    }

    /**
     * The root from system property {@code backfill.home} (set by the {@code backfill} script), else
     * {@code BACKFILL_HOME}, else the location of this code (under {@code <root>/<module>/target/}), else the working
     * directory.
     */
    public static Layout detect(Map<String, String> env) {
        Path home = firstNonBlank(System.getProperty("backfill.home"), env.get("BACKFILL_HOME"))
                .map(Path::of)
                .orElseGet(Layout::fromCodeLocation);
        String state = env.get("BACKFILL_STATE_DIR");
        return state == null || state.isBlank() ? of(home) : new Layout(home, Path.of(state));
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path log(String name) {
        return logDir().resolve(name + ".log");
    }

    public Path jar(Service service) {
        return home.resolve(service.jar());
    }

    /** The jars of {@code services} that are not built. */
    public List<Path> missing(Collection<Service> services) {
        return services.stream()
                .map(this::jar)
                .filter(p -> !Files.isRegularFile(p))
                .toList();
    }

    private static Path fromCodeLocation() {
        try {
            Path location = Path.of(Layout.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            // <root>/local-stack/target/classes, <root>/cli/target/lib/local-stack-*.jar (./backfill), ...
            for (Path dir = location.getParent(); dir != null; dir = dir.getParent()) {
                Path module = dir.getParent();
                if (dir.getFileName() != null
                        && dir.getFileName().toString().equals("target")
                        && module != null
                        && module.getParent() != null
                        && Files.isRegularFile(module.getParent().resolve("pom.xml"))) {
                    return module.getParent();
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    private static Optional<String> firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
