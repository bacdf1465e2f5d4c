package io.barsbackfill.deploy;

import static io.barsbackfill.deploy.Manifests.FUNCTIONS;
import static io.barsbackfill.deploy.Manifests.ROOT;
import static io.barsbackfill.deploy.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Knative manifests that {@code ./mvnw package -Pknative} generates ({@code
 * <function>/target/kubernetes/knative.yml},
 * quarkus-kubernetes merged with {@code src/main/kubernetes/knative.yml}), and the Dockerfiles that turn each build
 * into the image they name.
 */
@Tag("knative")
class KnativeManifestsTest {

    static final List<String> FETCHERS = List.of("fetch-bars", "fetch-bars-batch");

    @Test
    void eachFunctionIsAKnativeServiceServingHttpOn8080WithHealthProbesResourcesAndTheSecret() {
        for (String function : FUNCTIONS) {
            Map<String, Object> service = service(function);
            assertThat(at(service, "apiVersion").toString()).isEqualTo("serving.knative.dev/v1");
            assertThat(at(service, "metadata.name").toString()).isEqualTo(function);
            Map<String, Object> container = at(service, "spec.template.spec.containers.0");
            assertThat(container.get("image").toString()).as(function).contains("bars-backfill/" + function + ":");
            assertThat(at(container, "ports.0.containerPort").toString())
                    .as(function)
                    .isEqualTo("8080");
            assertThat(at(container, "livenessProbe.httpGet.path").toString()).isEqualTo("/q/health/live");
            assertThat(at(container, "readinessProbe.httpGet.path").toString()).isEqualTo("/q/health/ready");
            assertThat(at(container, "resources.requests.cpu").toString()).isNotBlank();
            assertThat(at(container, "resources.requests.memory").toString()).isNotBlank();
            assertThat(at(container, "resources.limits.memory").toString()).isNotBlank();
            List<Map<String, Object>> envFrom = at(container, "envFrom");
            assertThat(envFrom)
                    .as(function)
                    .anySatisfy(e -> assertThat(String.valueOf((Object) at(e, "secretRef.name")))
                            .isEqualTo("bars-backfill"));
            assertThat(Optional.ofNullable((List<?>) container.get("env"))
                            .orElse(List.of())
                            .toString())
                    .as("no secret value inline")
                    .doesNotContainIgnoringCase("password")
                    .doesNotContain("TOKEN=");
        }
    }

    @Test
    void onlyTheOrchestratorIsReachableFromOutsideTheCluster() {
        for (String fetcher : FETCHERS) {
            assertThat(at(service(fetcher), "metadata.labels").toString())
                    .contains("networking.knative.dev/visibility=cluster-local");
        }
        assertThat(String.valueOf((Object) at(service("orchestrator"), "metadata.labels")))
                .doesNotContain("visibility");
    }

    @Test
    void scaleBoundsAndConcurrencyAreTheOnesTheCommentsDescribe() {
        for (String fetcher : FETCHERS) {
            Map<String, Object> service = service(fetcher);
            assertThat(at(service, "spec.template.spec.containerConcurrency").toString())
                    .isEqualTo("1");
            assertThat(at(service, "spec.template.metadata.annotations").toString())
                    .contains("autoscaling.knative.dev/min-scale=0")
                    .contains("autoscaling.knative.dev/max-scale=10");
            assertThat(at(service, "spec.template.spec.timeoutSeconds").toString())
                    .isEqualTo("330");
        }
        Map<String, Object> orchestrator = service("orchestrator");
        assertThat(at(orchestrator, "spec.template.spec.containerConcurrency").toString())
                .isEqualTo("10");
        assertThat(at(orchestrator, "spec.template.metadata.annotations").toString())
                .contains("autoscaling.knative.dev/max-scale=3");
    }

    @Test
    void theOrchestratorFindsTheFetchersWithoutAHardCodedNamespace() {
        Map<String, Object> container = at(service("orchestrator"), "spec.template.spec.containers.0");
        List<Map<String, Object>> envFrom = at(container, "envFrom");
        assertThat(envFrom)
                .anySatisfy(e -> assertThat(String.valueOf((Object) at(e, "configMapRef.name")))
                        .isEqualTo("bars-backfill-wiring"));
        for (String function : FUNCTIONS) {
            for (Map<String, Object> doc : Manifests.documents(knativeYml(function))) {
                assertThat(at(doc, "metadata").toString()).as(function).doesNotContain("namespace");
                assertThat(doc.toString()).doesNotContain(".default.svc");
            }
        }
    }

    @Test
    void aCronJobPostsTheTickToTheOrchestratorEveryMinuteWithTheTokenFromTheSecret() {
        Map<String, Object> cronJob = Manifests.documents(knativeYml("orchestrator")).stream()
                .filter(d -> "CronJob".equals(d.get("kind")))
                .findFirst()
                .orElseThrow();
        assertThat(at(cronJob, "spec.schedule").toString()).isEqualTo("* * * * *");
        assertThat(at(cronJob, "spec.concurrencyPolicy").toString()).isEqualTo("Forbid");
        Map<String, Object> container = at(cronJob, "spec.jobTemplate.spec.template.spec.containers.0");
        List<Map<String, Object>> env = at(container, "env");
        assertThat(env).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("BACKFILL_INTERNAL_TOKEN");
            assertThat(at(e, "valueFrom.secretKeyRef.name").toString()).isEqualTo("bars-backfill");
        });
        assertThat(env)
                .anySatisfy(
                        e -> assertThat(at(e, "valueFrom.fieldRef.fieldPath").toString())
                                .isEqualTo("metadata.namespace"));
        String script = String.join(" ", (List<String>) at(container, "args"));
        assertThat(script)
                .contains("-d '{\"action\":\"tick\"}'")
                .contains("Authorization: Bearer $BACKFILL_INTERNAL_TOKEN")
                .contains("http://orchestrator.$NAMESPACE.svc.cluster.local/orchestrator");
    }

    @Test
    void eachFunctionHasTheQuarkusDockerfilesAndTheBuildTheyCopy() throws Exception {
        for (String function : FUNCTIONS) {
            Path module = ROOT.resolve(function);
            String jvm = Files.readString(module.resolve("src/main/docker/Dockerfile.jvm"));
            assertThat(Files.readString(module.resolve("src/main/docker/Dockerfile.native")))
                    .contains("target/*-runner");
            for (String copied : List.of("lib", "app", "quarkus", "quarkus-run.jar")) {
                assertThat(jvm).contains("target/quarkus-app/" + (copied.endsWith(".jar") ? "*.jar" : copied + "/"));
                assertThat(module.resolve("target/quarkus-app/" + copied))
                        .as(function)
                        .exists();
            }
        }
    }

    private static Path knativeYml(String function) {
        return ROOT.resolve(function).resolve("target/kubernetes/knative.yml");
    }

    private static Map<String, Object> service(String function) {
        return Manifests.documents(knativeYml(function)).stream()
                .filter(d -> "Service".equals(d.get("kind")) && "serving.knative.dev/v1".equals(d.get("apiVersion")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Knative Service in " + knativeYml(function)));
    }
}
