package io.barsbackfill.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    @Test
    void theTokenFileIsReadableByItsOwnerOnlyAndReplacedWhole(@TempDir Path dir) throws IOException {
        Path file = Tokens.file(new Layout(dir, dir.resolve("state")));
        assertThat(Tokens.read(file)).isEmpty();
        String first = Tokens.generate();
        Tokens.write(file, first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Tokens.read(file)).contains(first);
        String second = Tokens.generate();
        assertThat(second).hasSize(64).isNotEqualTo(first);
        Tokens.write(file, second);
        assertThat(Tokens.read(file)).contains(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
