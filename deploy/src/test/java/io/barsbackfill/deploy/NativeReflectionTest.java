package io.barsbackfill.deploy;

import static io.barsbackfill.deploy.Manifests.FUNCTIONS;
import static io.barsbackfill.deploy.Manifests.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Native readiness of the {@code -Pnative-sources} build (full native augmentation, no GraalVM needed): every class
 * of ours that Jackson reads or writes (it carries a Jackson annotation: provider pages, REST client bodies, the
 * JSON error body, answers stored as JSON, the orchestrator's records in orchestrator-api) is registered for
 * reflection in the native-image configuration Quarkus generated for each function. A class missing there works on
 * the JVM and fails only in a native binary.
 */
@Tag("native")
class NativeReflectionTest {

    private static final List<String> JACKSON_ANNOTATIONS =
            List.of("Lcom/fasterxml/jackson/annotation/", "Lcom/fasterxml/jackson/databind/annotation/");

    @Test
    void everyJsonTypeOfEachFunctionIsRegisteredForReflection() {
        for (String function : FUNCTIONS) {
            List<String> json = jsonTypes(ROOT.resolve("common/target/classes"));
            json.addAll(jsonTypes(ROOT.resolve(function).resolve("target/classes")));
            if (function.equals("orchestrator")) {
                // its request and answer records, in a module of their own that the cli compiles against too
                json.addAll(jsonTypes(ROOT.resolve("orchestrator-api/target/classes")));
                assertThat(json).contains("io.barsbackfill.orchestrator.api.StatusReport$DefinitionStatus");
            }
            assertThat(json)
                    .as("JSON types found for %s", function)
                    .contains(
                            "io.barsbackfill.common.function.ErrorBody",
                            "io.barsbackfill.common.provider.alpaca.AlpacaPages$MultiSymbolPage");

            String config = nativeImageConfig(function);
            assertThat(json)
                    .as("registered for reflection in %s's native build", function)
                    .allSatisfy(type -> assertThat(config).contains("\"" + type + "\""));
        }
    }

    /** Classes under {@code classes} whose bytecode refers to a Jackson annotation. */
    private static List<String> jsonTypes(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .filter(NativeReflectionTest::usesJacksonAnnotations)
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean usesJacksonAnnotations(Path classFile) {
        try {
            String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return JACKSON_ANNOTATIONS.stream().anyMatch(bytes::contains);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every native-image JSON configuration in the runner jar of {@code target/native-sources}. */
    private static String nativeImageConfig(String function) {
        Path sources = ROOT.resolve(function).resolve("target/native-sources");
        assertThat(sources.resolve("native-image.args"))
                .as("native-sources build of " + function)
                .exists();
        try (Stream<Path> files = Files.list(sources)) {
            Path runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no runner jar in " + sources));
            try (ZipFile jar = new ZipFile(runner.toFile())) {
                StringBuilder text = new StringBuilder();
                jar.stream()
                        .filter(e -> e.getName().startsWith("META-INF/native-image/")
                                && e.getName().endsWith(".json"))
                        .forEach(e -> {
                            try {
                                text.append(new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
                            } catch (IOException ex) {
                                throw new UncheckedIOException(ex);
                            }
                        });
                assertThat(text).as("native-image configuration in " + runner).isNotEmpty();
                return text.toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
