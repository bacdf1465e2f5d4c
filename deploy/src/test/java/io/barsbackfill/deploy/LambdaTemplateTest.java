package io.barsbackfill.deploy;

import static io.barsbackfill.deploy.Manifests.ROOT;
import static io.barsbackfill.deploy.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/lambda/template.yaml, the AWS SAM template, read as CloudFormation reads it. */
class LambdaTemplateTest {

    static final Path TEMPLATE = ROOT.resolve("deploy/lambda/template.yaml");
    static final Map<String, String> FUNCTIONS =
            Map.of("Orchestrator", "orchestrator", "FetchBars", "fetch-bars", "FetchBarsBatch", "fetch-bars-batch");
    /** Every function's secrets. */
    static final List<String> SECRETS = List.of("DATABASE_URL", "BACKFILL_INTERNAL_TOKEN");
    /** The fetch functions' only: the orchestrator asks the provider through fetch-bars. */
    static final List<String> PROVIDER_KEYS = List.of("BACKFILL_ALPACA_KEY_ID", "BACKFILL_ALPACA_SECRET_KEY");

    final Map<String, Object> template = Manifests.documents(TEMPLATE).get(0);
    final Map<String, Map<String, Object>> resources = at(template, "Resources");

    @Test
    void definesTheThreeFunctionsFromTheirLambdaBuildsBehindFunctionUrls() {
        assertThat(template.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(at(template, "Globals.Function.Handler").toString())
                .isEqualTo("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        assertThat(at(template, "Globals.Function.Runtime").toString()).startsWith("java");
        FUNCTIONS.forEach((id, module) -> {
            Map<String, Object> function = resources.get(id);
            assertThat(function).as(id).containsEntry("Type", "AWS::Serverless::Function");
            String codeUri = at(function, "Properties.CodeUri");
            assertThat(TEMPLATE.getParent().resolve(codeUri).normalize())
                    .isEqualTo(ROOT.resolve(module).resolve("target/function.zip"));
            assertThat(at(function, "Properties.FunctionUrlConfig.AuthType").toString())
                    .isEqualTo("NONE");
            assertThat((Integer) at(function, "Properties.MemorySize")).isBetween(256, 1024);
            assertThat((Integer) at(function, "Properties.MemorySize"))
                    .as("%s: Lambda memory above the JVM's heap cap", id)
                    .isGreaterThan(maxHeapMb());
            assertThat((Integer) at(function, "Properties.Timeout"))
                    .as("%s outlives a 5 m lease", id)
                    .isGreaterThan(300);
        });
    }

    /**
     * Without a heap cap the JVM sizes its heap from the function's memory and grows into it; every function gets
     * the options {@code ./backfill} starts them with.
     */
    @Test
    void everyFunctionRunsWithCappedJvmMemory() {
        String options = at(template, "Globals.Function.Environment.Variables.JAVA_TOOL_OPTIONS");
        assertThat(options)
                .contains("-Xmx", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=", "-XX:MaxDirectMemorySize=");
        FUNCTIONS.keySet().forEach(id -> {
            Map<String, Object> own = at(resources.get(id), "Properties.Environment.Variables");
            assertThat(own == null ? Map.<String, Object>of() : own).as(id).doesNotContainKey("JAVA_TOOL_OPTIONS");
        });
    }

    private int maxHeapMb() {
        String options = at(template, "Globals.Function.Environment.Variables.JAVA_TOOL_OPTIONS");
        Matcher m = Pattern.compile("-Xmx(\\d+)m").matcher(options);
        assertThat(m.find()).as("-Xmx<n>m in %s", options).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void everySecretComesFromSecretsManagerAndNoneIsWrittenHere() {
        Map<String, Object> env = at(template, "Globals.Function.Environment.Variables");
        assertSecrets(env, SECRETS);
        assertThat(env.keySet()).doesNotContainAnyElementsOf(PROVIDER_KEYS);
        FUNCTIONS.keySet().forEach(id -> {
            Map<String, Object> own = at(resources.get(id), "Properties.Environment.Variables");
            if (own != null) {
                assertThat(own.keySet()).as(id).doesNotContainAnyElementsOf(SECRETS);
            }
        });
        assertSecrets(at(resources.get("FetchBars"), "Properties.Environment.Variables"), PROVIDER_KEYS);
        assertSecrets(at(resources.get("FetchBarsBatch"), "Properties.Environment.Variables"), PROVIDER_KEYS);
        Map<String, Object> orchestrator = at(resources.get("Orchestrator"), "Properties.Environment.Variables");
        assertThat(orchestrator.keySet()).as("the orchestrator's settings").doesNotContainAnyElementsOf(PROVIDER_KEYS);
    }

    private static void assertSecrets(Map<String, Object> env, List<String> names) {
        for (String name : names) {
            assertThat(sub(env.get(name)))
                    .as(name)
                    .isEqualTo("{{resolve:secretsmanager:${SecretName}:SecretString:" + name + "}}");
        }
    }

    @Test
    void theOrchestratorCallsTheFetchersAtTheirFunctionUrls() {
        Map<String, Object> env = at(resources.get("Orchestrator"), "Properties.Environment.Variables");
        assertThat(hostOf(env.get("BACKFILL_FETCH_BARS_URL"))).isEqualTo("FetchBarsUrl.FunctionUrl");
        assertThat(hostOf(env.get("BACKFILL_FETCH_BARS_BATCH_URL"))).isEqualTo("FetchBarsBatchUrl.FunctionUrl");
        assertThat(env).containsEntry("BACKFILL_ORCHESTRATOR_SCHEDULE", "off");
    }

    @Test
    void aScheduleTicksTheOrchestratorEveryMinuteWithTheBearerTokenFromTheSecret() {
        Map<String, Object> rule = resources.get("TickSchedule");
        assertThat(rule).containsEntry("Type", "AWS::Events::Rule");
        assertThat(at(template, "Parameters.TickRate.Default").toString()).isEqualTo("rate(1 minute)");
        Map<String, Object> target = at(rule, "Properties.Targets.0");
        assertThat(target.get("Input")).isEqualTo("{\"action\":\"tick\"}");
        assertThat(target.get("Arn")).isEqualTo(Map.of("Fn::GetAtt", "TickDestination.Arn"));
        assertThat(at(target, "HttpParameters.HeaderParameters.Content-Type").toString())
                .isEqualTo("application/json");

        Map<String, Object> destination = resources.get("TickDestination");
        assertThat(destination).containsEntry("Type", "AWS::Events::ApiDestination");
        assertThat(at(destination, "Properties.HttpMethod").toString()).isEqualTo("POST");
        assertThat(sub(at(destination, "Properties.InvocationEndpoint")))
                .isEqualTo("${OrchestratorUrl.FunctionUrl}orchestrator");
        assertThat((Object) at(destination, "Properties.ConnectionArn"))
                .isEqualTo(Map.of("Fn::GetAtt", "TickConnection.Arn"));

        Map<String, Object> connection = resources.get("TickConnection");
        assertThat(at(connection, "Properties.AuthorizationType").toString()).isEqualTo("API_KEY");
        assertThat(at(connection, "Properties.AuthParameters.ApiKeyAuthParameters.ApiKeyName")
                        .toString())
                .isEqualTo("Authorization");
        assertThat(sub(at(connection, "Properties.AuthParameters.ApiKeyAuthParameters.ApiKeyValue")))
                .isEqualTo("Bearer {{resolve:secretsmanager:${SecretName}:SecretString:BACKFILL_INTERNAL_TOKEN}}");
    }

    @Test
    void holdsNoCredential() throws Exception {
        String text = Files.readString(TEMPLATE);
        assertThat(text)
                .doesNotContainPattern("(?i)(password|secret_key|token)\\s*[:=]\\s*['\"]?[A-Za-z0-9]{8,}")
                .doesNotContainPattern("postgres(ql)?://[^\\s:]+:[^@\\s]+@");
    }

    /** The text of a {@code !Sub 'text'}. */
    private static String sub(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return at(value, "Fn::Sub");
    }

    /** {@code !Sub ['https://${Host}', {Host: !Select [2, !Split ['/', !GetAtt X]]}]}: the X. */
    private static String hostOf(Object value) {
        assertThat(at(value, "Fn::Sub.0").toString()).isEqualTo("https://${Host}");
        assertThat(at(value, "Fn::Sub.1.Host.Fn::Select.0").toString()).isEqualTo("2");
        return at(value, "Fn::Sub.1.Host.Fn::Select.1.Fn::Split.1.Fn::GetAtt");
    }
}
