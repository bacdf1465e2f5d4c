package io.barsbackfill.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @TempDir
    Path dir;

    private ProcessSpec.Builder sh(String name, String script) {
        return ProcessSpec.builder(name)
                .command(List.of("sh", "-c", script))
                .workingDirectory(dir)
                .logFile(dir.resolve("logs").resolve(name + ".log"));
    }

    @Test
    void readyOnItsLineStoppedWithSigterm() {
        ManagedProcess p = ManagedProcess.start(
                sh("ok", "echo starting; sleep 0.3; echo \"listening on $PORT\"; " + "exec sleep 30")
                        .env("PORT", "1234")
                        .readiness(new Readiness.LogLine("listening on 1234"))
                        .build());
        p.awaitReady(Duration.ofSeconds(10));
        assertThat(p.logLines()).containsExactly("starting", "listening on 1234");
        assertThat(p.stop(Duration.ofSeconds(5))).isEqualTo(143);
        assertThat(p.isAlive()).isFalse();
        assertThat(p.isStopping()).isTrue();
    }

    @Test
    void aChildThatDiesBeforeReadyIsExplainedWithItsLog() {
        ManagedProcess p = ManagedProcess.start(sh("dies", "echo 'BACKFILL_INTERNAL_TOKEN is not set'; exit 3")
                .readiness(new Readiness.LogLine("never"))
                .build());
        assertThatThrownBy(() -> p.awaitReady(Duration.ofSeconds(10)))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessageContaining("dies exited with code 3 before it was ready")
                .hasMessageContaining("BACKFILL_INTERNAL_TOKEN is not set");
    }

    @Test
    void aChildThatNeverGetsReadyTimesOut() {
        try (ProcessGroup group = new ProcessGroup(Duration.ofSeconds(1))) {
            group.start(sh("slow", "echo 'still starting'; exec sleep 30")
                    .readiness(new Readiness.LogLine("ready"))
                    .build());
            assertThatThrownBy(() -> group.awaitReady(Duration.ofMillis(600)))
                    .isInstanceOf(ProcessFailedException.class)
                    .hasMessageContaining("slow was not ready within 0 s")
                    .hasMessageContaining("still starting");
        }
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGrace() {
        ManagedProcess p = ManagedProcess.start(sh("stubborn", "trap '' TERM; echo up; while true; do sleep 0.1; done")
                .readiness(new Readiness.LogLine("up"))
                .build());
        p.awaitReady(Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        p.stop(Duration.ofMillis(500));
        assertThat(p.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void environmentIsAddedAndRemoved() throws Exception {
        ManagedProcess p = ManagedProcess.start(sh("env", "echo \"A=$A HOME=${HOME:-none}\"")
                .env("A", "1")
                .env("HOME", null)
                .build());
        assertThat(p.waitFor(Duration.ofSeconds(10))).isZero();
        assertThat(Files.readString(p.logFile()).trim()).isEqualTo("A=1 HOME=none");
    }

    @Test
    void groupStopsByTierAndFindsTheDead() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (ProcessGroup group = new ProcessGroup(Duration.ofSeconds(2)).onEvent(events::add)) {
            group.start(sh("last", "echo up; exec sleep 30")
                    .readiness(new Readiness.LogLine("up"))
                    .stopTier(2)
                    .build());
            group.start(sh("first", "echo up; exec sleep 30")
                    .readiness(new Readiness.LogLine("up"))
                    .stopTier(0)
                    .build());
            ManagedProcess crash = group.start(sh("crash", "echo up; sleep 0.5; exit 7")
                    .readiness(new Readiness.LogLine("up"))
                    .stopTier(1)
                    .build());
            group.awaitReady(Duration.ofSeconds(10));
            assertThat(crash.waitFor(Duration.ofSeconds(10))).isEqualTo(7);
            assertThat(group.unexpectedlyDead()).contains(crash);
            group.stopAll();
            assertThat(events).hasSize(2);
            assertThat(events.get(0)).startsWith("stopped first");
            assertThat(events.get(1)).startsWith("stopped last");
            assertThat(group.processes()).noneMatch(ManagedProcess::isAlive);
        }
    }

    @Test
    void tailReadsTheEnd() throws Exception {
        Path log = dir.resolve("big.log");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            b.append("line ").append(i).append('\n');
        }
        Files.writeString(log, b);
        assertThat(ManagedProcess.tail(log, 3)).containsExactly("line 19997", "line 19998", "line 19999");
        assertThat(ManagedProcess.tail(dir.resolve("none.log"), 3)).isEmpty();
    }

    @Test
    void portsAreFreeAndDistinct() {
        Ports ports = new Ports();
        int a = ports.free();
        int b = ports.free();
        assertThat(a).isNotEqualTo(b);
        assertThat(Ports.isFree(a)).isTrue();
        assertThat(ports.preferredOrFree(a)).as("handed out already").isNotEqualTo(a);
    }
}
