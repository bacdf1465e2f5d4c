package io.barsbackfill.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The programs a few end-to-end tests need besides Java and PostgreSQL (PgBouncer, Chromium, PostgreSQL's server
 * binaries for a private cluster). Where one is missing the test is skipped with one line naming its Debian
 * package, so that {@code ./mvnw verify} passes on a machine with only Java and PostgreSQL; where the environment
 * variable {@code CI} is set, they are required and the test fails ({@code .ci/run} installs them). System
 * property {@value #HIDE} (Debian package names, comma-separated, or {@code all}) makes tools look missing, to
 * see the skips on a machine that has them.
 */
final class OptionalTool {

    static final String HIDE = "e2e.hide-tools";

    private OptionalTool() {}

    /** The tool {@code lookup} finds, else the test skipped (or, under CI, failed) naming {@code debianPackage}. */
    static Path require(String tool, String debianPackage, Supplier<Optional<Path>> lookup) {
        Optional<Path> found = hidden(debianPackage) ? Optional.empty() : lookup.get();
        if (found.isPresent()) {
            return found.get();
        }
        String missing = tool + " is not installed (Debian package " + debianPackage + ")";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            throw new IllegalStateException(
                    missing + "; CI is set, so the tests that need it must run (.ci/run " + "installs it)");
        }
        System.out.println("skipped: " + missing);
        return Assumptions.abort("skipped: " + missing);
    }

    /** The first executable of {@code names} in {@code dirs} and then on {@code PATH}. */
    static Optional<Path> find(List<String> names, String... dirs) {
        List<String> path =
                Arrays.asList(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"));
        for (String name : names) {
            for (String dir : Stream.concat(Arrays.stream(dirs), path.stream()).toList()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hidden(String debianPackage) {
        List<String> hidden = Arrays.stream(System.getProperty(HIDE, "").split(","))
                .map(String::trim)
                .toList();
        return hidden.contains("all") || hidden.contains(debianPackage);
    }
}
